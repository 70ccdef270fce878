"""The screens a manager lives in, in Chromium: the home dashboard, and the approvals queue
where a post is approved without leaving the list."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.utils import timezone

from keryx.content.enums import PostStatus, VariantStatus
from tests.conftest import screenshot
from tests.factories import PASSWORD, make_member
from tests.publishing.factories import make_account, make_post, make_variant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = VariantStatus


def _sign_in(page, user) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/w/[^/]+/$"))


def test_the_home_dashboard(page, user, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    account = make_account(workspace, network="mastodon", name="seminars")
    zone = zoneinfo.ZoneInfo(workspace.default_time_zone)
    noon = dt.datetime.combine(timezone.now().astimezone(zone).date(), dt.time(12), tzinfo=zone)
    today = make_variant(
        make_post(seminar, user, text="Ξεκινάμε σε λίγο!\nΔεύτερη γραμμή"),
        account,
        status=S.SCHEDULED,
        scheduled_at=noon,
    )
    failed = make_variant(
        make_post(seminar, user, text="Αυτή δεν βγήκε"),
        account,
        status=S.FAILED,
        scheduled_at=timezone.now() - dt.timedelta(hours=1),
        error_message="Ο λογαριασμός αποσυνδέθηκε.",
    )
    editor = make_member(workspace, "editor", email="sofia@example.org")
    make_post(seminar, editor, text="Θέλει έγκριση", status=PostStatus.IN_REVIEW)

    _sign_in(page, user)
    entry = page.locator(f"section.dash-today li[data-variant='{today.pk}'] a")
    assert entry.inner_text() == "12:00 Ξεκινάμε σε λίγο!"
    trouble = page.locator("section.dash-trouble")
    assert trouble.locator(".count").inner_text() == "1"
    assert (
        "Ο λογαριασμός αποσυνδέθηκε."
        in trouble.locator(f"[data-variant='{failed.pk}']").inner_text()
    )
    approvals = page.locator("section.dash-approvals")
    assert approvals.locator(".count").inner_text() == "1"
    assert "Θέλει έγκριση" in approvals.inner_text()
    assert (
        "Σεμινάριο Διαχείρισης Social Media 2026"
        in page.locator("section.dash-seminar").inner_text()
    )
    screenshot(page, "web-home-dashboard")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_approve_a_post_from_the_approvals_queue(page, user, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    from keryx.accounts.access import workspace_access
    from keryx.content.domain.posts import PostInput, post_create
    from keryx.content.domain.review import post_submit

    account = make_account(workspace, network="mastodon", name="seminars")
    editor = make_member(workspace, "editor", email="sofia@example.org")
    access = workspace_access(editor, workspace)
    posts = []
    for text in ("Πρώτη για έγκριση\nλεπτομέρειες", "Δεύτερη για έγκριση"):
        post = post_create(
            access=access,
            seminar=seminar,
            data=PostInput(fields={"master_text": text}, account_ids=[account.pk]),
        )
        post_submit(access=access, post=post)
        posts.append(post)

    _sign_in(page, user)
    page.click("section.dash-approvals >> text=Open the approvals queue")
    page.wait_for_selector(f".queue-item[data-post='{posts[0].pk}']")
    assert page.locator(f".queue-item[data-post='{posts[0].pk}'] h2").inner_text() == (
        "Πρώτη για έγκριση"
    )
    page.locator(f".queue-item[data-post='{posts[0].pk}'] [data-approve]").click()
    page.wait_for_selector("text=Approved. The post can now be scheduled.")
    assert page.locator(f".queue-item[data-post='{posts[0].pk}']").count() == 0
    assert page.locator(".queue-item").count() == 1
    posts[0].refresh_from_db()
    assert posts[0].status == PostStatus.APPROVED

    item = page.locator(f".queue-item[data-post='{posts[1].pk}']")
    item.locator("textarea").fill("Βάλε και την ώρα έναρξης.")
    item.locator("[data-request-changes]").click()
    page.wait_for_selector("text=Nothing waits for your approval.")
    posts[1].refresh_from_db()
    assert posts[1].status == PostStatus.CHANGES_REQUESTED
    screenshot(page, "content-approvals-queue-empty")


def test_the_time_zone_picker_finds_a_zone_as_you_type(page, user, workspace) -> None:  # type: ignore[no-untyped-def]
    _sign_in(page, user)
    page.goto("/me/")
    search = page.locator("input.tz-search")
    search.fill("new york")
    assert page.locator("select[data-tz-select]").input_value() == "America/New_York"
    search.fill("ATHEN")
    assert page.locator("select[data-tz-select]").input_value() == "Europe/Athens"
    assert page.locator("select[data-tz-select] option[value='Factory']").count() == 0


def test_schedule_every_network_from_the_composer(page, user, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    post = make_post(seminar, user, text="Δύο δίκτυα, μία ώρα")
    variants = [
        make_variant(post, make_account(workspace, network=n, name=f"s_{n}"))
        for n in ("mastodon", "bluesky")
    ]
    zone = zoneinfo.ZoneInfo(seminar.time_zone)
    at = (
        (timezone.now() + dt.timedelta(days=3))
        .astimezone(zone)
        .replace(hour=18, minute=30, second=0, microsecond=0)
    )
    _sign_in(page, user)
    page.goto(f"/w/{workspace.slug}/compose/posts/{post.pk}/")
    form = page.locator("form[data-schedule-all]")
    form.locator("input[name=scheduled_at]").fill(at.strftime("%Y-%m-%dT%H:%M"))
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=2 network versions are on the schedule.")
    for variant in variants:
        variant.refresh_from_db()
        assert (variant.status, variant.scheduled_at) == (S.SCHEDULED, at)
    assert (
        page.locator("[data-publish-variant] [data-variant-status]:has-text('Scheduled')").count()
        == 2
    )
