"""Choices used across apps."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext_lazy as _

# The networks Keryx serves, in the order the interface lists them.
NETWORK_CHOICES = [
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("linkedin", "LinkedIn"),
    ("x", "X"),
    ("threads", "Threads"),
    ("mastodon", "Mastodon"),
    ("bluesky", "Bluesky"),
]
NETWORK_NAMES = dict(NETWORK_CHOICES)

AGE_BAND_CHOICES = [
    ("", _("Any age")),
    ("18-24", "18–24"),
    ("25-34", "25–34"),
    ("35-44", "35–44"),
    ("45-54", "45–54"),
    ("55-64", "55–64"),
    ("65+", "65+"),
]

GENDER_CHOICES = [
    ("", _("Any gender")),
    ("female", _("Women")),
    ("male", _("Men")),
    ("non_binary", _("Non-binary people")),
]


@lru_cache(maxsize=1)
def time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


# The zones a Greek seminar team picks most, offered first (docs/decisions/0724).
COMMON_TIME_ZONES = (
    "Europe/Athens",
    "Europe/Nicosia",
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Brussels",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Rome",
    "Europe/Madrid",
    "Europe/Sofia",
    "Europe/Bucharest",
    "Europe/Istanbul",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Toronto",
    "Asia/Dubai",
    "Australia/Sydney",
    "UTC",
)
# Names tzdata ships that are no place anyone lives in: never offered.
NOT_OFFERED = frozenset({"Factory", "localtime", "posixrules"})


def time_zone_label(name: str) -> str:
    return name.replace("_", " ")


def offered_time_zones() -> list[str]:
    """Every zone a person may choose, sorted: no "Factory", "localtime" or the posix/ and
    right/ copies."""
    return sorted(
        name
        for name in time_zone_names()
        if name not in NOT_OFFERED and not name.startswith(("posix/", "right/"))
    )


def time_zone_choices() -> list[tuple[Any, list[tuple[str, str]]]]:
    """The common zones first, then every other zone, as two groups of a ``<select>``."""
    names = time_zone_names()
    common = [(n, time_zone_label(n)) for n in COMMON_TIME_ZONES if n in names]
    rest = [(n, time_zone_label(n)) for n in offered_time_zones() if n not in COMMON_TIME_ZONES]
    return [(_("Common time zones"), common), (_("All time zones"), rest)]
