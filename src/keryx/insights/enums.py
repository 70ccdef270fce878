from django.db import models
from django.utils.translation import gettext_lazy as _


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("positive")
    NEGATIVE = "negative", _("negative")
    NEUTRAL = "neutral", _("neutral")


class Form(models.TextChoices):
    GREEK = "el", _("Greek")
    ENGLISH = "en", _("English")
    GREEKLISH = "greeklish", _("Greeklish")


class Source(models.TextChoices):
    """Where an analysed text came from."""

    INBOX = "inbox", _("inbox (comment, reply or mention)")
    SEARCH = "search", _("network search")
    POST = "post", _("our own post")
    IMPORT = "import", _("import")


class AlertKind(models.TextChoices):
    CRISIS = "crisis", _("crisis")
    SPIKE = "spike", _("spike")
