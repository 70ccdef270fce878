"""Numbers from the networks' metric snapshots: reach, impressions, likes, shares, comments
and engagement (likes + shares + comments) of a seminar's posts, now and over time.

Now: the latest snapshot of each published variant, summed (as of the last refresh of the
pre-aggregated figures). Over time: each variant's last
snapshot of each day (``MetricDay``, pre-aggregated), carried forward to the days after, summed
per network. A number a network does not give is left out, never counted as 0; when none of
the seminar's networks gives it, the KPI says so."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Max, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keryx.analytics.charts import Chart
from keryx.analytics.kpis import NotMeasured, Value, shared
from keryx.analytics.models import DailyFigure, MetricDay

if TYPE_CHECKING:
    from keryx.seminars.models import Seminar

FIELDS = ("likes", "shares", "comments", "impressions", "reach")
ENGAGEMENT = ("likes", "shares", "comments")


def latest_totals(seminar: Seminar) -> dict[str, int] | None:
    """The sums of each variant's latest numbers (as of the last refresh of the figures), per
    field a network gave; None when no post has been measured."""
    figures = DailyFigure.objects.filter(
        seminar=seminar, series__in=[f"metric:{f}" for f in FIELDS], day__isnull=False
    )
    last = figures.aggregate(day=Max("day"))["day"]
    if last is None:
        return {} if MetricDay.objects.filter(seminar=seminar).exists() else None
    return {
        series.removeprefix("metric:"): int(n)
        for series, n in figures.filter(day=last)
        .values_list("series")
        .annotate(n=Sum("value"))
        .order_by()
    }


def snapshot_value(fields: tuple[str, ...]) -> Callable[[Seminar], Value]:
    def compute(seminar: Seminar) -> Value:
        totals = shared(("latest_totals", seminar.pk), lambda: latest_totals(seminar))
        if totals is None:
            return NotMeasured(
                gettext_lazy(
                    "No metric snapshots yet: none of the seminar's posts has been measured."
                )
            )
        given = [totals[f] for f in fields if f in totals]
        if not given:
            return NotMeasured(
                gettext_lazy("The networks of the seminar's posts do not report this.")
            )
        return Decimal(sum(given))

    return compute


def totals_per_day(seminar: Seminar) -> dict[str, dict[date, dict[str, int | None]]]:
    """{network: {day: {field: total of its variants' latest numbers that day}}}, each
    variant's numbers carried forward from the last day it was measured (pre-aggregated by
    ``domain.rollups`` as the ``metric:<field>`` series, keyed by network)."""
    result: dict[str, dict[date, dict[str, int | None]]] = defaultdict(dict)
    rows = (
        DailyFigure.objects.filter(
            seminar=seminar, series__in=[f"metric:{f}" for f in FIELDS], day__isnull=False
        )
        .order_by("day")
        .values_list("series", "key", "day", "value")
    )
    for series, network, day, value in rows:
        if day is None:
            continue
        totals = result[network].setdefault(day, dict.fromkeys(FIELDS))
        totals[series.removeprefix("metric:")] = value
    return dict(result)


def network_totals(rows: list[tuple[int, str, date, list[int | None]]]) -> list[DailyFigure]:
    """The ``metric:<field>`` figures (per network and day) from the variants' days (variant
    id, network, day, numbers in ``FIELDS`` order), sorted by day: each variant carried
    forward to the last day; a field no variant of the network gives that day is not stored."""
    if not rows:
        return []
    first, last = rows[0][2], rows[-1][2]
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    by_variant: dict[int, dict[date, list[int | None]]] = defaultdict(dict)
    network_of: dict[int, str] = {}
    for variant_id, network, day, numbers in rows:
        by_variant[variant_id][day] = numbers
        network_of[variant_id] = network
    sums: dict[tuple[str, date, str], int] = {}
    for variant_id, seen in by_variant.items():
        network = network_of[variant_id]
        current: list[int | None] | None = None
        for day in days:
            current = seen.get(day, current)
            if current is None:
                continue
            for field, value in zip(FIELDS, current, strict=True):
                if value is not None:
                    key = (network, day, field)
                    sums[key] = sums.get(key, 0) + value
    return [
        DailyFigure(series=f"metric:{field}", key=network, day=day, value=value)
        for (network, day, field), value in sums.items()
    ]


def snapshot_daily(fields: tuple[str, ...]) -> Callable[[Seminar], dict[date, Decimal]]:
    """What each day added to the total (the difference of the day's total and the day
    before's), for the running-total chart and the forecast."""

    def daily(seminar: Seminar) -> dict[date, Decimal]:
        overall: dict[date, int] = defaultdict(int)
        for per_day in totals_per_day(seminar).values():
            for day, totals in per_day.items():
                overall[day] += sum(totals[f] or 0 for f in fields)
        result: dict[date, Decimal] = {}
        previous = 0
        for day in sorted(overall):
            result[day] = Decimal(overall[day] - previous)
            previous = overall[day]
        return result

    return daily


def engagement_chart(seminar: Seminar) -> Chart:
    """Engagement (likes + shares + comments) per network over time, one line per network."""
    from keryx.links.enums import LINK_CHANNEL_CHOICES

    per_network = totals_per_day(seminar)
    days = sorted({day for per_day in per_network.values() for day in per_day})
    names = dict(LINK_CHANNEL_CHOICES)
    datasets = []
    for network in sorted(per_network):
        per_day = per_network[network]
        data: list[int | None] = []
        for day in days:
            totals = per_day.get(day)
            values = [totals[f] for f in ENGAGEMENT if totals and totals[f] is not None]
            data.append(sum(values) if values else None)  # type: ignore[arg-type]
        datasets.append({"label": str(names.get(network, network)), "data": data})
    return Chart(
        key="engagement-networks",
        title=_("Engagement per network over time (likes + shares + comments)"),
        labels=[d.isoformat() for d in days],
        datasets=datasets,
        label_header=_("Day"),
    )
