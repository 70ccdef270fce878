"""Reads of the pre-aggregated figures (``domain.rollups``): a series per day, per key, or in
total. The pages and the KPI registry read these instead of the raw clicks and snapshots."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from keryx.analytics.domain.rollups import TOTALLED
from keryx.analytics.models import DailyFigure
from keryx.seminars.models import Seminar


def series_per_day(seminar: Seminar, series: str) -> dict[date, Decimal]:
    if series in TOTALLED:
        series = f"daily:{series}"
    rows = (
        DailyFigure.objects.filter(seminar=seminar, series=series, day__isnull=False)
        .values_list("day")
        .annotate(n=Sum("value"))
        .order_by("day")
    )
    return {day: Decimal(n) for day, n in rows if n}


def series_per_key(seminar: Seminar, *series: str) -> dict[str, dict[str, int]]:
    """{series: {key: sum over the days}}."""
    found: dict[str, dict[str, int]] = defaultdict(dict)
    names = {f"total:{s}" if s in TOTALLED else s: s for s in series}
    rows = (
        DailyFigure.objects.filter(seminar=seminar, series__in=list(names))
        .values_list("series", "key")
        .annotate(n=Sum("value"))
        .order_by()
    )
    for name, key, n in rows:
        found[names[name]][key] = int(n or 0)
    return found


def series_total(seminar: Seminar, series: str) -> int:
    if series in TOTALLED:
        series = f"daily:{series}"
    total = DailyFigure.objects.filter(seminar=seminar, series=series).aggregate(n=Sum("value"))
    return int(total["n"] or 0)
