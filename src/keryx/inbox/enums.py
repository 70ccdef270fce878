from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


class ReplyStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to be sent")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    UNCONFIRMED = "unconfirmed", _("not confirmed by the network")


# Negative first when crisis mode sorts the inbox.
SENTIMENT_RANK = {"negative": 0, "neutral": 1, "positive": 2, "": 1}
