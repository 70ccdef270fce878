"""A webhook from connecting to a delivered post, in a real browser, against a real receiver
started by the test (issue 16, bugs 1 and 2): the owner connects it under Settings, chooses it
in Compose like any network, a manager approves, "Share now" delivers the post to the receiver
exactly once. Then the receiver goes down: the next post waits and says in plain words that
nothing answers at the receiver's address, nothing is sent twice, and "Check now" on the
Settings page says the webhook is not reachable."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from keryx.content.models import Post, Variant
from keryx.networks.webhook.client import signature_valid
from keryx.publishing.models import Attempt
from tests.conftest import screenshot
from tests.factories import make_member
from tests.networks.browser_steps import sign_in
from tests.support.receiver import Receiver, run_receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "browser-test-secret-0123456789ab"
FIRST = "Ανοίγουν οι εγγραφές για το Σεμινάριο 2026 #Σεμινάριο2026"
SECOND = "Τελευταίες θέσεις για το Σεμινάριο 2026"


@pytest.fixture
def receiver(settings: Any, live_server: Any) -> Iterator[Receiver]:
    settings.KERYX_ALLOW_PRIVATE_URLS = True  # the receiver listens on 127.0.0.1
    settings.KERYX_BASE_URL = live_server.url
    with run_receiver() as running:
        yield running


def _connect_webhook(page: Any, receiver: Receiver) -> None:
    page.click("nav.sidenav >> text=Settings")
    page.click("nav.tabs >> text=Connected accounts")
    page.click("#connect-webhook summary")
    page.fill("#connect-webhook input[name=name]", "Ο δέκτης της ομάδας")
    page.fill("#connect-webhook input[name=url]", receiver.url)
    page.select_option("#connect-webhook select[name=style]", "generic")
    page.fill("#connect-webhook input[name=secret]", SECRET)
    page.click("#connect-webhook button[type=submit]")
    page.wait_for_selector("text=Connected Webhook: 127.0.0.1.")


def _write_for_review(page: Any, text: str) -> Post:
    page.click("nav.sidenav >> text=Compose")
    page.click("text=New post")
    page.fill("textarea[data-master]", text)
    page.locator("section[data-network=webhook] .verdict.ok").wait_for()
    page.click("button[data-save]")
    page.wait_for_url(re.compile(r"/compose/posts/\d+/$"))
    page.click("button[data-submit-review]")
    page.wait_for_selector("text=Sent for review.")
    return Post.objects.get(master_text=text)


def _approve_and_share(tab: Any, post: Post) -> Variant:
    tab.goto(f"/w/{post.workspace.slug}/compose/posts/{post.pk}/")
    tab.click("button[data-approve]")
    tab.wait_for_selector("text=Approved. The post can now be scheduled.")
    variant = post.variants.get()
    assert variant.network == "webhook"
    tab.locator(f"#publishing [data-publish-variant='{variant.pk}'] button[data-share-now]").click()
    tab.wait_for_url(re.compile(rf"/calendar/variants/{variant.pk}/$"))
    return variant


def test_publish_to_a_webhook_once_and_say_so_when_the_receiver_is_down(  # type: ignore[no-untyped-def]
    page, browser, live_server, user, workspace, seminar, receiver
) -> None:
    manager = make_member(workspace, "manager", email="nikos@example.org")
    page.set_default_timeout(60_000)  # a busy machine: no test of speed here
    sign_in(page, user.email)
    _connect_webhook(page, receiver)
    assert receiver.requests == []  # connecting sends nothing

    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(60_000)
    tab = context.new_page()
    sign_in(tab, manager.email)

    # Up: the post reaches the receiver once, signed, and the page says it is out.
    variant = _approve_and_share(tab, _write_for_review(page, FIRST))
    tab.wait_for_selector("[data-state=published]")
    screenshot(tab, "webhook-published")
    (delivered,) = receiver.posts
    assert delivered.json()["text"] == FIRST
    assert signature_valid(
        SECRET,
        delivered.headers["x-keryx-timestamp"],
        delivered.body,
        delivered.headers["x-keryx-signature"],
    )
    variant.refresh_from_db()
    assert (variant.status, variant.remote_id) == ("published", "delivery-1")

    # Down: the next post waits, says why in plain words, and nothing goes out twice.
    receiver.stop()
    variant = _approve_and_share(tab, _write_for_review(page, SECOND))
    tab.wait_for_selector("[data-state=scheduled]")
    waiting = tab.locator("[data-waiting=retry]")
    assert "Nothing to do: Keryx tries again by itself" in waiting.inner_text()
    assert "The webhook at 127.0.0.1 could not be reached: nothing answers there." in (
        tab.locator("table tbody tr").first.inner_text()
    )
    screenshot(tab, "webhook-receiver-down")
    assert [a.outcome for a in Attempt.objects.filter(variant=variant)] == ["retry"]
    assert len(receiver.posts) == 1

    # Settings → Connected accounts → Check now: not reachable, with the reason.
    page.click("nav.sidenav >> text=Settings")
    page.click("nav.tabs >> text=Connected accounts")
    page.click("tr[data-account] >> text=Check now")
    page.wait_for_selector(".health-unreachable")
    assert page.locator(".health-unreachable").inner_text() == "Not reachable"
    assert "nothing answers there" in page.locator("tr[data-account]").inner_text()
    screenshot(page, "webhook-check-now-unreachable")
    context.close()
