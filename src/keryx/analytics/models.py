"""Ad campaigns and the results imported from the ad platforms' exports."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keryx.analytics.enums import AdPlatform, Objective
from keryx.core.crypto import EncryptedTextField
from keryx.core.models import TimeStampedModel


class AdCampaign(TimeStampedModel):
    """A paid campaign for a seminar on one ad platform, with the tracked links its ads use
    (registrations and check-ins are credited to the campaign through those links)."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="ad_campaigns"
    )
    seminar = models.ForeignKey(
        "seminars.Seminar", on_delete=models.CASCADE, related_name="ad_campaigns"
    )
    platform = models.CharField(_("ad platform"), max_length=16, choices=AdPlatform.choices)
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("As it is named in the ad platform, so imported rows find it."),
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    budget = models.DecimalField(
        _("budget"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    objective = models.CharField(
        _("objective"), max_length=16, choices=Objective.choices, default=Objective.REGISTRATIONS
    )
    links = models.ManyToManyField(
        "links.TrackedLink",
        blank=True,
        related_name="ad_campaigns",
        verbose_name=_("tracked links"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("ad campaign")
        verbose_name_plural = _("ad campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="ad_campaign_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["seminar", "platform", "name"], name="ad_campaign_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AdResult(models.Model):
    """The figures of one campaign for one day (or one reporting period when the export is not
    split by day). Importing the same period again replaces the row."""

    campaign = models.ForeignKey(AdCampaign, on_delete=models.CASCADE, related_name="results")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    spend = models.DecimalField(_("spent"), max_digits=12, decimal_places=2)
    impressions = models.BigIntegerField(_("impressions"), null=True, blank=True)
    reach = models.BigIntegerField(_("reach"), null=True, blank=True)
    clicks = models.BigIntegerField(_("clicks"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported"))

    class Meta:
        ordering = ["period_start", "id"]
        verbose_name = _("ad result")
        verbose_name_plural = _("ad results")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "period_start", "period_end"], name="ad_result_unique_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.period_start}–{self.period_end}"


class RollupState(models.Model):
    """How far a seminar's pre-aggregated figures go: the highest click and metric snapshot
    counted, and when they were last brought up to date (the pages say "numbers as of")."""

    seminar = models.OneToOneField(
        "seminars.Seminar", on_delete=models.CASCADE, related_name="analytics_rollup"
    )
    clicks_upto = models.BigIntegerField(default=0)
    snapshots_upto = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("analytics figures state")
        verbose_name_plural = _("analytics figures states")

    def __str__(self) -> str:
        return f"rollup of seminar {self.seminar_id}"


class DailyFigure(models.Model):
    """One pre-aggregated count of a seminar: a series (clicks of one kind, visitors, sites,
    registrations…) for a day in the seminar's time zone (or no day: a total) and a key (a
    tracked link's id, a touch code, a region…). Rebuilt by ``domain.rollups``; never edited."""

    seminar = models.ForeignKey(
        "seminars.Seminar", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    series = models.CharField(max_length=32)
    day = models.DateField(null=True, blank=True)
    key = models.CharField(max_length=300, blank=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        indexes = [models.Index(fields=["seminar", "series", "day"], name="daily_figure_series")]

    def __str__(self) -> str:
        return f"{self.series} {self.day} {self.key}={self.value}"


class MetricDay(models.Model):
    """A variant's numbers at the end of one day (its last metric snapshot that day, seminar
    time zone): the engagement-over-time charts read these instead of every snapshot. A number
    the network does not give stays NULL."""

    seminar = models.ForeignKey(
        "seminars.Seminar", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    variant = models.ForeignKey("content.Variant", on_delete=models.CASCADE, related_name="+")
    network = models.CharField(max_length=16)
    day = models.DateField()
    taken_at = models.DateTimeField()
    likes = models.BigIntegerField(null=True)
    shares = models.BigIntegerField(null=True)
    comments = models.BigIntegerField(null=True)
    impressions = models.BigIntegerField(null=True)
    reach = models.BigIntegerField(null=True)
    link_clicks = models.BigIntegerField(null=True)

    class Meta:
        verbose_name = _("metrics of a day")
        verbose_name_plural = _("metrics of a day")
        indexes = [models.Index(fields=["seminar", "day"], name="metric_day_seminar")]
        constraints = [models.UniqueConstraint(fields=["variant", "day"], name="metric_day_unique")]

    def __str__(self) -> str:
        return f"variant {self.variant_id} on {self.day}"


class MetaAdsAccess(TimeStampedModel):
    """The workspace's way into the Meta Marketing API (insights of its ad account): the ad
    account id and a token with the ``ads_read`` permission (a system user's token from
    Business Settings, or a user's). Stored encrypted; used only to read insights."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="meta_ads_access"
    )
    ad_account_id = models.CharField(_("ad account ID"), max_length=40)
    access_token = EncryptedTextField(_("access token"))
    last_import_at = models.DateTimeField(_("last import"), null=True, blank=True)

    class Meta:
        verbose_name = _("Meta Marketing API access")
        verbose_name_plural = _("Meta Marketing API access")

    def __str__(self) -> str:
        return f"act_{self.ad_account_id}"


class AbTest(TimeStampedModel):
    """Two versions of a post for the same network (another text, image or time), compared on
    what their tracked links brought: clicks or registrations. A winner is declared by a person
    (Keryx says when the difference is beyond chance); "use the winner" makes its text a
    template for the next posts."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        IMAGE = "image", _("Image")
        TIME = "time", _("Time of posting")

    class Goal(models.TextChoices):
        CLICKS = "clicks", _("Clicks (people)")
        REGISTRATIONS = "registrations", _("Registrations")

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="ab_tests"
    )
    seminar = models.ForeignKey(
        "seminars.Seminar", on_delete=models.CASCADE, related_name="ab_tests"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("what differs"), max_length=8, choices=Kind.choices)
    goal = models.CharField(_("compared on"), max_length=16, choices=Goal.choices)
    variant_a = models.ForeignKey(
        "content.Variant", on_delete=models.CASCADE, related_name="+", verbose_name="A"
    )
    variant_b = models.ForeignKey(
        "content.Variant", on_delete=models.CASCADE, related_name="+", verbose_name="B"
    )
    winner = models.CharField(_("winner"), max_length=1, blank=True)  # "a", "b" or ""
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    template = models.ForeignKey(
        "content.Template",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("template made from the winner"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("A/B test")
        verbose_name_plural = _("A/B tests")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(variant_a=models.F("variant_b")), name="ab_test_two_variants"
            )
        ]

    def __str__(self) -> str:
        return self.name


# The seminar report (generated files, schedules, mailings) lives in its own module.
from keryx.analytics.report_models import (  # noqa: E402
    Frequency,
    Report,
    ReportFormat,
    ReportMailing,
    ReportSchedule,
    ReportStatus,
)

__all__ = [
    "AbTest",
    "AdCampaign",
    "AdResult",
    "DailyFigure",
    "Frequency",
    "MetaAdsAccess",
    "MetricDay",
    "Report",
    "ReportFormat",
    "ReportMailing",
    "ReportSchedule",
    "ReportStatus",
    "RollupState",
]
