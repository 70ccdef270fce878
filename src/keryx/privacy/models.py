"""The privacy app's own records: requests (without the data they were about), retention
settings per workspace, and the runs of the retention job."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequestKind(models.TextChoices):
    EXPORT = "export", pgettext_lazy("privacy request", "Export")
    ERASURE = "erasure", pgettext_lazy("privacy request", "Erasure")


class RequestChannel(models.TextChoices):
    CLI = "cli", _("Command line")
    STAFF = "staff", _("Staff, on request")
    SELF = "self", _("The person, by e-mailed link")


class PrivacyRequest(models.Model):
    """One export or erasure: when, by whom, what it touched. Never the address itself: a keyed
    hash of it (decision 0763), so a later request about the same address can be matched."""

    kind = models.CharField(_("request"), max_length=16, choices=RequestKind.choices)
    channel = models.CharField(_("asked through"), max_length=16, choices=RequestChannel.choices)
    email_hash = models.CharField(_("address (keyed hash)"), max_length=64, db_index=True)
    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # {kind key: number of records}; for an erasure also "queue" (task messages removed).
    summary = models.JSONField(_("records"), default=dict, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")

    def __str__(self) -> str:
        return f"{self.kind} {self.received_at:%Y-%m-%d}"

    @property
    def total(self) -> int:
        return sum(int(v) for v in self.summary.values() if isinstance(v, int))


class RetentionSetting(models.Model):
    """How long one kind of personal data is kept in one workspace (days), when not the
    kind's default."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="retention_settings"
    )
    kind = models.CharField(_("kind of data"), max_length=100)
    days = models.PositiveIntegerField(_("kept for (days)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "kind"], name="retention_unique_kind")
        ]
        verbose_name = _("retention setting")
        verbose_name_plural = _("retention settings")

    def __str__(self) -> str:
        return f"{self.kind}: {self.days}"


class RetentionRun(models.Model):
    """One run of the retention job and what it removed (or, dry, would remove)."""

    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    removed = models.JSONField(_("removed"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"retention {self.started_at:%Y-%m-%d %H:%M}"
