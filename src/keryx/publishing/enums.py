from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """How one try to publish a variant ended."""

    PENDING = "pending", _("In progress")
    PUBLISHED = "published", _("Published")
    RETRY = "retry", _("Network unavailable, will try again")
    RATE_LIMITED = "rate_limited", _("Rate limited, will try again")
    REJECTED = "rejected", _("Refused by the network")
    AUTH_EXPIRED = "auth_expired", _("Account must be reconnected")
    UNCONFIRMED = "unconfirmed", _("Not confirmed by the network")
    HELD = "held", _("Held by a pause")
    ABANDONED = "abandoned", _("Worker stopped before sending")
    FOUND = "found", _("Found on the network")
    ABSENT = "absent", _("Not found on the network")
    TOO_LATE = "too_late", _("Too late to publish")
    ERROR = "error", _("Failed")


class Waiting(models.TextChoices):
    """Why a due variant is not being published right now."""

    NONE = "", _("Not waiting")
    RETRY = "retry", _("Waiting to try again")
    COOLDOWN = "cooldown", _("Waiting for the network's rate limit")
    QUOTA = "quota", _("Waiting for the daily quota")
    CONCURRENCY = "concurrency", _("Waiting for a free publishing slot")
    RECONNECT = "reconnect", _("Waiting for the account to be reconnected")


class Anchor(models.TextChoices):
    START = "start", _("the start")
    END = "end", _("the end")


class Direction(models.TextChoices):
    BEFORE = "before", _("before")
    AFTER = "after", _("after")


class OffsetUnit(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")
    WEEKS = "weeks", _("weeks")


class RepeatUnit(models.TextChoices):
    DAY = "day", _("days")
    WEEK = "week", _("weeks")


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
