"""Who may enter a community, and the kinds of material."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    REGISTERED = "registered", _("Everyone registered")
    CHECKED_IN = "checked_in", _("Only those who were checked in")


class MaterialKind(models.TextChoices):
    SLIDES = "slides", _("Slides (file)")
    LINK = "link", _("Link")
    RECORDING = "recording", _("Recording")
