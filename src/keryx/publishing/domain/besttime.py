"""Best time to post: score each 30-minute slot of the week from the account's own history.

The history is the networks' metric snapshots (``networks.MetricSnapshot``, taken by the
metrics poll): each post counts with its first snapshot taken once it has settled, 48 hours or
more after publishing, so posts are compared at the same age (decision 0956). Each published
post's engagement rate (engagements per impression, or engagements when the
network gives no impressions) counts for the half-hour it went out in, weighted by age (a
post four weeks old counts half as much as one from today). Slots are pulled toward the
account's average when they have few posts, then smoothed with their neighbours and scaled to 0 (worst) – 1 (best). With fewer
than ``MIN_POSTS`` measured posts in the last twelve weeks the documented per-network
defaults are used instead, and the answer says so (docs/decisions/0405-best-time.md).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from keryx.content.enums import VariantStatus
from keryx.content.models import Variant
from keryx.networks.models import MetricSnapshot, NetworkAccount
from keryx.networks.registry import find_spec
from keryx.networks.spec import GENERIC_BEST_TIMES
from keryx.publishing.domain.slots import occupied

SLOTS = 7 * 48
MIN_POSTS = 10
HISTORY = dt.timedelta(weeks=12)
HALF_LIFE_DAYS = 28.0
PRIOR_WEIGHT = 2.0
SETTLE_AFTER = dt.timedelta(hours=48)

# When the account has too little history: the windows (weekday, from hour, to hour) each
# network's spec declares from the industry's published studies (Sprout Social and Hootsuite
# "best times to post" reports, 2024–2025), in the account's local time. A weak signal, and
# shown as such.


@dataclass
class BestTimes:
    source: str  # "history" or "defaults"
    posts: int
    time_zone: str
    scores: list[float] = field(default_factory=list)  # SLOTS values, Monday 00:00 first
    suggestions: list[dt.datetime] = field(default_factory=list)


def slot_of(at: dt.datetime, zone: zoneinfo.ZoneInfo) -> int:
    local = at.astimezone(zone)
    return local.weekday() * 48 + local.hour * 2 + local.minute // 30


def _defaults(network: str) -> list[float]:
    scores = [0.0] * SLOTS
    for day in range(7):
        for half in range(48):
            if 16 <= half < 44:  # 08:00–22:00: awake
                scores[day * 48 + half] = 0.3
    found = find_spec(network)
    for day, start, end in found.best_times if found is not None else GENERIC_BEST_TIMES:
        for half in range(start * 2, end * 2):
            scores[day * 48 + half] = 1.0
    return scores


def _from_history(
    rows: list[tuple[dt.datetime, int, int | None]], zone: zoneinfo.ZoneInfo, now: dt.datetime
) -> list[float]:
    weight = [0.0] * SLOTS
    total = [0.0] * SLOTS
    rates = []
    for published_at, engagements, impressions in rows:
        rate = engagements / impressions if impressions else float(engagements)
        age_days = max(0.0, (now - published_at).total_seconds() / 86400)
        w = 0.5 ** (age_days / HALF_LIFE_DAYS)
        slot = slot_of(published_at, zone)
        weight[slot] += w
        total[slot] += w * rate
        rates.append((w, rate))
    mean = sum(w * r for w, r in rates) / sum(w for w, _r in rates)
    shrunk = [(total[i] + PRIOR_WEIGHT * mean) / (weight[i] + PRIOR_WEIGHT) for i in range(SLOTS)]
    smooth = [
        0.25 * shrunk[(i - 1) % SLOTS] + 0.5 * shrunk[i] + 0.25 * shrunk[(i + 1) % SLOTS]
        for i in range(SLOTS)
    ]
    low, high = min(smooth), max(smooth)
    span = (high - low) or 1.0
    return [round((s - low) / span, 4) for s in smooth]


def account_time_zone(account: NetworkAccount) -> str:
    slot = account.posting_slots.first()
    return slot.time_zone if slot is not None else account.workspace.default_time_zone


def settled_engagement(
    account: NetworkAccount, *, since: dt.datetime
) -> list[tuple[dt.datetime, int, int | None]]:
    """(published at, engagements, impressions) of the account's posts published since
    ``since`` that have a settled snapshot. Engagements: likes + shares + comments + link
    clicks, a number the network does not give counting as none of them."""
    settled = (
        MetricSnapshot.objects.filter(
            account_id=OuterRef("account_id"),
            remote_id=OuterRef("remote_id"),
            taken_at__gte=OuterRef("published_at") + SETTLE_AFTER,
        )
        .order_by("taken_at", "pk")
        .values("pk")[:1]
    )
    published = dict(
        Variant.objects.filter(
            account=account,
            status=VariantStatus.PUBLISHED,
            published_at__gte=since,
            published_at__isnull=False,
        )
        .exclude(remote_id="")
        .annotate(snapshot=Subquery(settled))
        .filter(snapshot__isnull=False)
        .values_list("snapshot", "published_at")
    )
    rows = []
    for pk, likes, shares, comments, clicks, impressions in MetricSnapshot.objects.filter(
        pk__in=list(published)
    ).values_list("pk", "likes", "shares", "comments", "link_clicks", "impressions"):
        engagements = sum(x or 0 for x in (likes, shares, comments, clicks))
        rows.append((published[pk], engagements, impressions))
    return rows


def best_times(
    account: NetworkAccount, *, now: dt.datetime | None = None, count: int = 5
) -> BestTimes:
    now = now or timezone.now()
    time_zone = account_time_zone(account)
    zone = zoneinfo.ZoneInfo(time_zone)
    rows = settled_engagement(account, since=now - HISTORY)
    if len(rows) >= MIN_POSTS:
        result = BestTimes("history", len(rows), time_zone, _from_history(rows, zone, now))
    else:
        result = BestTimes("defaults", len(rows), time_zone, _defaults(account.network))
    result.suggestions = _suggest(account, result.scores, zone, now, count)
    return result


def _suggest(
    account: NetworkAccount,
    scores: list[float],
    zone: zoneinfo.ZoneInfo,
    now: dt.datetime,
    count: int,
) -> list[dt.datetime]:
    """The best free half-hours of the next 14 days, at least three hours apart, best first."""
    start = now + dt.timedelta(hours=1)
    end = now + dt.timedelta(days=14)
    taken = occupied(account, start - dt.timedelta(minutes=30), end)
    local = start.astimezone(zone)
    cursor = local.replace(
        minute=0 if local.minute < 30 else 30, second=0, microsecond=0
    ) + dt.timedelta(minutes=30)
    candidates = []
    while cursor < end:
        at = cursor.astimezone(dt.UTC)
        if not any(abs((at - t).total_seconds()) < 1800 for t in taken):
            candidates.append((-scores[slot_of(at, zone)], at))
        cursor += dt.timedelta(minutes=30)
    candidates.sort()
    chosen: list[dt.datetime] = []
    for _score, at in candidates:
        if all(abs((at - c).total_seconds()) >= 3 * 3600 for c in chosen):
            chosen.append(at)
            if len(chosen) >= count:
                break
    return chosen  # best first
