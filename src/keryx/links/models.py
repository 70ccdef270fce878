"""Tracked links, their clicks, and the GA4 forwarding setting.

Registrations live in the registrations app; they carry the codes of the links that brought
them (``first_touch_code``, ``last_touch_code``) and the funnel reads them from there.

A click row never holds a full IP address or a cookie: the visitor is a hash of IP + user
agent with a salt that changes every day and is deleted soon after (see ``VisitorSalt``), and
the IP is stored with its last octet (IPv4) or last 80 bits (IPv6) zeroed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keryx.content.enums import CampaignPhase
from keryx.core.crypto import EncryptedTextField
from keryx.core.models import TimeStampedModel
from keryx.links.enums import LINK_CHANNEL_CHOICES, ClickKind


class TrackedLink(TimeStampedModel):
    """A short link ``/r/<code>`` that redirects to ``destination`` with UTM parameters."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="tracked_links"
    )
    seminar = models.ForeignKey(
        "seminars.Seminar", on_delete=models.CASCADE, related_name="tracked_links"
    )
    code = models.CharField(_("code"), max_length=16, unique=True)
    label = models.CharField(_("name"), max_length=200, blank=True)
    destination = models.URLField(_("destination"), max_length=1000)
    network = models.CharField(
        _("shared on"), max_length=16, choices=LINK_CHANNEL_CHOICES, blank=True
    )
    utm_source = models.CharField("utm_source", max_length=100, blank=True)
    utm_medium = models.CharField("utm_medium", max_length=100, blank=True)
    utm_campaign = models.CharField("utm_campaign", max_length=100, blank=True)
    utm_content = models.CharField("utm_content", max_length=100, blank=True)
    utm_term = models.CharField("utm_term", max_length=100, blank=True)
    post = models.ForeignKey(
        "content.Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tracked_links",
    )
    variant = models.ForeignKey(
        "content.Variant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tracked_links",
    )
    campaign_phase = models.CharField(
        _("campaign phase"), max_length=20, choices=CampaignPhase.choices, blank=True
    )
    permanent = models.BooleanField(
        _("permanent redirect (301)"),
        default=False,
        help_text=_(
            "Browsers remember a permanent redirect and may skip Keryx next time, so later "
            "clicks from the same browser are not counted. Leave off unless a service needs it."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tracked link")
        verbose_name_plural = _("tracked links")
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "destination"],
                condition=models.Q(variant__isnull=False),
                name="tracked_link_one_per_variant_destination",
            )
        ]
        indexes = [models.Index(fields=["seminar", "network"], name="tracked_link_seminar")]

    def __str__(self) -> str:
        return self.label or f"/r/{self.code}"

    @property
    def short_path(self) -> str:
        return f"/r/{self.code}"

    @property
    def short_url(self) -> str:
        return f"{settings.KERYX_BASE_URL}/r/{self.code}"

    @property
    def utm_items(self) -> list[tuple[str, str]]:
        keys = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
        return [(key, getattr(self, key)) for key in keys if getattr(self, key)]


class Click(models.Model):
    """One visit of ``/r/<code>``, written in batches off the request path."""

    # Not indexed on its own: the (link, kind, at) index serves every lookup by link, and each
    # index less makes the batched inserts cheaper.
    link = models.ForeignKey(
        TrackedLink, on_delete=models.CASCADE, related_name="clicks", db_index=False
    )
    at = models.DateTimeField(_("when"))
    kind = models.CharField(_("kind"), max_length=12, choices=ClickKind.choices)
    # Which bot or preview fetcher it was (``facebookexternalhit``, ``head``…); empty for people.
    agent = models.CharField(_("agent"), max_length=40, blank=True)
    # Hash of IP + user agent with the day's salt: one visitor per day, no cookie.
    visitor = models.CharField(_("visitor"), max_length=32, blank=True)
    ip = models.GenericIPAddressField(_("IP address (anonymised)"), null=True, blank=True)
    # Kept only for bots and previews, to recognise new ones; never for people.
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    referrer = models.CharField(_("referring site"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("click")
        verbose_name_plural = _("clicks")
        indexes = [models.Index(fields=["link", "kind", "at"], name="click_link_kind_at")]

    def __str__(self) -> str:
        return f"{self.link_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ClickBatch(models.Model):
    """The key of a batch of clicks already stored (a Redis stream entry, a spill file), so a
    batch delivered twice is stored once. Pruned after a week."""

    key = models.CharField(max_length=80, unique=True)
    stored_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.key


class VisitorSalt(models.Model):
    """The random salt of one day (UTC). Deleted the day after: yesterday's hashes can then no
    longer be linked to an IP address, not even by someone holding the database."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return str(self.day)


class LinkCacheState(models.Model):
    """One row: a number that every change of a link increases. Web processes keep the
    code → destination map in memory and drop it when they see the number change."""

    generation = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"generation {self.generation}"


class Ga4Forwarding(TimeStampedModel):
    """Send registrations to a Google Analytics 4 property (Measurement Protocol).

    With ``seminar`` empty it applies to every seminar of the workspace that has no setting
    of its own.
    """

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="ga4_forwardings"
    )
    seminar = models.ForeignKey(
        "seminars.Seminar",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ga4_forwardings",
    )
    measurement_id = models.CharField(_("measurement ID"), max_length=32)
    api_secret = EncryptedTextField(_("Measurement Protocol API secret"))
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        ordering = ["seminar__title", "id"]
        verbose_name = _("GA4 forwarding")
        verbose_name_plural = _("GA4 forwardings")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "seminar"], name="ga4_forwarding_unique_seminar"
            ),
            models.UniqueConstraint(
                fields=["workspace"],
                condition=models.Q(seminar__isnull=True),
                name="ga4_forwarding_unique_workspace_default",
            ),
        ]

    def __str__(self) -> str:
        return self.measurement_id


class Ga4Delivery(models.Model):
    """One event of a registration sent (or being sent) to GA4; makes a repeated task harmless."""

    registration_id = models.BigIntegerField()
    event = models.CharField(max_length=40)
    measurement_id = models.CharField(max_length=32)
    sent_at = models.DateTimeField(null=True, blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration_id", "event"], name="ga4_delivery_unique")
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.measurement_id}"
