"""From connecting to a published post, in a real browser, against real peers: a Bluesky account
on the local PDS and a Mastodon account on mastodon_mock are connected under Settings, a Greek
post with a hashtag and a link is written for both in Compose, sent for review, approved by a
manager and shared at once from the post's page. Publishing runs on the app's own task path
(Huey, immediate in tests: the task runs when the request's transaction commits). The page
then links to each post on its network, and the peers are asked what they hold: the exact text
and, on Bluesky, the facets' UTF-8 byte offsets.

The bad cases: a revoked app password (nothing is sent; the post waits for the account to be
reconnected and says so; Settings shows "Reconnect needed"), a post the server refuses (failed,
with the network's reason and what to do) and a rate limit (waits and says when it tries
again). In each, the peer shows that nothing went out, and nothing twice.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import zoneinfo
from collections.abc import Iterator
from typing import Any, NamedTuple

import httpx
import pytest
import time_machine
from django.utils import timezone

from keryx.content.enums import VariantStatus
from keryx.content.models import Post, Variant
from keryx.links.models import TrackedLink
from keryx.networks.models import AccountStatus, NetworkAccount
from keryx.publishing.models import Attempt
from tests.conftest import screenshot
from tests.factories import make_member

# isort: split
from tests.networks.browser_steps import connect_mastodon, sign_in
from tests.support.mastodon import MOCK_USER, run_mastodon_mock
from tests.support.pds import LocalPds, run_local_pds

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("pds-browser-publish"),
]

# Ports of this module's own: not the PDS harness defaults (2583/2582), not the other modules'.
PDS_PORT, PLC_PORT = 2623, 2622
LINK = "https://example.org/smm-2026"
TAG = "#Σεμινάριο2026"
GREEK = (
    f"Έρχεται το Σεμινάριο Διαχείρισης Social Media 2026 στην Τεχνόπολη! Κράτησε θέση: {LINK} {TAG}"
)
S = VariantStatus


class BlueskyLogin(NamedTuple):
    did: str
    handle: str
    app_password: str
    access_jwt: str  # the account's own session (the user's, not Keryx's)


@pytest.fixture(scope="module")
def pds() -> Iterator[LocalPds]:
    with run_local_pds(pds_port=PDS_PORT, plc_port=PLC_PORT) as server:
        yield server


@pytest.fixture(scope="module")
def mastodon() -> Iterator[str]:
    with run_mastodon_mock() as base_url:
        yield base_url


@pytest.fixture
def manager(workspace):  # type: ignore[no-untyped-def]
    return make_member(workspace, "manager", email="nikos@example.org")


@pytest.fixture
def peers(settings, live_server) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_ALLOW_PRIVATE_URLS = True  # the peers listen on 127.0.0.1 and localhost
    settings.KERYX_BASE_URL = live_server.url  # tracked links point at the live server


def _bluesky_login(pds: LocalPds) -> BlueskyLogin:
    """A new account on the PDS and an app password for Keryx, as a user makes them."""
    handle = f"k{uuid.uuid4().hex[:8]}{pds.handle_domain}"
    account = pds.create_account(handle, "correct-horse-battery")
    return BlueskyLogin(account.did, handle, pds.create_app_password(account), account.access_jwt)


def _posts_on_pds(pds: LocalPds, did: str) -> list[dict[str, Any]]:
    listed = httpx.get(
        pds.xrpc_url("com.atproto.repo.listRecords"),
        params={"repo": did, "collection": "app.bsky.feed.post", "limit": 100},
        timeout=30,
    )
    assert listed.status_code == 200, listed.text
    return list(listed.json()["records"])


def _mastodon(mastodon: str, method: str, path: str, **kwargs: Any) -> Any:
    response = httpx.request(
        method,
        f"{mastodon}{path}",
        headers={"Authorization": f"Bearer {MOCK_USER.access_token}"},
        timeout=30,
        **kwargs,
    )
    assert response.status_code == 200, response.text
    return response.json()


def _statuses_on_mock(mastodon: str) -> list[dict[str, Any]]:
    me = _mastodon(mastodon, "GET", "/api/v1/accounts/verify_credentials")
    return list(
        _mastodon(mastodon, "GET", f"/api/v1/accounts/{me['id']}/statuses", params={"limit": 40})
    )


def _connect_both(page: Any, pds: LocalPds, login: BlueskyLogin, mastodon: str) -> None:
    """Settings → Connected accounts: Bluesky with an app password, Mastodon with OAuth."""
    page.click("nav.sidenav >> text=Settings")
    page.click("nav.tabs >> text=Connected accounts")
    page.click("#connect-bluesky summary")
    page.fill("#connect-bluesky input[name=handle]", login.handle)
    page.fill("#connect-bluesky input[name=app_password]", login.app_password)
    page.fill("#connect-bluesky input[name=pds_url]", pds.pds_url)
    page.click("#connect-bluesky button[type=submit]")
    page.wait_for_selector(f"text=Connected Bluesky: @{login.handle}.")
    connect_mastodon(page, mastodon)
    assert page.locator(".health-connected").count() == 2


def _write_and_send_for_review(page: Any) -> Post:
    page.click("nav.sidenav >> text=Compose")
    page.click("text=New post")
    page.fill("textarea[data-master]", GREEK)
    for network in ("bluesky", "mastodon"):
        page.locator(f"section[data-network={network}] .verdict.ok").wait_for()
    page.click("button[data-save]")
    page.wait_for_url(re.compile(r"/compose/posts/\d+/$"))
    page.click("button[data-submit-review]")
    page.wait_for_selector("text=Sent for review.")
    post = Post.objects.get()
    assert sorted(post.variants.values_list("network", flat=True)) == ["bluesky", "mastodon"]
    return post


def _approve(browser: Any, live_server: Any, manager: Any, post: Post) -> Any:
    """The manager signs in in a browser of their own and approves; returns that tab."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(20_000)
    tab = context.new_page()
    sign_in(tab, manager.email)
    tab.goto(_post_path(post))
    assert tab.locator("#publishing").count() == 0  # nothing to publish before approval
    tab.fill("textarea[name=note]", "Εντάξει, βγάλ' το τώρα.")
    tab.click("button[data-approve]")
    tab.wait_for_selector("text=Approved. The post can now be scheduled.")
    return tab


def _post_path(post: Post) -> str:
    return f"/w/{post.workspace.slug}/compose/posts/{post.pk}/"


def _row(tab: Any, variant: Variant) -> Any:
    return tab.locator(f"#publishing [data-publish-variant='{variant.pk}']")


def _share_now(tab: Any, variant: Variant) -> None:
    """ "Share now" on the post's page; the app answers with the version's publishing page."""
    _row(tab, variant).locator("button[data-share-now]").click()
    tab.wait_for_url(re.compile(rf"/calendar/variants/{variant.pk}/$"))
    tab.wait_for_selector("text=Sent for publishing now.")


def _approved_post_for_both(  # type: ignore[no-untyped-def]
    page, browser, live_server, user, manager, pds: LocalPds, mastodon: str
) -> tuple[BlueskyLogin, int, Post, Any]:
    """The owner connects both accounts and writes the post; a manager approves it in a tab of
    their own. Returns the Bluesky login, the statuses on the mock before, the post, the tab."""
    login = _bluesky_login(pds)
    statuses_before = len(_statuses_on_mock(mastodon))
    sign_in(page, user.email)
    _connect_both(page, pds, login, mastodon)
    post = _write_and_send_for_review(page)
    return login, statuses_before, post, _approve(browser, live_server, manager, post)


def test_publish_a_greek_post_to_bluesky_and_mastodon_from_the_composer(  # type: ignore[no-untyped-def]
    page, browser, live_server, user, workspace, seminar, manager, peers, pds, mastodon
) -> None:
    login, statuses_before, post, tab = _approved_post_for_both(
        page, browser, live_server, user, manager, pds, mastodon
    )
    bluesky = post.variants.get(network="bluesky")
    masto = post.variants.get(network="mastodon")
    for variant in (bluesky, masto):
        assert _row(tab, variant).locator("[data-variant-status]").inner_text() == "Approved"
    screenshot(tab, "publish-approved-ready-to-share")

    # Share now, Bluesky first: the publishing page shows it out, with its link.
    _share_now(tab, bluesky)
    tab.wait_for_selector("[data-state=published]")
    bluesky.refresh_from_db()
    rkey = bluesky.remote_id.rsplit("/", 1)[1]
    bluesky_url = f"https://bsky.app/profile/{login.handle}/post/{rkey}"
    assert tab.get_by_role("link", name="see it on the network").get_attribute("href") == (
        bluesky_url
    )
    tab.click("text=Open the post in Compose")
    _share_now(tab, masto)
    tab.wait_for_selector("[data-state=published]")
    tab.click("text=Open the post in Compose")

    # The post's page: both versions published, each with its link on the network.
    bluesky.refresh_from_db()
    masto.refresh_from_db()
    assert (bluesky.status, masto.status) == (S.PUBLISHED, S.PUBLISHED)
    for variant in (bluesky, masto):
        row = _row(tab, variant)
        assert row.locator("[data-variant-status]").inner_text() == "Published"
        assert row.locator("[data-remote-link]").get_attribute("href") == variant.remote_url
        assert row.locator("[data-share-now]").count() == 0
    assert bluesky.remote_url == bluesky_url
    screenshot(tab, "publish-both-published-with-links")

    # Bluesky, read back from the PDS: the exact Greek text with the tracked link, and facets
    # whose offsets count UTF-8 bytes, not characters.
    tracked = TrackedLink.objects.get(variant=bluesky)
    assert tracked.destination == LINK
    url = f"{live_server.url}/r/{tracked.code}"
    bluesky_text = bluesky.text
    assert bluesky_text == GREEK.replace(LINK, url)
    record = httpx.get(
        pds.xrpc_url("com.atproto.repo.getRecord"),
        params={"repo": login.did, "collection": "app.bsky.feed.post", "rkey": rkey},
        timeout=30,
    ).json()
    assert record["uri"] == bluesky.remote_id
    value = record["value"]
    assert value["text"] == bluesky_text
    raw = bluesky_text.encode("utf-8")
    link_start = raw.index(url.encode())
    tag_start = raw.index(TAG.encode("utf-8"))
    assert value["facets"] == [
        {
            "index": {"byteStart": link_start, "byteEnd": link_start + len(url)},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": url}],
        },
        {
            "index": {"byteStart": tag_start, "byteEnd": tag_start + len(TAG.encode("utf-8"))},
            "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": TAG[1:]}],
        },
    ]
    assert tag_start != bluesky_text.index(TAG)  # Greek letters take two bytes each
    assert [r["uri"] for r in _posts_on_pds(pds, login.did)] == [bluesky.remote_id]

    # Mastodon, read back from the server: the same, once, at the address the page links to.
    status = _mastodon(mastodon, "GET", f"/api/v1/statuses/{masto.remote_id}")
    assert status["url"] == masto.remote_url
    source = _mastodon(mastodon, "GET", f"/api/v1/statuses/{masto.remote_id}/source")
    masto_link = TrackedLink.objects.get(variant=masto)
    assert masto_link.code != tracked.code  # each network version has its own tracked link
    assert (
        source["text"]
        == masto.text
        == GREEK.replace(LINK, f"{live_server.url}/r/{masto_link.code}")
    )
    assert len(_statuses_on_mock(mastodon)) == statuses_before + 1
    assert [a.outcome for a in Attempt.objects.filter(variant__post=post)] == [
        "published",
        "published",
    ]
    tab.context.close()


def test_revoked_app_password_refused_post_and_rate_limit_say_what_to_do(  # type: ignore[no-untyped-def]
    page, browser, live_server, user, workspace, seminar, manager, peers, pds, mastodon
) -> None:
    login, statuses_before, post, tab = _approved_post_for_both(
        page, browser, live_server, user, manager, pds, mastodon
    )
    bluesky = post.variants.get(network="bluesky")
    masto = post.variants.get(network="mastodon")

    # Bluesky: the user revokes Keryx's app password. Keryx's access token outlives it for up
    # to two hours (it is a signed token; the PDS checks only its signature and expiry), so
    # Keryx's clock is moved past that: the renewal is refused and so is a new sign-in.
    revoked = httpx.post(
        pds.xrpc_url("com.atproto.server.revokeAppPassword"),
        json={"name": "Keryx"},
        headers={"Authorization": f"Bearer {login.access_jwt}"},
        timeout=30,
    )
    assert revoked.status_code == 200, revoked.text
    with time_machine.travel(timezone.now() + dt.timedelta(hours=3), tick=True):
        _share_now(tab, bluesky)
        tab.wait_for_selector("[data-state=scheduled]")
        waiting = tab.locator("[data-waiting=reconnect]")
        assert waiting.locator("strong").inner_text() == (
            "Waiting for the account to be reconnected"
        )
        assert " ".join(waiting.inner_text().split()) == (
            "Waiting for the account to be reconnected · next try at "
            f"{_wall(_next_try(bluesky))}. Bluesky (localhost) no longer accepts Keryx's "
            "sign-in (Invalid identifier or password). Create a new app password in Bluesky "
            "and connect the account again under Settings → Connected accounts. Nothing is "
            "sent until then; once the account is reconnected, this post goes out by itself. "
            "Go to Connected accounts"
        )
        link = waiting.get_by_role("link", name="Go to Connected accounts")
        assert link.get_attribute("href") == f"/w/{workspace.slug}/settings/accounts/"
        assert "Account must be reconnected" in tab.locator("table tbody tr").inner_text()
        screenshot(tab, "publish-bluesky-waits-for-reconnect")
    bluesky.refresh_from_db()
    assert bluesky.status == S.SCHEDULED and bluesky.dispatch.waiting == "reconnect"
    account = NetworkAccount.objects.get(workspace=workspace, network="bluesky")
    assert account.status == AccountStatus.RECONNECT_NEEDED
    assert _posts_on_pds(pds, login.did) == []  # nothing was sent
    assert [(a.outcome, a.sent_at) for a in Attempt.objects.filter(variant=bluesky)] == [
        ("auth_expired", None)
    ]

    # Settings says the same, and how to fix it.
    tab.goto(f"/w/{workspace.slug}/settings/accounts/")
    health = tab.locator(f"tr[data-account='{account.pk}'] td").nth(2)
    assert health.locator(".health-reconnect_needed").inner_text() == "Reconnect needed"
    assert "Create a new app password in Bluesky" in health.inner_text()
    reconnect = tab.locator(f"tr[data-account='{account.pk}']").get_by_role(
        "link", name="Reconnect", exact=True
    )
    assert reconnect.count() == 1
    screenshot(tab, "publish-settings-reconnect-needed")

    # Mastodon refuses the post (a server rule): failed, with the server's words and what to do.
    rule = {
        "match": {"methods": ["POST"], "path": "/api/v1/statuses"},
        "effect": {
            "type": "status",
            "status": 422,
            "body": {"error": "Validation failed: Text contains a link this server does not allow"},
        },
        "count": 1,
    }
    _mastodon(mastodon, "POST", "/api/v1/_mock/faults", json=rule)
    tab.goto(_post_path(post))
    bluesky_row = _row(tab, bluesky)
    assert bluesky_row.locator("[data-variant-status]").inner_text() == "Scheduled"
    assert "Create a new app password" in bluesky_row.locator("[data-waiting]").inner_text()
    screenshot(tab, "publish-post-page-bluesky-waiting")
    _share_now(tab, masto)
    tab.wait_for_selector("[data-state=failed]")
    assert tab.locator("dd.error").inner_text() == (
        "Mastodon refused the post: Validation failed: Text contains a link this server does "
        "not allow"
    )
    tab.click("text=Open the post in Compose")
    error = _row(tab, masto).locator("[data-error=rejected]")
    assert "Change this network's text as the network asks" in error.inner_text()
    assert _row(tab, masto).locator("[data-variant-status]").inner_text() == "Failed"
    screenshot(tab, "publish-mastodon-refused")
    assert len(_statuses_on_mock(mastodon)) == statuses_before

    # Shared again, Mastodon asks Keryx to slow down: it waits, says until when, and that
    # nobody needs to act. The refused request was not repeated, and nothing went out.
    rule = {
        "match": {"methods": ["POST"], "path": "/api/v1/statuses"},
        "effect": {"type": "ratelimit", "headers": {"Retry-After": "300"}},
        "count": 1,
    }
    _mastodon(mastodon, "POST", "/api/v1/_mock/faults", json=rule)
    _share_now(tab, masto)
    tab.wait_for_selector("[data-state=scheduled]")
    waiting = tab.locator("[data-waiting=cooldown]")
    assert re.fullmatch(
        r"Waiting for the network's rate limit · next try at \d\d:\d\d\. Nothing to do: Keryx "
        r"tries again by itself, and never publishes a post twice\.",
        " ".join(waiting.inner_text().split()),
    )
    screenshot(tab, "publish-mastodon-rate-limited")
    masto.refresh_from_db()
    assert masto.status == S.SCHEDULED and masto.dispatch.waiting == "cooldown"
    assert masto.dispatch.next_try_at is not None
    assert masto.dispatch.next_try_at - timezone.now() > dt.timedelta(minutes=4)
    assert [a.outcome for a in Attempt.objects.filter(variant=masto).order_by("pk")] == [
        "rejected",
        "rate_limited",
    ]
    assert _mastodon(mastodon, "GET", "/api/v1/_mock/faults") == []  # each fault hit once
    assert len(_statuses_on_mock(mastodon)) == statuses_before

    # The user makes a new app password and reconnects the account; the waiting post is
    # shared now and reaches the PDS once.
    made = httpx.post(
        pds.xrpc_url("com.atproto.server.createAppPassword"),
        json={"name": "Keryx again"},
        headers={"Authorization": f"Bearer {login.access_jwt}"},
        timeout=30,
    )
    assert made.status_code == 200, made.text
    tab.goto(f"/w/{workspace.slug}/settings/accounts/")
    row = tab.locator(f"tr[data-account='{account.pk}']")
    row.get_by_role("link", name="Reconnect", exact=True).click()
    # The form opens with what Keryx knows; only the new app password is typed.
    assert tab.input_value("#connect-bluesky input[name=handle]") == login.handle
    assert tab.input_value("#connect-bluesky input[name=pds_url]") == pds.pds_url
    tab.fill("#connect-bluesky input[name=app_password]", made.json()["password"])
    tab.click("#connect-bluesky button[type=submit]")
    tab.wait_for_selector(f"text=Connected Bluesky: @{login.handle}.")
    account.refresh_from_db()
    assert account.status == AccountStatus.CONNECTED
    tab.goto(_post_path(post))
    _share_now(tab, bluesky)
    tab.wait_for_selector("[data-state=published]")
    bluesky.refresh_from_db()
    assert [r["uri"] for r in _posts_on_pds(pds, login.did)] == [bluesky.remote_id]
    assert [
        (a.outcome, a.sent_at is not None)
        for a in Attempt.objects.filter(variant=bluesky).order_by("pk")
    ] == [
        ("auth_expired", False),
        ("published", True),
    ]
    tab.context.close()


def _next_try(variant: Variant) -> dt.datetime:
    variant.refresh_from_db()
    when = variant.dispatch.next_try_at
    assert when is not None
    return when


def _wall(when: dt.datetime) -> str:
    """HH:MM in the seminar's zone (the factories' seminars are in Athens)."""
    return timezone.localtime(when, zoneinfo.ZoneInfo("Europe/Athens")).strftime("%H:%M")
