"""Times are stored in UTC and shown in the seminar's zone; naive input means that zone.

Every date Keryx takes is checked here (decision 0744): a year between 1970 and 2099 (a year
9999 overflows when shown in a zone east of UTC; years before 1900 have local mean time
offsets such as +01:34:52 that RFC 3339 cannot express), a time zone that exists, and a wall
clock time that exists in its zone (not in the hour the clocks skip in spring).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keryx.core.choices import time_zone_names
from keryx.core.errors import ValidationFailed

EARLIEST_YEAR = 1970
LATEST_YEAR = 2099
OUT_OF_RANGE = gettext_lazy("Choose a date between %(first)s and %(last)s.")


def out_of_range(value: Any) -> bool:
    """``value`` (a date or datetime) is outside the years Keryx accepts."""
    year = getattr(value, "year", None)
    return isinstance(year, int) and not EARLIEST_YEAR <= year <= LATEST_YEAR


def range_message() -> str:
    return str(OUT_OF_RANGE) % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}


def validate_date_range(value: Any) -> None:
    if out_of_range(value):
        raise ValidationError(range_message(), code="date_out_of_range")


def validate_time_zone(value: str) -> None:
    """A field validator: an IANA zone name that exists (not "Mars/Base")."""
    if value not in time_zone_names():
        raise ValidationError(
            gettext_lazy("“%(value)s” is not a known time zone. Use a name such as Europe/Athens."),
            code="invalid_time_zone",
            params={"value": value},
        )


def _zone(time_zone: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def aware_in(
    value: dt.datetime | None, time_zone: str, *, field: str = "__all__"
) -> dt.datetime | None:
    """``value`` as an aware datetime; a naive one is read as wall time in ``time_zone``.

    Refuses (``ValidationFailed`` on ``field``) a year out of range and a wall time that does
    not exist in the zone (the spring-forward gap); an ambiguous autumn time is the first.
    """
    if value is None:
        return None
    if out_of_range(value):
        raise ValidationFailed(fields={field: [range_message()]})
    if value.tzinfo is not None:
        return value
    zone = _zone(time_zone)
    aware = value.replace(tzinfo=zone)
    if aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != value:
        raise ValidationFailed(
            fields={
                field: [
                    _(
                        "%(when)s does not exist in %(zone)s: the clocks skip that hour "
                        "(daylight saving time). Choose another time."
                    )
                    % {"when": value.strftime("%Y-%m-%d %H:%M"), "zone": time_zone}
                ]
            }
        )
    return aware


def local(value: dt.datetime | None, time_zone: str) -> dt.datetime | None:
    """``value`` in ``time_zone``; a stored value that cannot be shown there (a year 9999
    near the end of the calendar) stays in UTC rather than breaking a page."""
    if value is None:
        return None
    try:
        return value.astimezone(zoneinfo.ZoneInfo(time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OverflowError):
        return value
