"""Each ad platform's CSV export on a sample in its documented column layout, Greek-locale
numbers and dates included."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.analytics.enums import AdPlatform
from keryx.analytics.importers import ImportProblem, Period, import_results, parse_export
from keryx.analytics.importers.parsing import comma_is_decimal, parse_date, parse_number
from keryx.analytics.models import AdResult

SAMPLES = Path(__file__).parent / "samples"
D = Decimal
day = lambda n: dt.date(2026, 12, n)  # noqa: E731


def _parse(name: str, campaign: str):  # type: ignore[no-untyped-def]
    return parse_export((SAMPLES / name).read_bytes(), campaign_name=campaign)


def test_meta_greek_daily_export() -> None:
    parsed = _parse("meta_el_daily.csv", "ΧΕΙΜΕΡΙΝΗ ΚΑΜΠΑΝΙΑ")  # case and accents folded
    assert parsed.layout.platform == AdPlatform.META
    assert parsed.currency == "EUR"  # from "Ποσό που δαπανήθηκε (EUR)"
    assert parsed.periods == [
        Period(day(1), day(1), D("20.50"), 1234, 987, 40),
        Period(day(2), day(2), D("1030.00"), 12345, 9876, 60),
    ]
    assert parsed.other_campaigns == ["Άλλη καμπάνια"]


def test_meta_english_period_export() -> None:
    parsed = _parse("meta_en_period.csv", "Winter campaign")
    assert parsed.periods == [Period(day(1), day(7), D("1234.56"), 45678, 30123, 321)]


def test_linkedin_export_with_preamble_rows() -> None:
    parsed = _parse("linkedin_en.csv", "Winter campaign")
    assert parsed.layout.platform == AdPlatform.LINKEDIN
    assert parsed.currency == "EUR"
    assert parsed.periods == [
        Period(day(1), day(1), D("45.10"), 2000, None, 25),
        Period(day(2), day(2), D("54.90"), 3000, None, 35),
    ]
    assert parsed.other_campaigns == ["Autumn campaign"]


def test_linkedin_greek_locale_numbers_and_day_first_dates() -> None:
    parsed = _parse("linkedin_el_semicolon.csv", "Χειμερινή καμπάνια")
    assert parsed.periods == [
        Period(day(1), day(1), D("1045.10"), 2000, None, 25),
        Period(day(13), day(13), D("54.90"), 3000, None, 35),
    ]


def test_google_ads_export_skips_title_rows_and_totals() -> None:
    parsed = _parse("google_en.csv", "Winter campaign")
    assert parsed.layout.platform == AdPlatform.GOOGLE
    assert parsed.periods == [
        Period(day(1), day(1), D("12.40"), 1100, None, 30),
        Period(day(2), day(2), D("7.60"), 900, None, 20),
    ]
    assert parsed.other_campaigns == ["Search brand"]


def test_google_ads_greek_utf16_tab_export() -> None:
    parsed = _parse("google_el_utf16.csv", "Χειμερινή καμπάνια")
    assert parsed.layout.platform == AdPlatform.GOOGLE
    assert parsed.periods == [
        Period(day(1), day(1), D("1012.40"), 1100, None, 30),
        Period(day(2), day(2), D("7.60"), 900, None, 20),
    ]


def test_numbers_and_dates_both_ways() -> None:
    assert parse_number("1.234,56", comma_decimal=True) == D("1234.56")
    assert parse_number("€1,234.56", comma_decimal=False) == D("1234.56")
    assert parse_number("--", comma_decimal=False) is None
    assert comma_is_decimal(["1.234,56", "12", "3,5"]) is True
    assert comma_is_decimal(["1,234.56", "1,234,567"]) is False
    assert parse_date("02/11/2026", day_first=True) == dt.date(2026, 11, 2)
    assert parse_date("11/2/2026", day_first=False) == dt.date(2026, 11, 2)
    assert parse_date("Nov 2, 2026", day_first=False) == dt.date(2026, 11, 2)
    assert parse_date("2 Νοεμβρίου 2026", day_first=True) == dt.date(2026, 11, 2)


def test_a_file_that_is_no_export_is_refused() -> None:
    with pytest.raises(ImportProblem):
        parse_export(b"name,email\nA,a@example.org\n", campaign_name="x")
    with pytest.raises(ImportProblem, match="Winter"):
        parse_export((SAMPLES / "google_en.csv").read_bytes(), campaign_name="Nope")


@pytest.mark.django_db
def test_import_stores_results_and_replaces_a_period(known, user, workspace) -> None:  # type: ignore[no-untyped-def]
    access = workspace_access(user, workspace, Perm.ANALYTICS_EDIT)
    raw = (SAMPLES / "meta_el_daily.csv").read_bytes()
    outcome = import_results(access=access, campaign=known.campaign, raw=raw)
    assert (outcome.rows, outcome.other_campaigns) == (2, ["Άλλη καμπάνια"])
    import_results(access=access, campaign=known.campaign, raw=raw)  # twice: same rows
    assert list(
        AdResult.objects.filter(campaign=known.campaign).values_list(
            "period_start", "spend", "clicks"
        )
    ) == [(day(1), D("20.50"), 40), (day(2), D("1030.00"), 60)]
    with pytest.raises(ImportProblem, match="Google Ads"):
        import_results(
            access=access, campaign=known.campaign, raw=(SAMPLES / "google_en.csv").read_bytes()
        )


@pytest.mark.django_db
def test_import_page_shows_cost_per_registrant(known, owner_client: Client, workspace) -> None:  # type: ignore[no-untyped-def]
    url = f"/w/{workspace.slug}/analytics/kpis/{known.seminar.pk}/campaigns/{known.campaign.pk}/"
    with (SAMPLES / "meta_el_daily.csv").open("rb") as f:
        response = owner_client.post(url, {"file": f})
    assert response.status_code == 302
    page = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # 20.50 + 1,030.00 spent; registrants r3, r4, r6 → 1,050.50 / 3 = 350.17.
    assert "<dd data-cost-per-registrant>350.17 EUR</dd>" in page
