"""The calendar in a real browser: drag a post to another day; pause, see a due post held,
resume and publish it."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest

from keryx.content.enums import VariantStatus
from keryx.publishing.domain.pipeline import variant_publish_due
from tests.conftest import screenshot
from tests.factories import PASSWORD
from tests.publishing.factories import make_account, make_post, make_variant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = VariantStatus
ATHENS = zoneinfo.ZoneInfo("Europe/Athens")


def _sign_in(page, user) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/w/.+/"))


def test_drag_a_post_to_another_day_in_the_calendar(page, user, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    account = make_account(workspace, network="instagram", name="seminar_ig")
    when = dt.datetime(2026, 12, 5, 10, 0, tzinfo=ATHENS)
    variant = make_variant(
        make_post(seminar, user, text="Τελευταίες θέσεις!"),
        account,
        status=S.SCHEDULED,
        scheduled_at=when,
    )
    _sign_in(page, user)
    page.goto(f"/w/{workspace.slug}/calendar/?seminar={seminar.pk}&variant={variant.pk}")
    page.wait_for_selector("#calendar[data-ready='1']")
    event = page.locator(f"[data-variant='{variant.pk}']")
    event.wait_for()
    target = page.locator("td.fc-daygrid-day[data-date='2026-12-08'] .fc-daygrid-day-frame")
    box_from, box_to = event.bounding_box(), target.bounding_box()
    assert box_from is not None and box_to is not None
    page.mouse.move(box_from["x"] + 10, box_from["y"] + box_from["height"] / 2)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(
            box_from["x"] + 10 + (box_to["x"] + 20 - box_from["x"] - 10) * step / 10,
            box_from["y"] + (box_to["y"] + 30 - box_from["y"]) * step / 10,
        )
        page.wait_for_timeout(30)
    page.mouse.up()
    page.wait_for_selector("#calendar-status:has-text('Moved.')")
    variant.refresh_from_db()
    assert variant.scheduled_at == dt.datetime(2026, 12, 8, 10, 0, tzinfo=ATHENS)
    page.wait_for_selector(
        f"td.fc-daygrid-day[data-date='2026-12-08'] [data-variant='{variant.pk}']"
    )
    screenshot(page, "publishing-calendar-after-drag")


def test_pause_holds_a_due_post_and_resume_lets_it_be_published(
    page, user, workspace, seminar, testnet
) -> None:  # type: ignore[no-untyped-def]
    account = make_account(
        workspace, base_url=testnet.url, name="testnet_acct", server_limits={"timeout_seconds": 2}
    )
    _sign_in(page, user)
    page.goto(f"/w/{workspace.slug}/calendar/?seminar={seminar.pk}")
    page.click("summary:has-text('Emergency pause')")
    page.fill("#id_reason", "Θλιβερά νέα: καμία προώθηση σήμερα")
    page.click("button:has-text('Pause publishing')")
    page.wait_for_selector(".pause-banner:has-text('Θλιβερά νέα: καμία προώθηση σήμερα')")

    from django.utils import timezone

    due = make_variant(
        make_post(seminar, user, text="Σε μία ώρα ξεκινάμε!"),
        account,
        status=S.SCHEDULED,
        scheduled_at=timezone.now() - dt.timedelta(seconds=5),
    )
    assert (
        variant_publish_due(variant_id=due.pk, worker="browser-test") == "held"
    )  # the worker's turn
    page.goto(f"/w/{workspace.slug}/calendar/?seminar={seminar.pk}&variant={due.pk}")
    page.wait_for_selector(f"[data-variant='{due.pk}'][data-state='held']")
    page.wait_for_selector("a:has-text('1 held post')")
    screenshot(page, "publishing-calendar-paused-with-held-post")
    assert testnet.stats()["create_requests"] == 0

    page.click("button:has-text('Resume publishing')")
    page.wait_for_selector("text=Nothing it held has been published")
    card = page.locator(f".held-list [data-variant='{due.pk}']")
    card.locator("button:has-text('Publish now')").click()
    page.wait_for_selector("text=No post is held.")
    due.refresh_from_db()
    assert due.status == S.PUBLISHED
    assert [p["text"] for p in testnet.posts()] == ["Σε μία ώρα ξεκινάμε!"]
