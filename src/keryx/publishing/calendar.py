"""How the calendar shows a variant: wall-clock times in a chosen zone, colours by network and
state. Shared by the calendar page's event feed (the API) and the iCalendar feed."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.utils.translation import gettext as _

from keryx.content.enums import VariantStatus
from keryx.content.models import Variant
from keryx.content.titles import post_title, title_from_text
from keryx.core.choices import time_zone_names
from keryx.publishing.limits import network_label
from keryx.publishing.models import Dispatch

S = VariantStatus

NETWORK_COLOURS = {
    "facebook": "#1877f2",
    "instagram": "#c13584",
    "linkedin": "#0a66c2",
    "x": "#14171a",
    "threads": "#3d3d3d",
    "mastodon": "#5b4fe0",
    "bluesky": "#0f73e6",
    "webhook": "#6b7280",
    "testnet": "#1f8a70",
}
STATE_COLOURS = {
    S.DRAFT: "#cbd5e1",
    S.IN_REVIEW: "#a5b4fc",
    S.APPROVED: "#94a3b8",
    S.SCHEDULED: "#1d4e89",
    S.PUBLISHING: "#b7791f",
    S.PUBLISHED: "#17663a",
    S.FAILED: "#a4262c",
    S.UNCONFIRMED: "#c05621",
    "held": "#6b21a8",
}
EDITABLE = {S.APPROVED, S.SCHEDULED, S.FAILED}
# A post happens at an instant; the calendar draws it this long, but never past midnight, so a
# post at 23:30 stays on its own day (issue 16, bug 3; docs/decisions/0720).
DRAWN_FOR = dt.timedelta(minutes=30)
# The short mark drawn in an entry's network badge (the colour says the rest).
NETWORK_MARKS = {
    "facebook": "f",
    "instagram": "IG",
    "linkedin": "in",
    "x": "X",
    "threads": "@",
    "mastodon": "M",
    "bluesky": "B",
    "webhook": "⇄",
    "testnet": "T",
}


def valid_zone(name: str | None, fallback: str) -> str:
    return name if name and name in time_zone_names() else fallback


def wall(value: dt.datetime, zone: str) -> str:
    """``2026-12-05T10:00:00``: the time on a clock in ``zone``, without an offset."""
    return (
        value.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None).isoformat(timespec="seconds")
    )


def drawn_until(value: dt.datetime, zone: str) -> str:
    """Where the calendar ends a post's entry: ``DRAWN_FOR`` later, or at the next midnight
    of ``zone`` if that comes first (an end at midnight belongs to the day before)."""
    local = value.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None)
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time())
    return min(local + DRAWN_FOR, midnight).isoformat(timespec="seconds")


def thumbnail_of(variant: Variant) -> str:
    """The address of the variant's first image, or ""."""
    for link in variant.media_links.all():
        if link.media.kind in {"image", "gif"}:
            return str(link.media.file.url)
    return ""


def parse_wall(text: str, zone: str) -> dt.datetime:
    """An ISO time; without an offset (or with the calendar's ``Z``) it is read in ``zone``."""
    raw = text.strip()
    if raw.endswith("Z"):
        raw = raw[:-1]
    value = dt.datetime.fromisoformat(raw)
    if value.tzinfo is not None and not text.strip().endswith("Z"):
        return value
    return value.replace(tzinfo=zoneinfo.ZoneInfo(zone))


def state_of(variant: Variant) -> str:
    try:
        held = variant.status == S.SCHEDULED and variant.dispatch.held_at is not None
    except Dispatch.DoesNotExist:
        held = False
    return "held" if held else variant.status


def state_label(state: str) -> str:
    if state == "held":
        return _("Held by a pause")
    return str(S(state).label)


def variant_event(variant: Variant, zone: str, *, can_schedule: bool) -> dict[str, Any]:
    when = variant.scheduled_at or variant.published_at
    assert when is not None
    state = state_of(variant)
    text = " ".join((variant.text or variant.post.master_text).split())
    account = variant.account
    return {
        "id": str(variant.pk),
        "title": f"{network_label(variant.network)} · {text[:60]}",
        "start": wall(when, zone),
        "end": drawn_until(when, zone),
        "allDay": False,
        "editable": can_schedule and variant.status in EDITABLE,
        "backgroundColor": NETWORK_COLOURS.get(variant.network, "#475569"),
        "borderColor": STATE_COLOURS.get(state, "#475569"),
        "classNames": [f"state-{state}", f"net-{variant.network}"],
        "extendedProps": {
            "state": state,
            "stateLabel": state_label(state),
            "network": variant.network,
            "networkLabel": network_label(variant.network),
            "mark": NETWORK_MARKS.get(variant.network, variant.network[:1].upper()),
            "colour": NETWORK_COLOURS.get(variant.network, "#475569"),
            "time": wall(when, zone)[11:16],
            "title": title_from_text(variant.text or variant.post.master_text)
            or post_title(variant.post),
            "thumbnail": thumbnail_of(variant),
            "account": account.handle or account.name,
            "seminar": variant.post.seminar_id,
            "post": variant.post_id,
            "author": str(variant.post.author) if variant.post.author else "",
            "phase": variant.post.campaign_phase,
            "theme": variant.post.theme,
            "text": text[:500],
            "error": variant.error_message if state in {S.FAILED, S.UNCONFIRMED} else "",
            "remoteUrl": variant.remote_url,
        },
    }
