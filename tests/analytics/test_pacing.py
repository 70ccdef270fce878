"""Budget pacing: spent share against elapsed share."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from keryx.analytics.models import AdCampaign
from keryx.analytics.reporting import campaign_report, pacing_of

D = Decimal


def _campaign(budget: str = "100") -> AdCampaign:
    # Ten days, 1–10 December.
    return AdCampaign(
        starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 10), budget=D(budget)
    )


@pytest.mark.parametrize(
    ("spend", "day", "level"),
    [
        ("10", dt.date(2026, 11, 30), "not_started"),
        ("50", dt.date(2026, 12, 5), "ok"),  # 50 % spent in 50 % of the time
        ("57", dt.date(2026, 12, 5), "ok"),  # 0.57 ≤ 1.15 × 0.5
        ("58", dt.date(2026, 12, 5), "over"),  # 0.58 > 0.575
        ("38", dt.date(2026, 12, 5), "ok"),  # 0.38 ≥ 0.75 × 0.5
        ("37", dt.date(2026, 12, 5), "under"),  # 0.37 < 0.375
        ("20", dt.date(2026, 12, 10), "ok"),  # the last day: nothing left to pace
        ("101", dt.date(2026, 12, 10), "over_budget"),
    ],
)
def test_pacing_levels(spend: str, day: dt.date, level: str) -> None:
    assert pacing_of(_campaign(), D(spend), today=day).level == level


def test_pacing_message_in_plain_words() -> None:
    pacing = pacing_of(_campaign("200"), D("50.50"), today=dt.date(2026, 12, 6))
    assert (pacing.elapsed_share, pacing.spent_share, pacing.level) == (
        D("0.600"),
        D("0.253"),
        "under",
    )
    assert pacing.message == (
        "Spending too slowly: 25% of the budget spent in 60% of the time; part of the budget will be left unspent."
    )


@pytest.mark.django_db
def test_campaign_report_on_the_known_data_set(known) -> None:  # type: ignore[no-untyped-def]
    report = campaign_report(known.campaign, today=dt.date(2026, 12, 6))
    f = report.figures
    assert (f.spend, f.budget, f.impressions, f.clicks) == (D("50.50"), D("200.00"), 3000, 100)
    assert (f.registrants, f.attendees) == (3, 1)
    assert (f.cost_per_click, f.cost_per_registrant, f.cost_per_attendee) == (
        D("0.51"),
        D("16.83"),
        D("50.50"),
    )
    assert report.pacing.alert is True
    # 100 ad clicks → 2 people's clicks on the campaign's link → 3 registrants → 1 attendee.
    assert f.funnel() == [
        ("ad_clicks", 100, None),
        ("link_clicks", 2, D("2.0")),
        ("registrants", 3, D("150.0")),
        ("attendees", 1, D("33.3")),
    ]
