"""A KPI against its target: progress, the forecast to the seminar date at the current pace,
and a plain-words status. The rule is in docs/decisions/0951-kpi-forecast-and-status.md."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from keryx.analytics.enums import Status

# The pace is measured over the last WINDOW days (fewer if the data is younger).
WINDOW = 14
AHEAD = Decimal("1.10")  # projected ≥ 110 % of the target
ON_TRACK = Decimal("0.95")  # projected ≥ 95 % of the target
UNDER = Decimal("0.90")  # lower-is-better: projected ≤ 90 % of the target is ahead
OVER = Decimal("1.05")  # lower-is-better: projected ≤ 105 % of the target is on track
SCORE_MARGIN = Decimal(5)  # targets of 0 or less (NPS): points either side


def cumulative(daily: dict[date, Decimal], *, until: date) -> list[tuple[date, Decimal]]:
    """The running total of each day from the first day with data to ``until`` (inclusive)."""
    if not daily:
        return []
    first = min(daily)
    total = Decimal(0)
    out = []
    day = first
    while day <= until:
        total += daily.get(day, Decimal(0))
        out.append((day, total))
        day += timedelta(days=1)
    return out


def pace(daily: dict[date, Decimal], *, today: date) -> Decimal:
    """Amount per day: the least-squares slope of the running total over the last WINDOW days,
    anchored on the total the day before the window (so one day of data gives that day's
    amount)."""
    series = cumulative(daily, until=today)
    if not series:
        return Decimal(0)
    window = series[-WINDOW:]
    before = series[-WINDOW - 1][1] if len(series) > WINDOW else Decimal(0)
    ys = [before, *(total for _day, total in window)]
    n = len(ys)
    mean_x = Decimal(n - 1) / 2
    mean_y = sum(ys, Decimal(0)) / n
    num = sum(((Decimal(i) - mean_x) * (y - mean_y) for i, y in enumerate(ys)), Decimal(0))
    den = sum(((Decimal(i) - mean_x) ** 2 for i in range(n)), Decimal(0))
    return num / den


def forecast(daily: dict[date, Decimal], *, value: Decimal, today: date, until: date) -> Decimal:
    """Where the KPI will be on ``until`` at the current pace (the value itself once
    ``until`` has come)."""
    days_left = (until - today).days
    if days_left <= 0:
        return value
    return value + pace(daily, today=today) * days_left


def status_of(projected: Decimal, target: Decimal | None, *, lower_is_better: bool) -> Status:
    if target is None:
        return Status.NO_TARGET
    if target <= 0:
        gap = projected - target
        if lower_is_better:
            gap = -gap
        if gap >= 2 * SCORE_MARGIN:
            return Status.AHEAD
        return Status.ON_TRACK if gap >= -SCORE_MARGIN else Status.BEHIND
    ratio = projected / target
    if lower_is_better:
        if ratio <= UNDER:
            return Status.AHEAD
        return Status.ON_TRACK if ratio <= OVER else Status.BEHIND
    if ratio >= AHEAD:
        return Status.AHEAD
    return Status.ON_TRACK if ratio >= ON_TRACK else Status.BEHIND


def progress_percent(value: Decimal, target: Decimal | None) -> Decimal | None:
    """How far the value is towards the target, in per cent (one decimal)."""
    if target is None or target <= 0:
        return None
    return (100 * value / target).quantize(Decimal("0.1"), ROUND_HALF_UP)
