"""Choices of the registrations app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RegistrationStatus(models.TextChoices):
    """Where a registrant stands. E-mail confirmation (double opt-in) is ``confirmed_at``."""

    REGISTERED = "registered", pgettext_lazy("registration status", "Registered")
    WAITLISTED = "waitlisted", pgettext_lazy("registration status", "Waiting list")
    CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")


class RegistrationSource(models.TextChoices):
    FORM = "form", _("Public form")
    IMPORT = "import", _("Import")


class HeardFrom(models.TextChoices):
    SOCIAL = "social", _("Social media")
    FRIEND = "friend", _("A friend or colleague")
    EMAIL = "email", _("E-mail or newsletter")
    WEBSITE = "website", _("A website or search engine")
    PRESS = "press", _("Press or radio")
    OTHER = "other", _("Other")


class EmailKind(models.TextChoices):
    """The e-mails a registrant gets."""

    CONFIRM = "confirm", pgettext_lazy("registrant e-mail", "Confirmation link")
    REMINDER = "reminder", pgettext_lazy("registrant e-mail", "Already registered")
    TICKET = "ticket", pgettext_lazy("registrant e-mail", "Ticket")
    WAITLISTED = "waitlisted", pgettext_lazy("registrant e-mail", "On the waiting list")
    PROMOTED = "promoted", pgettext_lazy("registrant e-mail", "A place is yours")
    CANCELLED = "cancelled", pgettext_lazy("registrant e-mail", "Cancellation")


class EmailStatus(models.TextChoices):
    """Where one registrant e-mail stands: queued (first try or waiting to retry), being
    sent, sent (the mail server accepted it), failed (Keryx stopped trying)."""

    QUEUED = "queued", pgettext_lazy("e-mail status", "Queued")
    SENDING = "sending", pgettext_lazy("e-mail status", "Sending")
    SENT = "sent", pgettext_lazy("e-mail status", "Sent")
    FAILED = "failed", pgettext_lazy("e-mail status", "Failed")


class ConsentKind(models.TextChoices):
    PRIVACY = "privacy", _("Privacy notice")
    MARKETING = "marketing", _("News about future seminars")


# The optional questions an organiser may add to the form, in the order the form shows them.
OPTIONAL_FIELDS: tuple[str, ...] = (
    "profession",
    "organisation",
    "age_band",
    "gender",
    "region",
    "interests",
    "heard_from",
)
OPTIONAL_FIELD_LABELS = {
    "profession": _("Profession"),
    "organisation": _("Organisation"),
    "age_band": _("Age"),
    "gender": _("Gender"),
    "region": _("Region"),
    "interests": _("Interests"),
    "heard_from": _("How did you hear about us?"),
}
