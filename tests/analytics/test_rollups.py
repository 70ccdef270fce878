"""The pre-aggregated figures: incremental, safe to run twice, and how fresh the pages say
they are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from keryx.analytics.domain.rollups import STALE_AFTER, rollups_ensure, rollups_refresh
from keryx.analytics.figures import series_per_key, series_total
from keryx.analytics.models import DailyFigure, RollupState
from keryx.links.models import Click
from tests.analytics.conftest import NOW, at

pytestmark = pytest.mark.django_db


def test_new_clicks_are_counted_by_the_next_refresh_once(known) -> None:  # type: ignore[no-untyped-def]
    assert series_total(known.seminar, "clicks:human") == 5
    Click.objects.create(link=known.paid, at=at(6, 11), kind="human", visitor="v1")
    Click.objects.create(link=known.paid, at=at(6, 11, 30), kind="human", visitor="v1")
    assert series_total(known.seminar, "clicks:human") == 5  # not yet: as of the last run
    rollups_refresh(known.seminar, now=NOW)
    rollups_refresh(known.seminar, now=NOW)  # twice: the same figures
    assert series_total(known.seminar, "clicks:human") == 7
    per_link = series_per_key(known.seminar, "clicks:human", "visitors")
    assert per_link["clicks:human"] == {str(known.organic.pk): 3, str(known.paid.pk): 4}
    assert per_link["visitors"] == {str(known.paid.pk): 1}  # one person, twice
    state = RollupState.objects.get(seminar=known.seminar)
    assert state.clicks_upto == Click.objects.order_by("-pk").values_list("pk", flat=True)[0]
    # Counting everything again gives the same rows.
    before = sorted(
        DailyFigure.objects.filter(seminar=known.seminar).values_list(
            "series", "day", "key", "value"
        )
    )
    rollups_refresh(known.seminar, now=NOW, full=True)
    after = sorted(
        DailyFigure.objects.filter(seminar=known.seminar).values_list(
            "series", "day", "key", "value"
        )
    )
    assert after == before


def test_a_page_refreshes_figures_older_than_five_minutes(known) -> None:  # type: ignore[no-untyped-def]
    assert rollups_ensure(known.seminar, now=NOW + dt.timedelta(minutes=4)) == NOW
    later = NOW + STALE_AFTER + dt.timedelta(seconds=1)
    assert rollups_ensure(known.seminar, now=later) == later


def test_the_pages_say_how_fresh_their_numbers_are(known, user, workspace) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    base = f"/w/{workspace.slug}/analytics/kpis/{known.seminar.pk}/"
    for url in (base, base + "funnel/", base + "audience/"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="el")
        assert page.status_code == 200
        assert "data-freshness" in page.text
        assert "ριθμοί της" in page.text  # "(α|Α)ριθμοί της HH:MM"
