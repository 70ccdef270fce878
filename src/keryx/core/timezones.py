"""Times are stored in UTC and shown in the seminar's zone; naive input means that zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo


def aware_in(value: dt.datetime | None, time_zone: str) -> dt.datetime | None:
    """``value`` as an aware datetime; a naive one is read as wall time in ``time_zone``."""
    if value is None or value.tzinfo is not None:
        return value
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return value.replace(tzinfo=zone)


def local(value: dt.datetime | None, time_zone: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return value.astimezone(zoneinfo.ZoneInfo(time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return value
