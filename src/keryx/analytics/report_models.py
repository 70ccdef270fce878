"""The seminar report's rows: a report generated in the background (its file kept in the
database, so the web and worker machines need share no disk), the schedules that make one
every week or month, and one row per e-mail sent to a member for a period, which makes the
digest and the scheduled reports idempotent (a re-run of the period finds the row)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", _("Spreadsheet (XLSX)")
    HTML = "html", _("Web page (HTML)")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week (Monday)")
    MONTHLY = "monthly", _("Every month (the 1st)")


class ReportSchedule(models.Model):
    """A report made every week or month and e-mailed, as a link, to the members who may read
    the seminar's analytics (each can leave the list)."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="report_schedules"
    )
    seminar = models.ForeignKey(
        "seminars.Seminar", on_delete=models.CASCADE, related_name="report_schedules"
    )
    frequency = models.CharField(_("how often"), max_length=8, choices=Frequency.choices)
    fmt = models.CharField(_("format"), max_length=8, choices=ReportFormat.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("scheduled report")
        verbose_name_plural = _("scheduled reports")
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "frequency", "fmt", "language"], name="report_schedule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.seminar_id} {self.frequency} {self.fmt} {self.language}"

    @property
    def list_key(self) -> str:
        return f"reports:{self.pk}"


class Report(models.Model):
    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="reports"
    )
    seminar = models.ForeignKey(
        "seminars.Seminar", on_delete=models.CASCADE, related_name="reports"
    )
    fmt = models.CharField(_("format"), max_length=8, choices=ReportFormat.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # per cent
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    schedule = models.ForeignKey(
        ReportSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    period = models.CharField(max_length=16, blank=True)  # "2026-W49", "2026-12" when scheduled
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    data = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0)
    error = models.CharField(_("problem"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["seminar", "-created_at"], name="report_seminar_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "period"],
                condition=models.Q(schedule__isnull=False),
                name="report_once_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"report {self.pk} {self.fmt} {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in {ReportStatus.DONE, ReportStatus.FAILED}


class ReportMailing(models.Model):
    """One e-mail of a digest or a scheduled report to one member for one period: written
    before the e-mail is queued, in the same transaction, so a period is mailed once."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)  # "digest:2026-W49", "schedule:3:2026-12"
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("report e-mail")
        verbose_name_plural = _("report e-mails")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user", "key"], name="report_mailing_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.user_id}"
