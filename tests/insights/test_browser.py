"""Listening in a real browser: the trending panel, then one click on crisis mode pauses the
scheduled posts and leaves the holding statement waiting for approval."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from keryx.content.enums import PostStatus, VariantStatus
from keryx.content.models import Post
from keryx.insights.domain.alerts import alerts_scan
from keryx.insights.domain.texts import text_record
from keryx.insights.models import CrisisAlert
from keryx.publishing.domain.claim import active_pause
from tests.conftest import screenshot
from tests.factories import PASSWORD
from tests.publishing.factories import make_account, make_post, make_variant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, user) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/w/.+/"))


def test_trending_panel_and_one_click_crisis_mode(page, user, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    account = make_account(workspace, network="mastodon", base_url="https://mastodon.example")
    make_variant(
        make_post(seminar, user, text="Αύριο στις 10!"),
        account,
        status=VariantStatus.SCHEDULED,
        scheduled_at=timezone.now() + dt.timedelta(hours=2),
    )
    now = timezone.now()
    for minute in range(0, 120, 10):
        text_record(
            workspace=workspace,
            text="Τι ώρα ξεκινάει;",
            posted_at=now - dt.timedelta(minutes=140 - minute),
        )
    for second in range(0, 20 * 60, 20):
        text_record(
            workspace=workspace,
            text="Απαράδεκτο, ακύρωσαν το #Workshop χωρίς ενημέρωση",
            posted_at=now - dt.timedelta(minutes=20) + dt.timedelta(seconds=second),
        )
    [alert] = alerts_scan(workspace)

    _sign_in(page, user)
    page.goto(f"/w/{workspace.slug}/listening/")
    page.wait_for_selector("#trends td:has-text('#Workshop')")
    page.wait_for_selector("#topics :has-text('Answer the concern about')")
    screenshot(page, "insights-trending")
    page.click("#alerts a:has-text('Possible crisis')")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#crisis-mode")
    page.wait_for_selector("text=Crisis mode is on")
    page.wait_for_selector("#timeline li:has-text('Holding statement sent for approval')")
    screenshot(page, "insights-crisis-mode")

    alert = CrisisAlert.objects.get(pk=alert.pk)
    assert active_pause(workspace.pk, seminar.pk) is not None
    holding = Post.objects.get(pk=alert.holding_post_id)
    assert holding.status == PostStatus.IN_REVIEW
