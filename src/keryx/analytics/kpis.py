"""The KPI registry: every KPI Keryx knows, with the code that computes it for a seminar.

Dashboards, reports and the API read this registry and nothing else. A KPI whose data Keryx
does not collect yet is registered with a plain-words reason and shows "not measured yet",
never 0. Another app makes one measurable by registering it again under the same key (the
later registration replaces the earlier)::

    from keryx.analytics.kpis import Kpi, Unit, register_kpi

    register_kpi(Kpi(key="nps", label=_("Net Promoter Score"), unit=Unit.SCORE,
                     compute=nps_of_seminar))

Keys of ``KpiMetric`` (the seminar's KPI targets) are KPI keys, so each target finds its KPI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from django.utils.functional import Promise

if TYPE_CHECKING:
    from keryx.seminars.models import Seminar

Text = str | Promise


class Unit(StrEnum):
    COUNT = "count"
    MONEY = "money"  # in the seminar's currency
    RATING = "rating"  # 1–5
    SCORE = "score"  # −100…100
    PERCENT = "percent"
    MINUTES = "minutes"


@dataclass(frozen=True)
class NotMeasured:
    """Why a KPI has no value for this seminar (yet)."""

    reason: Text


Value = Decimal | NotMeasured
Compute = Callable[["Seminar"], Value]
Daily = Callable[["Seminar"], dict[date, Decimal]]


@dataclass(frozen=True)
class Kpi:
    key: str
    label: Text
    unit: Unit
    # None: Keryx does not collect the data yet; ``reason`` says so in plain words.
    compute: Compute | None = None
    # The amount added each day (seminar's time zone), for the chart and the forecast; only
    # for KPIs that accumulate (a count, money spent).
    daily: Daily | None = None
    reason: Text = ""
    # False where a pace makes no sense before the day (check-ins happen at the seminar).
    forecastable: bool = True
    lower_is_better: bool = False
    source: Text = ""  # where the number comes from, shown next to it

    @property
    def measured(self) -> bool:
        return self.compute is not None

    def value_for(self, seminar: Seminar) -> Value:
        if self.compute is None:
            return NotMeasured(self.reason)
        return self.compute(seminar)


_REGISTRY: dict[str, Kpi] = {}


def register_kpi(kpi: Kpi) -> Kpi:
    """Add a KPI, or replace the one registered under the same key. A "not measured yet"
    placeholder never replaces a measured KPI, so the order in which apps load does not
    matter."""
    if kpi.compute is None and not kpi.reason:
        raise ValueError(f"KPI {kpi.key!r} is not computed and says no reason why")
    existing = _REGISTRY.get(kpi.key)
    if existing is not None and existing.measured and not kpi.measured:
        return existing
    _REGISTRY[kpi.key] = kpi
    return kpi


def all_kpis() -> list[Kpi]:
    """Every KPI, in the order they were first registered."""
    return list(_REGISTRY.values())


def kpi(key: str) -> Kpi:
    return _REGISTRY[key]


def has_kpi(key: str) -> bool:
    return key in _REGISTRY


# Reads several KPIs share (the ad figures behind four KPIs, the snapshot totals behind six),
# done once while a dashboard, report or API answer is computed (``shared_reads``).
_SHARED: ContextVar[dict[Any, Any] | None] = ContextVar("kpi_shared_reads", default=None)
T = TypeVar("T")


@contextmanager
def shared_reads() -> Iterator[None]:
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def shared(key: Any, compute: Callable[[], T]) -> T:
    """``compute()``, once per ``key`` inside ``shared_reads()``; every time outside it."""
    store = _SHARED.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]
