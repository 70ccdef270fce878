"""Choices used across apps."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

# The networks Keryx serves: keryx.networks.registry.network_choices(), the one list.

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


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]
