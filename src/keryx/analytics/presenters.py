"""What the seminar dashboard shows, built from the KPI registry: each KPI against its target,
the forecast and status, and the data of every chart with its table and CSV. Views only render
what this module returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.analytics.audience import audience_charts
from keryx.analytics.charts import Chart
from keryx.analytics.domain.progress import (
    cumulative,
    forecast,
    pace,
    progress_percent,
    status_of,
)
from keryx.analytics.domain.rollups import rollups_ensure
from keryx.analytics.engagement import engagement_chart
from keryx.analytics.enums import Status
from keryx.analytics.funnel import funnel_view
from keryx.analytics.kpis import Kpi, NotMeasured, all_kpis, shared_reads
from keryx.analytics.models import AdResult
from keryx.analytics.posts import post_ranking
from keryx.seminars.models import Seminar

TWO = Decimal("0.01")


@dataclass
class KpiRow:
    kpi: Kpi
    value: Decimal | None
    reason: str
    target: Decimal | None
    progress: Decimal | None
    forecast: Decimal | None
    pace: Decimal | None
    status: Status
    chart: Chart | None = None

    @property
    def show_chart(self) -> bool:
        """Over time on the page: the KPIs with a target, and the headline ones (every chart
        stays downloadable as CSV)."""
        return self.chart is not None and (
            self.target is not None or self.kpi.key in ("registrations", "clicks", "engagement")
        )

    @property
    def bar_width(self) -> Decimal:
        return min(self.progress or Decimal(0), Decimal(100))


@dataclass
class Dashboard:
    seminar: Seminar
    today: date
    seminar_day: date
    computed_at: datetime
    ads_imported_at: datetime | None
    rows: list[KpiRow]
    charts: dict[str, Chart] = field(default_factory=dict)
    audience: list[Chart] = field(default_factory=list)
    posts: list[Chart] = field(default_factory=list)
    # when the pre-aggregated figures (clicks, registrations, snapshots) were last brought up
    # to date; None where everything was computed at ``computed_at``
    figures_as_of: datetime | None = None
    engagement: Chart | None = None
    funnel: Chart | None = None

    @property
    def days_left(self) -> int:
        return max((self.seminar_day - self.today).days, 0)

    @property
    def with_target(self) -> list[KpiRow]:
        return [r for r in self.rows if r.target is not None]

    @property
    def measured_without_target(self) -> list[KpiRow]:
        return [r for r in self.rows if r.target is None and r.value is not None]

    @property
    def not_measured(self) -> list[KpiRow]:
        return [r for r in self.rows if r.target is None and r.value is None]


def _round(value: Decimal) -> Decimal:
    """Two decimals at most; whole numbers stay whole (a count of 2 is "2", not "2.00")."""
    rounded = value.quantize(TWO, ROUND_HALF_UP)
    return rounded.quantize(Decimal(1)) if rounded == rounded.to_integral_value() else rounded


def _kpi_chart(
    kpi: Kpi,
    daily: dict[date, Decimal],
    *,
    today: date,
    until: date,
    target: Decimal | None,
    projected_pace: Decimal | None,
) -> Chart:
    actual = cumulative(daily, until=today)
    labels = [d.isoformat() for d, _total in actual]
    values: list[Decimal | None] = [_round(t) for _d, t in actual]
    projection: list[Decimal | None] = [None] * len(values)
    if projected_pace is not None and actual and until > today:
        projection[-1] = values[-1]
        last = actual[-1][1]
        for k in range(1, (until - today).days + 1):
            labels.append((today + timedelta(days=k)).isoformat())
            values.append(None)
            projection.append(_round(last + projected_pace * k))
    datasets: list[dict[str, Any]] = [{"label": _("Running total"), "data": values}]
    if projected_pace is not None:
        datasets.append({"label": _("Forecast at the current pace"), "data": projection})
    if target is not None:
        datasets.append({"label": _("Target"), "data": [_round(target)] * len(labels)})
    return Chart(
        key=kpi.key, title=str(kpi.label), labels=labels, datasets=datasets, label_header=_("Day")
    )


def _rows(
    seminar: Seminar, targets: dict[str, Decimal], *, today: date, seminar_day: date
) -> tuple[list[KpiRow], dict[str, Chart]]:
    rows: list[KpiRow] = []
    charts: dict[str, Chart] = {}
    for kpi in all_kpis():
        target = targets.get(kpi.key)
        result = kpi.value_for(seminar)
        if isinstance(result, NotMeasured):
            rows.append(
                KpiRow(kpi, None, str(result.reason), target, None, None, None, Status.NOT_MEASURED)
            )
            continue
        value = result
        daily = kpi.daily(seminar) if kpi.daily else None
        row_pace = projected = None
        if daily is not None and kpi.forecastable:
            row_pace = pace(daily, today=today)
            projected = forecast(daily, value=value, today=today, until=seminar_day)
        row = KpiRow(
            kpi=kpi,
            value=value,
            reason="",
            target=target,
            progress=progress_percent(value, target),
            forecast=_round(projected) if projected is not None else None,
            pace=_round(row_pace) if row_pace is not None else None,
            status=status_of(
                projected if projected is not None else value,
                target,
                lower_is_better=kpi.lower_is_better,
            ),
        )
        if daily is not None:
            row.chart = _kpi_chart(
                kpi,
                daily,
                today=today,
                until=seminar_day,
                target=target,
                projected_pace=row_pace,
            )
            charts[kpi.key] = row.chart
        rows.append(row)
    return rows, charts


def dashboard_of(access: Access, seminar: Seminar, *, now: datetime | None = None) -> Dashboard:
    """Every KPI of the seminar against its target (the seminar must be in the workspace)."""
    access.require(Perm.ANALYTICS_VIEW)
    if seminar.workspace_id != access.workspace.pk:
        raise ValueError("seminar outside the workspace")
    now = now or timezone.now()
    figures_as_of = rollups_ensure(seminar, now=now)
    today = now.astimezone(seminar.tz).date()
    seminar_day = seminar.starts_at.astimezone(seminar.tz).date()
    targets = {t.metric: t.target for t in seminar.kpi_targets.all()}
    with shared_reads():
        rows, charts = _rows(seminar, targets, today=today, seminar_day=seminar_day)
    with_target = [r for r in rows if r.target is not None and r.progress is not None]
    charts["progress"] = Chart(
        key="progress",
        title=_("Per cent of the target reached"),
        labels=[str(r.kpi.label) for r in with_target],
        datasets=[
            {"label": _("Per cent of the target"), "data": [r.progress for r in with_target]}
        ],
        kind="bar",
        label_header=_("KPI"),
    )
    audience = audience_charts(seminar)
    posts = list(post_ranking(seminar))
    engagement = engagement_chart(seminar)
    funnel = funnel_view(access, seminar).stages_chart()
    charts.update({chart.key: chart for chart in [*audience, *posts, engagement, funnel]})
    imported = AdResult.objects.filter(campaign__seminar=seminar).aggregate(at=Max("imported_at"))
    return Dashboard(
        seminar=seminar,
        today=today,
        seminar_day=seminar_day,
        computed_at=now,
        ads_imported_at=imported["at"],
        rows=rows,
        charts=charts,
        audience=audience,
        posts=posts,
        figures_as_of=figures_as_of,
        engagement=engagement,
        funnel=funnel,
    )
