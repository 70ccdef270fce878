"""Choices of the analytics app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AdPlatform(models.TextChoices):
    """Where an ad campaign runs: the ad platform whose export Keryx reads."""

    META = "meta", "Meta Ads Manager"
    LINKEDIN = "linkedin", "LinkedIn Campaign Manager"
    GOOGLE = "google", "Google Ads"


class Objective(models.TextChoices):
    AWARENESS = "awareness", _("Awareness (reach)")
    TRAFFIC = "traffic", _("Traffic (clicks to the page)")
    ENGAGEMENT = "engagement", _("Engagement")
    REGISTRATIONS = "registrations", _("Registrations (leads)")


class Status(models.TextChoices):
    """Where a KPI stands against its target (rule in docs/decisions/0951)."""

    AHEAD = "ahead", _("Ahead")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    NO_TARGET = "no_target", _("No target set")
    NOT_MEASURED = "not_measured", _("Not measured yet")
