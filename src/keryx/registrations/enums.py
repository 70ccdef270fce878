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
