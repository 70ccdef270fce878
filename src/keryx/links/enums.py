"""Choices of the links app: where a link is shared, and what kind of visit a click was."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from keryx.networks.registry import network_choices


class ClickKind(models.TextChoices):
    HUMAN = "human", _("Person")
    PREVIEW = "preview", _("Link preview")
    BOT = "bot", _("Bot")
    # Do-Not-Track, Global Privacy Control or ?kx_notrack=1: only counted, nothing else kept.
    ANONYMOUS = "anonymous", _("Not tracked")


QRCODE = "qrcode"
EMAIL = "email"
OTHER = "other"

# Where a tracked link is shared: the social networks, then the other channels.
LINK_CHANNEL_CHOICES = [
    *network_choices(social=True),
    (QRCODE, _("QR code (print, slides)")),
    (EMAIL, _("E-mail / newsletter")),
    (OTHER, _("Other")),
]
LINK_CHANNELS = frozenset(key for key, _label in LINK_CHANNEL_CHOICES)


class Touch(models.TextChoices):
    """Which link a registration is credited to in the funnel."""

    LAST = "last", _("Last touch")
    FIRST = "first", _("First touch")
