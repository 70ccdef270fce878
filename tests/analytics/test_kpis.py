"""The KPI registry on a known data set (tests/analytics/conftest.py): every value computed by
hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy as _

from keryx.analytics.kpis import Kpi, NotMeasured, Unit, all_kpis, kpi, register_kpi
from keryx.seminars.enums import KpiMetric

pytestmark = pytest.mark.django_db

D = Decimal


def test_every_kpi_metric_of_the_targets_has_a_kpi() -> None:
    keys = {k.key for k in all_kpis()}
    assert set(KpiMetric.values) <= keys


def test_the_kpis_the_issue_names_are_all_registered() -> None:
    assert [k.key for k in all_kpis()] == [
        "registrations",
        "confirmed",
        "attendance",
        "participants_online",
        "clicks",
        "engagement",
        "reach",
        "impressions",
        "likes",
        "shares",
        "comments",
        "average_rating",
        "nps",
        "survey_response_rate",
        "first_reply_time",
        "budget",
        "cost_per_click",
        "cost_per_registrant",
        "cost_per_attendee",
        "inbox_response_rate",
    ]


def test_measured_values_on_the_known_data_set(known) -> None:  # type: ignore[no-untyped-def]
    values = {
        k.key: v
        for k in all_kpis()
        if k.measured and not isinstance(v := k.value_for(known.seminar), NotMeasured)
    }
    assert values == {
        # r1, r2, r3, r4 (waiting list), r6; r5 is cancelled.
        "registrations": D(5),
        # r1, r3, r4, r6 confirmed; r5's confirmation does not count once cancelled.
        "confirmed": D(4),
        "attendance": D(1),
        # Five clicks by people; the preview and the bot are left out.
        "clicks": D(5),
        # 20.50 + 30.00 spent.
        "budget": D("50.50"),
        # 50.50 / 100 ad clicks = 0.505, rounded half up.
        "cost_per_click": D("0.51"),
        # Registrants through the campaign's link: r3, r4, r6 → 50.50 / 3 = 16.8333…
        "cost_per_registrant": D("16.83"),
        # Of them r6 checked in → 50.50 / 1.
        "cost_per_attendee": D("50.50"),
    }
    # The inbox measures these; nothing came in for this seminar, and it says so.
    assert kpi("first_reply_time").value_for(known.seminar) == NotMeasured(
        _("Nothing in the inbox was answered yet.")
    )
    assert kpi("inbox_response_rate").value_for(known.seminar) == NotMeasured(
        _("No comments or mentions yet.")
    )


def test_daily_series_are_days_in_the_seminars_time_zone(known) -> None:  # type: ignore[no-untyped-def]
    day = lambda n: dt.date(2026, 12, n)  # noqa: E731
    assert kpi("registrations").daily(known.seminar) == {  # type: ignore[misc]
        day(1): D(2),
        day(2): D(1),  # 00:30 in Athens on 2 Dec is 22:30 UTC on 1 Dec
        day(3): D(1),
        day(5): D(1),
    }
    assert kpi("confirmed").daily(known.seminar) == {day(1): D(1), day(3): D(2), day(5): D(1)}  # type: ignore[misc]
    assert kpi("clicks").daily(known.seminar) == {day(2): D(2), day(4): D(3)}  # type: ignore[misc]
    assert kpi("budget").daily(known.seminar) == {day(1): D("20.50"), day(2): D("30.00")}  # type: ignore[misc]


def test_not_measured_kpis_say_why_and_are_never_zero(known) -> None:  # type: ignore[no-untyped-def]
    for key in ("engagement", "reach", "nps", "average_rating", "first_reply_time"):
        value = kpi(key).value_for(known.seminar)
        assert isinstance(value, NotMeasured)
        assert str(value.reason)


def test_ad_kpis_without_campaigns_are_not_measured(seminar) -> None:  # type: ignore[no-untyped-def]
    value = kpi("cost_per_registrant").value_for(seminar)
    assert value == NotMeasured(_("No ad campaigns for this seminar."))


def test_cost_per_registrant_without_registrants_says_so(known) -> None:  # type: ignore[no-untyped-def]
    known.campaign.links.clear()
    value = kpi("cost_per_registrant").value_for(known.seminar)
    assert isinstance(value, NotMeasured)
    assert "tracked links" in str(value.reason)


def test_an_app_registers_a_kpi_and_replaces_the_placeholder(known, restore_registry) -> None:  # type: ignore[no-untyped-def]
    register_kpi(Kpi(key="nps", label="NPS", unit=Unit.SCORE, compute=lambda s: D(42)))
    assert kpi("nps").value_for(known.seminar) == D(42)
    assert [k.key for k in all_kpis()].index("nps") == 12  # keeps its place


def test_a_placeholder_never_replaces_a_measured_kpi(known, restore_registry) -> None:  # type: ignore[no-untyped-def]
    register_kpi(Kpi(key="nps", label="NPS", unit=Unit.SCORE, compute=lambda s: D(42)))
    register_kpi(Kpi(key="nps", label="NPS", unit=Unit.SCORE, reason="later placeholder"))
    assert kpi("nps").value_for(known.seminar) == D(42)


def test_a_kpi_without_code_must_say_why(restore_registry) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        register_kpi(Kpi(key="x", label="X", unit=Unit.COUNT))
