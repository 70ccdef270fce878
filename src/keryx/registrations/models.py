"""Registrations: the public page's switch and form settings, registrants, their consents.

Every piece of a registrant's personal data lives in this app's tables (``Registration`` and
``Consent``), so a later erasure or retention job finds it in one place.
"""

from __future__ import annotations

import secrets
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keryx.core.models import TimeStampedModel
from keryx.registrations.enums import (
    ConsentKind,
    EmailKind,
    EmailStatus,
    HeardFrom,
    RegistrationSource,
    RegistrationStatus,
)
from keryx.seminars.models import Seminar

AGE_BANDS = [
    ("18-24", "18–24"),
    ("25-34", "25–34"),
    ("35-44", "35–44"),
    ("45-54", "45–54"),
    ("55-64", "55–64"),
    ("65+", "65+"),
]
GENDERS = [
    ("female", _("Woman")),
    ("male", _("Man")),
    ("non_binary", _("Non-binary")),
    ("undisclosed", _("Prefer not to say")),
]


def new_ticket_code() -> str:
    """12 characters of [A-Za-z0-9]: short enough for a small QR code, too many to guess."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


def new_message_id() -> str:
    """The Message-ID header of one registrant e-mail, fixed when it is queued, so that every
    try sends the same one (a mailbox that got it twice can tell)."""
    domain = urlsplit(settings.KERYX_BASE_URL).hostname or "keryx.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def _no_fields() -> list[str]:
    return []


def _no_texts() -> dict[str, str]:
    return {}


class RegistrationSettings(TimeStampedModel):
    """Per seminar: is the public page published, what the form asks, the privacy notice.

    Its row is also the lock taken (``select_for_update``) while places are allocated.
    """

    seminar = models.OneToOneField(
        Seminar, on_delete=models.CASCADE, related_name="registration_settings"
    )
    is_public = models.BooleanField(
        _("public page published"),
        default=False,
        help_text=_("Anyone with the link can see the seminar page and register."),
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    waitlist_enabled = models.BooleanField(
        _("waiting list when full"),
        default=True,
        help_text=_("When the seminar is full, new registrants join a waiting list."),
    )
    optional_fields = models.JSONField(_("questions asked"), default=_no_fields, blank=True)
    required_fields = models.JSONField(_("questions required"), default=_no_fields, blank=True)
    privacy_notice = models.JSONField(
        _("privacy notice"), default=_no_texts, blank=True, help_text=_("Language → text.")
    )
    privacy_version = models.CharField(_("privacy notice version"), max_length=32, default="1")
    ask_marketing_consent = models.BooleanField(
        _("ask for consent to news about future seminars"), default=False
    )
    confirm_within_hours = models.PositiveIntegerField(
        _("confirmation link valid for (hours)"),
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )

    class Meta:
        verbose_name = _("registration settings")
        verbose_name_plural = _("registration settings")

    def __str__(self) -> str:
        return f"{self.seminar} · {self.pk}"

    def notice_for(self, language: str) -> str:
        texts = self.privacy_notice or {}
        return str(texts.get(language) or texts.get(self.seminar.language) or "")


class Registration(TimeStampedModel):
    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="registrations")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ticket_code = models.CharField(max_length=16, unique=True, default=new_ticket_code)
    status = models.CharField(
        _("status"), max_length=16, choices=RegistrationStatus.choices, db_index=True
    )
    source = models.CharField(
        _("source"),
        max_length=16,
        choices=RegistrationSource.choices,
        default=RegistrationSource.FORM,
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"), max_length=254)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    profession = models.CharField(_("profession"), max_length=120, blank=True)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    age_band = models.CharField(_("age"), max_length=8, choices=AGE_BANDS, blank=True)
    gender = models.CharField(_("gender"), max_length=16, choices=GENDERS, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    interests = models.JSONField(_("interests"), default=_no_fields, blank=True)
    heard_from = models.CharField(
        _("how they heard about us"), max_length=16, choices=HeardFrom.choices, blank=True
    )
    first_touch_code = models.CharField(_("first tracked link"), max_length=16, blank=True)
    last_touch_code = models.CharField(_("last tracked link"), max_length=16, blank=True)
    confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("moved off the waiting list"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "email"],
                condition=~models.Q(status="cancelled"),
                name="registration_unique_active_email",
            ),
        ]
        indexes = [models.Index(fields=["seminar", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name} · {self.seminar_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def has_place(self) -> bool:
        return self.status == RegistrationStatus.REGISTERED


class Consent(models.Model):
    """What a registrant agreed to: the notice's text and version as they saw it, and when."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="consents"
    )
    kind = models.CharField(_("consent"), max_length=16, choices=ConsentKind.choices)
    version = models.CharField(_("version"), max_length=32)
    text = models.TextField(_("text shown"), blank=True)
    language = models.CharField(_("language"), max_length=8)
    accepted_at = models.DateTimeField(_("accepted"))
    # Withdrawal is as easy as giving consent: a signed link in every e-mail (privacy app).
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["accepted_at", "id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"


class RegistrantEmail(models.Model):
    """One e-mail to a registrant and how its delivery went (see decision 0605).

    Created in the transaction that decides to send it; the task works from this row and
    claims it with a compare-and-set (``queued`` → ``sending``), so a duplicated task message
    sends nothing and a ``sent`` e-mail is never sent again.
    """

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(_("e-mail"), max_length=16, choices=EmailKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    # Why the last try failed: a code Keryx words in the reader's language, and the mail
    # server's (or the system's) own words.
    error_code = models.CharField(_("problem"), max_length=32, blank=True)
    error_detail = models.CharField(_("the mail server said"), max_length=300, blank=True)
    message_id = models.CharField(
        _("Message-ID"), max_length=200, unique=True, default=new_message_id
    )
    queued_at = models.DateTimeField(_("queued"))
    next_try_at = models.DateTimeField(_("next try"))
    enqueued_at = models.DateTimeField(null=True, blank=True)  # last task message put on the queue
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=120, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)

    class Meta:
        ordering = ["queued_at", "id"]
        verbose_name = _("registrant e-mail")
        verbose_name_plural = _("registrant e-mails")
        indexes = [models.Index(fields=["status", "next_try_at"], name="regemail_due")]

    def __str__(self) -> str:
        return f"{self.kind} · {self.status} · {self.registration_id}"

    @property
    def reason(self) -> str:
        """Why the last try failed and what to do, in the active language ("" if it did not)."""
        from keryx.registrations.domain.delivery import problem_words

        return problem_words(self)
