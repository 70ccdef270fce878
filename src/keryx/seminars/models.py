"""The seminar and what describes it: audience personas, KPI targets, agenda, speakers."""

from __future__ import annotations

import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keryx.accounts.models import Workspace
from keryx.core.choices import AGE_BAND_CHOICES, GENDER_CHOICES
from keryx.core.models import TimeStampedModel
from keryx.seminars.enums import KpiMetric, SeminarFormat, SessionKind
from keryx.seminars.validators import (
    validate_hashtags,
    validate_languages,
    validate_network_list,
    validate_time_zone,
    validate_word_list,
)


def _default_languages() -> list[str]:
    return ["el"]


class Seminar(TimeStampedModel):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="seminars")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    summary = models.CharField(_("one-line summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("main language"), max_length=8, choices=settings.LANGUAGES, default="el"
    )
    languages = models.JSONField(
        _("languages"), default=_default_languages, validators=[validate_languages]
    )
    format = models.CharField(
        _("format"), max_length=16, choices=SeminarFormat.choices, default=SeminarFormat.IN_PERSON
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Athens", validators=[validate_time_zone]
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("address"), max_length=300, blank=True)
    venue_city = models.CharField(_("city"), max_length=100, blank=True)
    venue_country = models.CharField(_("country"), max_length=100, blank=True)
    map_url = models.URLField(_("map link"), blank=True)
    online_url = models.URLField(_("online room link"), blank=True)
    stream_url = models.URLField(_("live stream link"), blank=True)
    capacity = models.IntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(
                0, message=_("The capacity cannot be negative. Leave it empty for no limit.")
            )
        ],
        help_text=_("Places available; leave empty for no limit."),
    )
    hashtags = models.JSONField(
        _("official hashtags"), default=list, blank=True, validators=[validate_hashtags]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("seminar")
        verbose_name_plural = _("seminars")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="seminar_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=0),
                name="seminar_capacity_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_online(self) -> bool:
        return self.format in {SeminarFormat.ONLINE, SeminarFormat.HYBRID}

    @property
    def is_in_person(self) -> bool:
        return self.format in {SeminarFormat.IN_PERSON, SeminarFormat.HYBRID}

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors.setdefault("ends_at", []).append(
                ValidationError(
                    _("The seminar must end after it starts."), code="ends_before_start"
                )
            )
        if self.is_in_person and not (self.venue_name or self.venue_address):
            errors.setdefault("venue_name", []).append(
                ValidationError(
                    _("An in-person or hybrid seminar needs a venue name or address."),
                    code="venue_required",
                )
            )
        if (
            self.language
            and isinstance(self.languages, list)
            and self.language not in self.languages
        ):
            self.languages = [self.language, *self.languages]
        if errors:
            raise ValidationError(errors)


class SeminarTranslation(models.Model):
    """The seminar's title and texts in one of its other languages."""

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("one-line summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("seminar text in another language")
        verbose_name_plural = _("seminar texts in other languages")
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "language"], name="translation_unique_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class Persona(TimeStampedModel):
    """A target audience persona: who the campaign speaks to."""

    @property
    def preferred_network_names(self) -> list[str]:
        """The networks by the names people know them by ("LinkedIn", not "linkedin")."""
        from keryx.networks.registry import network_name

        return [network_name(key) for key in self.preferred_networks or []]

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="personas")
    name = models.CharField(_("name"), max_length=120)
    age_band = models.CharField(_("age"), max_length=8, choices=AGE_BAND_CHOICES, blank=True)
    gender = models.CharField(_("gender"), max_length=16, choices=GENDER_CHOICES, blank=True)
    profession = models.CharField(_("profession"), max_length=120, blank=True)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    interests = models.JSONField(
        _("interests"), default=list, blank=True, validators=[validate_word_list]
    )
    preferred_networks = models.JSONField(
        _("preferred networks"), default=list, blank=True, validators=[validate_network_list]
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("persona")
        verbose_name_plural = _("personas")

    def __str__(self) -> str:
        return self.name


class KpiTarget(models.Model):
    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="kpi_targets")
    metric = models.CharField(_("measure"), max_length=32, choices=KpiMetric.choices)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["metric"]
        constraints = [
            models.UniqueConstraint(fields=["seminar", "metric"], name="kpi_unique_metric")
        ]
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")

    def __str__(self) -> str:
        return f"{self.get_metric_display()}: {self.target}"

    def clean(self) -> None:
        bounds = {
            KpiMetric.NPS: (Decimal(-100), Decimal(100)),
            KpiMetric.AVERAGE_RATING: (Decimal(1), Decimal(5)),
            KpiMetric.SURVEY_RESPONSE_RATE: (Decimal(0), Decimal(100)),
            KpiMetric.INBOX_RESPONSE_RATE: (Decimal(0), Decimal(100)),
        }
        low, high = bounds.get(KpiMetric(self.metric), (Decimal(0), None))
        if self.target is None:
            return
        if self.target < low or (high is not None and self.target > high):
            message = (
                _("Give a value between %(low)s and %(high)s.")
                if high is not None
                else _("Give a value of %(low)s or more.")
            )
            raise ValidationError(
                {
                    "target": ValidationError(
                        message, code="out_of_range", params={"low": low, "high": high}
                    )
                }
            )


class Speaker(TimeStampedModel):
    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    bio = models.TextField(_("bio"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="speakers/%Y/", blank=True)
    handles = models.JSONField(
        _("social handles"),
        default=dict,
        blank=True,
        help_text=_('Network → handle, e.g. {"bluesky": "maria.bsky.social"}.'),
    )
    website = models.URLField(_("website"), blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.handles, dict):
            raise ValidationError({"handles": _("Give the handles as network → handle.")})
        try:
            validate_network_list(list(self.handles))
        except ValidationError as exc:
            raise ValidationError({"handles": exc}) from exc


class Session(TimeStampedModel):
    """One item of the agenda."""

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=16, choices=SessionKind.choices, default=SessionKind.TALK
    )
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    speakers = models.ManyToManyField(
        Speaker, blank=True, related_name="sessions", verbose_name=_("speakers")
    )

    class Meta:
        ordering = ["starts_at", "room", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(
                {
                    "ends_at": ValidationError(
                        _("The session must end after it starts."), code="ends_before_start"
                    )
                }
            )
        seminar = self.seminar if self.seminar_id else None
        if (
            seminar
            and self.starts_at
            and self.ends_at
            and (self.starts_at < seminar.starts_at or self.ends_at > seminar.ends_at)
        ):
            raise ValidationError(
                {
                    "starts_at": ValidationError(
                        _("The session must take place within the seminar's dates."),
                        code="outside_seminar",
                    )
                }
            )
