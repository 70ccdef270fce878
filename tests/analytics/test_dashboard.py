"""The seminar dashboard: progress, forecast at the current pace, status, charts, CSV."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.analytics.domain.progress import forecast, pace, status_of
from keryx.analytics.enums import Status
from keryx.analytics.exports import csv_text
from keryx.analytics.kpis import Kpi, Unit, register_kpi
from keryx.analytics.presenters import dashboard_of
from tests.analytics.conftest import NOW

pytestmark = pytest.mark.django_db

D = Decimal


def _board(known, user):  # type: ignore[no-untyped-def]
    access = workspace_access(user, known.seminar.workspace, Perm.ANALYTICS_VIEW)
    return dashboard_of(access, known.seminar, now=NOW)


def test_kpis_against_targets_with_forecast_and_status(known, user) -> None:  # type: ignore[no-untyped-def]
    board = _board(known, user)
    assert board.days_left == 6
    rows = {r.kpi.key: r for r in board.with_target}
    # Registrations: running total 0 (30 Nov), 2, 3, 4, 4, 5, 5 (6 Dec); least-squares slope
    # 22/28 = 0.7857 a day → 5 + 6 × 11/14 = 9.714 → 97 % of 10: on track.
    reg = rows["registrations"]
    assert (reg.value, reg.target, reg.progress) == (D(5), D(10), D("50.0"))
    assert (reg.pace, reg.forecast, reg.status) == (D("0.79"), D("9.71"), Status.ON_TRACK)
    # Clicks: 0, 2, 2, 5, 5, 5 → slope 18.5/17.5 → 5 + 6 × 1.0571 = 11.34 → ahead of 4.
    clicks = rows["clicks"]
    assert (clicks.progress, clicks.forecast, clicks.status) == (
        D("125.0"),
        D("11.34"),
        Status.AHEAD,
    )
    # Attendance is not forecast: 1 of 100 is behind.
    att = rows["attendance"]
    assert (att.forecast, att.progress, att.status) == (None, D("1.0"), Status.BEHIND)
    # Budget (less is better): 0, 20.5, 50.5 ×5 → slope 211.5/28 → 95.82 ≤ 90 % of 200: ahead.
    budget = rows["budget"]
    assert (budget.progress, budget.forecast, budget.status) == (
        D("25.3"),
        D("95.82"),
        Status.AHEAD,
    )
    # NPS has a target but no data: not measured, never 0.
    nps = rows["nps"]
    assert (nps.value, nps.status) == (None, Status.NOT_MEASURED)
    assert "survey" in nps.reason


def test_charts_are_built_by_the_presenter(known, user) -> None:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        board = _board(known, user)
    chart = board.charts["registrations"]
    assert chart.labels[0] == "2026-12-01"
    assert chart.labels[-1] == "2026-12-12"  # carried on to the seminar date
    total, projected, target = chart.datasets
    assert total["data"][:6] == [D(2), D(3), D(4), D(4), D(5), D(5)]
    assert total["data"][6:] == [None] * 6
    assert projected["data"][5:7] == [D(5), D("5.79")]
    assert projected["data"][-1] == D("9.71")
    assert target["data"] == [D(10)] * 12
    progress = board.charts["progress"]
    assert dict(zip(progress.labels, progress.datasets[0]["data"], strict=True)) == {
        "Registrations": D("50.0"),
        "Attendance (checked in)": D("1.0"),
        "Link clicks": D("125.0"),
        "Ad spend (against the budget)": D("25.3"),
    }


def test_forecast_rules() -> None:
    daily = {NOW.date().replace(day=d): D(n) for d, n in ((5, 3), (6, 1))}
    # One data point before today counts from the day before the first: 0, 3, 4.
    assert pace(daily, today=NOW.date()) == D(2)
    assert forecast(daily, value=D(4), today=NOW.date(), until=NOW.date()) == D(4)
    assert status_of(D("9.4"), D(10), lower_is_better=False) == Status.BEHIND
    assert status_of(D("9.5"), D(10), lower_is_better=False) == Status.ON_TRACK
    assert status_of(D(11), D(10), lower_is_better=False) == Status.AHEAD
    assert status_of(D("10.5"), D(10), lower_is_better=True) == Status.ON_TRACK
    assert status_of(D("10.6"), D(10), lower_is_better=True) == Status.BEHIND
    assert status_of(D(-4), D(0), lower_is_better=False) == Status.ON_TRACK
    assert status_of(D(-6), D(0), lower_is_better=False) == Status.BEHIND
    assert status_of(D(5), None, lower_is_better=False) == Status.NO_TARGET


def test_dashboard_page_in_greek(known, owner_client: Client) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        response = owner_client.get(
            f"/w/{known.seminar.workspace.slug}/analytics/kpis/{known.seminar.pk}/",
            HTTP_ACCEPT_LANGUAGE="el",
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-kpi="registrations" data-status="on_track"' in html
    assert "Σε καλό δρόμο" in html
    assert 'id="chart-registrations"' in html
    assert "Υπολογίστηκε από τα ζωντανά δεδομένα" in html
    assert "/links/" in html and "/funnel/" in html  # the funnel stays one click away


def test_chart_csv_downloads_and_is_formula_safe(  # type: ignore[no-untyped-def]
    known, owner_client: Client, workspace, restore_registry
) -> None:
    # A label a spreadsheet would run as a formula: the CSV prefixes it with a quote.
    register_kpi(
        Kpi(key="engagement", label="=HYPERLINK(1)", unit=Unit.COUNT, compute=lambda s: D(3))
    )
    known.seminar.kpi_targets.create(metric="engagement", target=D(6))
    base = f"/w/{workspace.slug}/analytics/kpis/{known.seminar.pk}/"
    with time_machine.travel(NOW, tick=False):
        reg = owner_client.get(base + "registrations.csv", HTTP_ACCEPT_LANGUAGE="en")
        progress = owner_client.get(base + "progress.csv")
        missing = owner_client.get(base + "nothing.csv")
    assert missing.status_code == 404
    assert reg["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        reg["Content-Disposition"]
        == f'attachment; filename="{known.seminar.slug}-registrations.csv"'
    )
    rows = list(csv.reader(io.StringIO(reg.content.decode("utf-8-sig"))))
    assert rows[0] == ["Day", "Running total", "Forecast at the current pace", "Target"]
    assert rows[1] == ["2026-12-01", "2", "", "10"]
    assert rows[6] == ["2026-12-06", "5", "5", "10"]
    assert rows[7] == ["2026-12-07", "", "5.79", "10"]
    rows = list(csv.reader(io.StringIO(progress.content.decode("utf-8-sig"))))
    assert ["'=HYPERLINK(1)", "50.0"] in rows


def test_csv_cells_that_start_like_formulas_are_quoted() -> None:
    text = csv_text(["a", "b"], [["=1+1", D(-5)], ["@x", "+y"], ["-z", "ok"]])
    assert text == "\ufeffa,b\r\n'=1+1,-5\r\n'@x,'+y\r\n'-z,ok\r\n"


def test_targets_for_the_registrys_other_measures_and_lower_is_better(  # type: ignore[no-untyped-def]
    known, api, user, workspace
) -> None:
    """Targets can be set for measures beyond the first seven (reach, response rates, first
    reply time, cost per registrant) through the seminar's own API, and a lower-is-better
    one is judged that way: a cost under its ceiling is fine, over it is behind."""
    base = f"/api/v1/workspaces/{workspace.slug}/seminars/{known.seminar.pk}"
    answer = api.patch(
        base,
        {"kpi_targets": {"cost_per_registrant": "20", "reach": "500", "first_reply_time": "30"}},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["kpi_targets"]["cost_per_registrant"] == "20.00"
    refused = api.patch(
        base,
        {"kpi_targets": {"inbox_response_rate": "140"}},
        content_type="application/json",
        headers={"Accept-Language": "el"},
    )
    assert refused.status_code == 422
    assert "0" in str(refused.json()) and "100" in str(refused.json())
    rows = {r.kpi.key: r for r in _board(known, user).rows}
    cost = rows["cost_per_registrant"]
    assert cost.target == Decimal(20) and cost.value is not None and cost.value < 20
    assert cost.status in {Status.AHEAD, Status.ON_TRACK}
    assert rows["first_reply_time"].target == Decimal(30)
    assert rows["reach"].target == Decimal(500)

    api.patch(base, {"kpi_targets": {"cost_per_registrant": "10"}}, content_type="application/json")
    assert {r.kpi.key: r for r in _board(known, user).rows}["cost_per_registrant"].status == (
        Status.BEHIND
    )
