"""Meta Marketing API insights import against the documented payload shape (respx at the
edge): daily rows per campaign, paging through ``paging.next``, errors in plain words."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import httpx
import pytest
import respx
from django.utils import translation

from keryx.accounts.access import workspace_access
from keryx.analytics.domain.meta_import import meta_access_save, meta_insights_import
from keryx.analytics.importers import ImportProblem
from keryx.analytics.models import AdResult
from keryx.networks.meta_graph import GRAPH_URL
from tests.analytics.conftest import NOW

pytestmark = pytest.mark.django_db
INSIGHTS = f"{GRAPH_URL}/act_1234567890/insights"


def _day(campaign: str, day: int, spend: str, **extra: object) -> dict[str, object]:
    return {
        "account_id": "1234567890",
        "campaign_id": "120200000000001" if campaign.startswith("Χειμ") else "120200000000002",
        "campaign_name": campaign,
        "date_start": f"2026-12-0{day}",
        "date_stop": f"2026-12-0{day}",
        "spend": spend,
        **extra,
    }


PAGE_1 = {
    "data": [
        _day(
            "Χειμερινή καμπάνια",
            1,
            "20.5",
            impressions="1000",
            reach="800",
            clicks="40",
            actions=[
                {"action_type": "link_click", "value": "35"},
                {"action_type": "page_engagement", "value": "52"},
            ],
        ),
        _day("Άλλη καμπάνια", 1, "3.10", impressions="100", clicks="2"),
    ],
    "paging": {
        "cursors": {"before": "MAZDZD", "after": "MQZDZD"},
        "next": f"{INSIGHTS}?access_token=tok&after=MQZDZD&limit=100",
    },
}
PAGE_2 = {
    # Reach left out by Meta for this row: unknown, not 0.
    "data": [_day("Χειμερινή καμπάνια", 2, "30", impressions="2000", clicks="60")],
    "paging": {"cursors": {"before": "MgZDZD", "after": "MgZDZD"}},
}


@pytest.fixture
def meta_campaign(known, user):  # type: ignore[no-untyped-def]
    access = workspace_access(user, known.seminar.workspace)
    AdResult.objects.filter(campaign=known.campaign).delete()
    meta_access_save(access=access, ad_account_id="act_1234567890", access_token="tok")
    return access, known.campaign


def test_meta_insights_imported_day_by_day_through_every_page(
    meta_campaign, respx_mock: respx.MockRouter
) -> None:  # type: ignore[no-untyped-def]
    access, campaign = meta_campaign

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("after") == "MQZDZD":
            return httpx.Response(200, json=PAGE_2)
        params = request.url.params
        assert params["level"] == "campaign"
        assert params["time_increment"] == "1"
        assert json.loads(params["time_range"]) == {"since": "2026-12-01", "until": "2026-12-06"}
        assert set(params["fields"].split(",")) >= {"spend", "impressions", "reach", "clicks"}
        assert params["access_token"] == "tok"
        return httpx.Response(200, json=PAGE_1)

    route = respx_mock.get(INSIGHTS).mock(side_effect=answer)
    outcome = meta_insights_import(access=access, campaign=campaign, now=NOW)
    assert route.call_count == 2
    assert (outcome.rows, outcome.other_campaigns) == (2, ["Άλλη καμπάνια"])
    rows = list(
        AdResult.objects.filter(campaign=campaign)
        .order_by("period_start")
        .values_list("period_start", "spend", "impressions", "reach", "clicks")
    )
    assert rows == [
        (dt.date(2026, 12, 1), Decimal("20.50"), 1000, 800, 40),
        (dt.date(2026, 12, 2), Decimal("30.00"), 2000, None, 60),
    ]
    # Importing again replaces the days.
    route.side_effect = answer
    meta_insights_import(access=access, campaign=campaign, now=NOW)
    assert AdResult.objects.filter(campaign=campaign).count() == 2


@pytest.mark.parametrize(
    ("status", "error", "words"),
    [
        (
            400,
            {"message": "Error validating access token", "type": "OAuthException", "code": 190},
            "did not accept the access token",
        ),
        (
            400,
            {"message": "User request limit reached", "type": "OAuthException", "code": 17},
            "slow down",
        ),
    ],
)
def test_meta_errors_in_plain_words(
    meta_campaign, respx_mock: respx.MockRouter, status: int, error: dict, words: str
) -> None:  # type: ignore[no-untyped-def]
    access, campaign = meta_campaign
    respx_mock.get(INSIGHTS).mock(return_value=httpx.Response(status, json={"error": error}))
    with translation.override("en"), pytest.raises(ImportProblem) as raised:
        meta_insights_import(access=access, campaign=campaign, now=NOW)
    assert words in str(raised.value.message)
    assert not AdResult.objects.filter(campaign=campaign).exists()


def test_meta_import_needs_the_ad_account_first(known, user) -> None:  # type: ignore[no-untyped-def]
    access = workspace_access(user, known.seminar.workspace)
    with translation.override("en"), pytest.raises(ImportProblem) as raised:
        meta_insights_import(access=access, campaign=known.campaign, now=NOW)
    assert "ad account" in str(raised.value.message)
