"""The calendar as it is drawn, in Chromium: a post at 23:30 Athens time sits on one day
(issue 16, bug 3); times are whole and the week view has no cut-off "all-day" row (bug 4);
on a 390 px-wide phone nothing scrolls sideways and the filters start collapsed."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from keryx.content.enums import VariantStatus
from tests.conftest import screenshot
from tests.publishing.factories import make_account, make_post, make_variant
from tests.publishing.test_browser import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = VariantStatus
ATHENS = zoneinfo.ZoneInfo("Europe/Athens")


def _two_posts(user, workspace, seminar):  # type: ignore[no-untyped-def]
    account = make_account(workspace, network="instagram", name="seminar_ig")
    late = make_variant(
        make_post(seminar, user, text="Καληνύχτα από την Τεχνόπολη"),
        account,
        status=S.SCHEDULED,
        scheduled_at=dt.datetime(2026, 12, 5, 23, 30, tzinfo=ATHENS),
    )
    morning = make_variant(
        make_post(seminar, user, text="Πρωινή ανάρτηση με αρκετά μεγάλο κείμενο για να φανεί"),
        account,
        status=S.SCHEDULED,
        scheduled_at=dt.datetime(2026, 12, 8, 10, 0, tzinfo=ATHENS),
    )
    return late, morning


def _cell_box(page, date: str):  # type: ignore[no-untyped-def]
    return page.locator(f"td.fc-daygrid-day[data-date='{date}']").bounding_box()


def test_a_post_at_23_30_sits_on_one_day_and_times_are_whole(
    page, user, workspace, seminar
) -> None:  # type: ignore[no-untyped-def]
    late, morning = _two_posts(user, workspace, seminar)
    _sign_in(page, user)
    page.goto(f"/w/{workspace.slug}/calendar/?seminar={seminar.pk}&variant={late.pk}")
    page.wait_for_selector("#calendar[data-ready='1']")
    entry = page.locator(f"[data-variant='{late.pk}']")
    entry.wait_for()
    assert entry.count() == 1
    box, saturday = entry.bounding_box(), _cell_box(page, "2026-12-05")
    assert box is not None and saturday is not None
    assert box["x"] + box["width"] <= saturday["x"] + saturday["width"] + 1
    assert page.locator("td.fc-daygrid-day[data-date='2026-12-06'] [data-variant]").count() == 0

    time = page.locator(f"[data-variant='{morning.pk}'] .entry-time")
    assert time.inner_text() == "10:00"
    assert time.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert page.locator(f"[data-variant='{morning.pk}'] .net-badge").inner_text() == "IG"

    page.click(".fc-timeGridWeek-button")
    page.wait_for_selector(".fc-timegrid")
    assert page.locator(".fc-timegrid-axis-cushion:has-text('all-day')").count() == 0
    assert page.locator(".fc-daygrid-body").count() == 0  # no all-day row at all
    screenshot(page, "publishing-calendar-week")


def test_the_calendar_fits_a_390px_phone(page, user, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    late, _morning = _two_posts(user, workspace, seminar)
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, user)
    page.goto(f"/w/{workspace.slug}/calendar/?seminar={seminar.pk}&variant={late.pk}")
    page.wait_for_selector("#calendar[data-ready='1']")
    page.locator(f"[data-variant='{late.pk}']").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("document.body.scrollWidth") <= 390
    assert not page.locator(".calendar-filters").is_visible()
    page.click("#calendar-filter-box > summary")
    assert page.locator(".calendar-filters select[name=network]").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click(".fc-listMonth-button")
    page.wait_for_selector(f".fc-list [data-variant='{late.pk}']")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "publishing-calendar-phone")
