"""The whole chain in Chromium: a post's tracked link → redirected with UTM → register in Greek
→ confirmation e-mail through a real SMTP server → confirm → ticket QR → staff check-in →
the funnel shows one click, one registration and one check-in for that network and post."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.content.domain.posts import PostInput, post_create
from keryx.links.models import Click, TrackedLink
from keryx.links.redirect.recorder import RECORDER
from keryx.links.redirect.targets import TARGETS
from keryx.networks.models import NetworkAccount
from keryx.registrations.models import Registration
from tests.conftest import TEST_OUTPUT, screenshot
from tests.factories import PASSWORD
from tests.links.conftest import BROWSER
from tests.registrations.helpers import publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def person(browser, live_server, request) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """A tab of an ordinary desktop Chrome: headless Chromium says "HeadlessChrome" in its user
    agent, and the redirect rightly counts that as a bot, not a person."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        user_agent=BROWSER,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        TEST_OUTPUT.mkdir(exist_ok=True)
        tab.screenshot(path=str(TEST_OUTPUT / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


def test_post_click_registration_check_in_funnel(  # type: ignore[no-untyped-def]
    person, live_server, smtp_sink, settings, user, workspace, seminar
) -> None:
    settings.KERYX_BASE_URL = live_server.url
    # The registration form's bot check wants a few seconds of typing; a test types at once.
    settings.KERYX_REGISTRATION_MIN_FILL_SECONDS = 0
    TARGETS.reset(None)
    RECORDER.autostart = True  # the writer thread records clicks as in production
    publish(seminar, user)

    # A post written once for X and Bluesky: each variant gets its own tracked link.
    accounts = [
        NetworkAccount.objects.create(workspace=workspace, network=n, name=n, handle=f"s_{n}")
        for n in ("x", "bluesky")
    ]
    post = post_create(
        access=workspace_access(user, workspace, Perm.CONTENT_EDIT),
        seminar=seminar,
        data=PostInput(
            fields={
                "master_text": f"Κλείστε θέση στο σεμινάριο: {live_server.url}/s/{seminar.slug}/",
                "campaign_phase": "early_bird",
            },
            account_ids=[a.pk for a in accounts],
        ),
    )
    x_link = TrackedLink.objects.get(post=post, network="x")
    x_variant = post.variants.get(network="x")
    assert x_variant.text.endswith(f"/r/{x_link.code}")

    # The click: redirected to the seminar page with the UTM parameters and the code.
    person.goto(f"/r/{x_link.code}")
    person.wait_for_selector("#registration-form")
    landed = urlsplit(person.url)
    assert landed.path == f"/s/{seminar.slug}/"
    assert {k: v[0] for k, v in parse_qs(landed.query).items()} == {
        "utm_source": "x",
        "utm_medium": "social",
        "utm_campaign": f"{seminar.slug}_early_bird",
        "utm_content": f"post-{post.pk}",
        "kx": x_link.code,
    }
    cookies = {c["name"]: c["value"] for c in person.context.cookies()}
    assert (cookies["kx_first"], cookies["kx_last"]) == (x_link.code, x_link.code)

    # Register in Greek.
    person.click("#lang-el")
    person.wait_for_selector("#register-button:has-text('Εγγραφή')")
    person.fill("#id_name", "Ελένη Παπαδοπούλου")
    person.fill("#id_email", "eleni@example.org")
    person.check("#id_consent_privacy")
    person.click("#register-button")
    person.wait_for_selector("#registration-status[data-status=registered]")
    registration = Registration.objects.get(email="eleni@example.org")
    assert (registration.first_touch_code, registration.last_touch_code) == (
        x_link.code,
        x_link.code,
    )

    # The confirmation e-mail, caught by a real SMTP server; confirm; the ticket's QR code.
    [message] = smtp_sink.wait_for(1)
    confirm = re.search(r"http://\S+/confirm/\S+/", smtp_sink.body(message))
    assert confirm is not None
    person.goto(confirm.group(0))
    person.wait_for_selector("#confirm-status[data-state=confirmed]")
    person.click("#manage-link")
    person.wait_for_function(
        "() => { const i = document.querySelector('#ticket-qr'); return i && i.complete && i.naturalWidth > 100; }"
    )

    # Staff check the registrant in.
    person.goto("/accounts/login/")
    person.fill("input[name=login]", user.email)
    person.fill("input[name=password]", PASSWORD)
    person.click("main form button[type=submit]")
    person.wait_for_url(re.compile(r"/w/[^/]+/$"))  # the home dashboard
    person.goto(f"/w/{workspace.slug}/registrations/{seminar.pk}/checkin/")
    person.fill("#checkin-search", "Ελένη")
    person.click(f"#checkin-{registration.pk}")
    person.wait_for_selector("#checkin-ok")

    # The click was written off the request path by the writer thread.
    deadline = time.monotonic() + 10
    while not Click.objects.filter(link=x_link).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(Click.objects.filter(link__post=post).values_list("kind", flat=True)) == ["human"]

    # The funnel: one click, one registration, one check-in for X and for the post.
    person.click("nav.sidenav >> text=Αναλύσεις")
    person.click(f"a[href='/w/{workspace.slug}/analytics/{seminar.pk}/funnel/']")
    person.wait_for_selector("canvas[data-chart-ready=true]")

    def cells(table: str, key: str) -> dict[str, str]:
        row = f"#{table} tr[data-key='{key}']"
        return {
            col: person.inner_text(f"{row} td[data-col={col}]")
            for col in ("clicks", "visitors", "registrations", "confirmations", "check_ins")
        }

    one = {
        "clicks": "1",
        "visitors": "1",
        "registrations": "1",
        "confirmations": "1",
        "check_ins": "1",
    }
    assert cells("funnel-networks", "x") == one
    assert cells("funnel-posts", str(post.pk)) == one
    assert person.locator("#funnel-networks tr[data-key='bluesky']").count() == 0
    shot = screenshot(person, "links-funnel-greek")
    assert shot.stat().st_size > 20_000


def test_the_utm_builder_fills_channel_defaults_and_keeps_what_was_typed(  # type: ignore[no-untyped-def]
    page, live_server, settings, user, workspace, seminar
) -> None:
    settings.KERYX_BASE_URL = live_server.url
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/w/[^/]+/$"))  # the home dashboard
    page.goto(f"/w/{workspace.slug}/analytics/{seminar.pk}/links/")
    page.select_option("#id_network", "linkedin")
    page.select_option("#id_campaign_phase", "countdown")
    values = {k: page.input_value(f"#id_{k}") for k in ("utm_source", "utm_medium", "utm_campaign")}
    assert values == {
        "utm_source": "linkedin",
        "utm_medium": "social",
        "utm_campaign": f"{seminar.slug}_countdown",
    }
    page.fill("#id_utm_source", "partner-newsletter")
    page.select_option("#id_network", "qrcode")
    assert page.input_value("#id_utm_source") == "partner-newsletter"  # typed: kept
    assert page.input_value("#id_utm_medium") == "print"  # a default: follows the channel
    page.fill("#id_label", "Αφίσα στη βιβλιοθήκη")
    page.click("button:has-text('Create link')")
    page.wait_for_function(
        "() => { const i = document.querySelector('figure.qr img'); return i && i.complete && i.naturalWidth > 100; }"
    )
    link = TrackedLink.objects.get()
    assert (link.network, link.utm_source, link.utm_medium, link.utm_campaign) == (
        "qrcode",
        "partner-newsletter",
        "print",
        f"{seminar.slug}_countdown",
    )
    screenshot(page, "links-link-page")
