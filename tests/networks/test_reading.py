"""Reading back (issue 12): a sync that resumes where it was killed, without a gap or a
duplicate; signed webhooks stored once and refused when the signature is wrong; the read
quota that refuses Instagram's 31st hashtag in 7 days before any request; metric snapshots
with NULL for what a network does not give. Recorded payloads from the networks' docs
(src/keryx/networks/<key>/fixtures), respx at the edge of the internet."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import hmac
import json
from typing import Any

import httpx
import pytest
import respx
from django.test import Client
from django.utils import timezone
from django.utils.translation import override

from keryx.networks.base import Metrics
from keryx.networks.domain.reading import (
    QuotaExceeded,
    metrics_due,
    metrics_snapshot,
    sync_read,
)
from keryx.networks.models import (
    MetricSnapshot,
    NetworkAccount,
    ReadUse,
    RemoteItem,
    SyncState,
    WebhookDelivery,
)
from keryx.networks.registry import all_specs
from keryx.networks.spec import rules_with
from tests.networks.contract import load_fixture

pytestmark = pytest.mark.django_db

MASTODON = "https://mastodon.social"
GRAPH = "https://graph.facebook.com/v25.0"


def _mastodon(workspace: Any) -> NetworkAccount:
    return NetworkAccount.objects.create(
        workspace=workspace,
        network="mastodon",
        name="Σεμινάριο",
        handle="@trwnh@mastodon.social",
        remote_id="14715",
        base_url=MASTODON,
        credentials={"access_token": "token-of-trwnh"},
    )


def _mentions(first_id: int, count: int) -> list[dict[str, Any]]:
    """``count`` mention notifications shaped as the docs' example, ids going down."""
    (example,) = load_fixture("mastodon", "notifications_mentions.json")["body"]
    page = []
    for n in range(count):
        note = copy.deepcopy(example)
        note["id"] = str(first_id - n)
        note["status"]["id"] = str(900_000 + first_id - n)
        page.append(note)
    return page


def test_a_sync_killed_halfway_resumes_without_a_gap_or_a_duplicate(workspace: Any) -> None:
    account = _mastodon(workspace)
    pages = {"": _mentions(1000, 40), "961": _mentions(960, 40), "921": _mentions(920, 3)}
    asked: list[str] = []
    killed = {"once": True}

    def answer(request: httpx.Request) -> httpx.Response:
        max_id = request.url.params.get("max_id", "")
        asked.append(max_id)
        if max_id == "961" and killed.pop("once", False):
            raise RuntimeError("the worker was killed")  # not a network error: the sweep dies
        return httpx.Response(200, json=pages[max_id])

    with respx.mock(assert_all_called=False) as router:
        router.get(f"{MASTODON}/api/v1/notifications").mock(side_effect=answer)
        with pytest.raises(RuntimeError):
            sync_read(account, "mentions")
        state = SyncState.objects.get(account=account, kind="mentions")
        assert (state.cursor, RemoteItem.objects.count()) == ("961", 40)
        assert state.last_success_at is None
        assert sync_read(account, "mentions") == 43  # the next sweep: the rest, once
    assert asked == ["", "961", "961", "921"]  # resumed at the page it was killed on
    assert RemoteItem.objects.count() == 83
    assert RemoteItem.objects.values("remote_id").distinct().count() == 83
    state.refresh_from_db()
    assert (state.cursor, state.last_error, state.failures) == ("", "", 0)
    assert state.last_success_at is not None
    item = RemoteItem.objects.get(remote_id="901000")
    assert (item.kind, item.author_handle, item.text, item.post_remote_id) == (
        "reply",
        "@zsc",
        "@trwnh sup!",
        "103186038209478945",
    )


def test_a_failed_read_says_why_in_plain_words_and_backs_off(workspace: Any) -> None:
    account = _mastodon(workspace)
    now = timezone.now()
    with respx.mock as router:
        router.get(f"{MASTODON}/api/v1/notifications").mock(
            return_value=httpx.Response(503, text="Service Unavailable")
        )
        assert sync_read(account, "mentions", now=now) == 0
    state = SyncState.objects.get(account=account)
    assert state.failures == 1
    assert state.last_error.endswith("Try again in a moment.")
    assert state.next_run_at == now + dt.timedelta(minutes=20)


def _instagram(workspace: Any) -> NetworkAccount:
    return NetworkAccount.objects.create(
        workspace=workspace,
        network="instagram",
        name="Σεμινάριο",
        handle="@seminario",
        remote_id="17841405822304914",
        credentials={"access_token": "IGToken", "ig_user_id": "17841405822304914"},
    )


def test_the_31st_instagram_hashtag_in_7_days_is_refused_before_any_request(
    workspace: Any,
) -> None:
    account = _instagram(workspace)
    now = timezone.now()
    for n in range(30):
        ReadUse.objects.create(
            account=account,
            kind="hashtag_search",
            key=f"tag{n}",
            used_at=now - dt.timedelta(days=6),
        )
    ReadUse.objects.create(  # older than 7 days: no longer counts… but 30 others do
        account=account, kind="hashtag_search", key="old", used_at=now - dt.timedelta(days=8)
    )
    with respx.mock as router, override("el"):
        with pytest.raises(QuotaExceeded) as refused:
            sync_read(account, "search", "Σεμινάριο2026", now=now)
        assert router.calls.call_count == 0  # refused before any request
    assert refused.value.message == (
        "Το Instagram επιτρέπει αναζήτηση 30 διαφορετικών hashtags σε 7 ημέρες· το "
        "#Σεμινάριο2026 θα ήταν ένα ακόμη. Αναζητήστε ξανά ένα hashtag που ήδη αναζητήσατε, "
        "ή περιμένετε."
    )
    state = SyncState.objects.get(account=account, kind="search", scope="Σεμινάριο2026")
    assert state.last_error == refused.value.message
    # A hashtag already searched this week costs nothing new: it is read.
    body = {"data": [], "paging": {}}
    with respx.mock as router:
        router.get(f"{GRAPH}/ig_hashtag_search").mock(
            return_value=httpx.Response(200, json={"data": [{"id": "17843853986012965"}]})
        )
        router.get(f"{GRAPH}/17843853986012965/recent_media").mock(
            return_value=httpx.Response(200, json=body)
        )
        assert sync_read(account, "search", "tag7", now=now) == 0
        assert router.calls.call_count == 2


APP_SECRET = "meta-app-secret"


def _signed(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


FEED = {
    # developers.facebook.com/docs/graph-api/webhooks/reference/page/#feed (a comment added)
    "object": "page",
    "entry": [
        {
            "id": "546349135390552",
            "time": 1772445600,
            "changes": [
                {
                    "field": "feed",
                    "value": {
                        "from": {"id": "24913284751", "name": "Μαρία Παπαδοπούλου"},
                        "item": "comment",
                        "comment_id": "1116689038356556_1116690000000009",
                        "post_id": "546349135390552_1116689038356556",
                        "verb": "add",
                        "created_time": 1772445590,
                        "message": "Θα υπάρχει ζωντανή μετάδοση;",
                        "parent_id": "546349135390552_1116689038356556",
                    },
                }
            ],
        }
    ],
}


def test_a_signed_meta_webhook_is_stored_once_when_delivered_twice(
    workspace: Any, settings: Any
) -> None:
    settings.KERYX_META_APP_SECRET = APP_SECRET
    page = NetworkAccount.objects.create(
        workspace=workspace, network="facebook", name="Σελίδα", remote_id="546349135390552"
    )
    body = json.dumps(FEED, ensure_ascii=False).encode()
    client = Client()
    for _ in range(2):
        response = client.post(
            "/networks/webhooks/facebook/",
            body,
            content_type="application/json",
            HTTP_X_HUB_SIGNATURE_256=_signed(body),
        )
        assert response.status_code == 200
    (item,) = RemoteItem.objects.filter(account=page)
    assert (item.kind, item.author_name, item.text, item.post_remote_id) == (
        "comment",
        "Μαρία Παπαδοπούλου",
        "Θα υπάρχει ζωντανή μετάδοση;",
        "546349135390552_1116689038356556",
    )
    assert WebhookDelivery.objects.get().items == 1


def test_a_webhook_with_a_bad_signature_is_refused_logged_and_not_stored(
    workspace: Any, settings: Any, caplog: Any
) -> None:
    settings.KERYX_META_APP_SECRET = APP_SECRET
    NetworkAccount.objects.create(
        workspace=workspace, network="facebook", name="Σελίδα", remote_id="546349135390552"
    )
    body = json.dumps(FEED).encode()
    response = Client().post(
        "/networks/webhooks/facebook/",
        body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=_signed(body, "someone-else"),
    )
    assert response.status_code == 403
    assert (RemoteItem.objects.count(), WebhookDelivery.objects.count()) == (0, 0)
    assert "webhook from facebook refused: bad signature" in caplog.text


def test_the_meta_handshake_echoes_the_challenge_only_with_the_verify_token(
    settings: Any,
) -> None:
    settings.KERYX_META_WEBHOOK_VERIFY_TOKEN = "my-verify-token"
    client = Client()
    query = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": ""}
    ok = client.get(
        "/networks/webhooks/instagram/", {**query, "hub.verify_token": "my-verify-token"}
    )
    assert (ok.status_code, ok.content) == (200, b"1158201444")
    wrong = client.get("/networks/webhooks/instagram/", {**query, "hub.verify_token": "guess"})
    assert wrong.status_code == 403
    assert client.get("/networks/webhooks/mastodon/").status_code == 404  # no webhooks


def test_linkedin_challenge_and_x_crc_answers(settings: Any) -> None:
    settings.KERYX_LINKEDIN_CLIENT_SECRET = "li-secret"
    settings.KERYX_X_CONSUMER_SECRET = "x-consumer-secret"
    client = Client()
    linkedin = client.get(
        "/networks/webhooks/linkedin/", {"challengeCode": "890e4665-4dfe-4ab1-b689-ed553bceeed0"}
    ).json()
    assert linkedin == {
        "challengeCode": "890e4665-4dfe-4ab1-b689-ed553bceeed0",
        "challengeResponse": hmac.new(
            b"li-secret", b"890e4665-4dfe-4ab1-b689-ed553bceeed0", hashlib.sha256
        ).hexdigest(),
    }
    import base64

    crc = client.get("/networks/webhooks/x/", {"crc_token": "9b4507b3"}).json()
    digest = hmac.new(b"x-consumer-secret", b"9b4507b3", hashlib.sha256).digest()
    assert crc == {"response_token": "sha256=" + base64.b64encode(digest).decode()}


def test_metric_snapshots_keep_what_a_network_does_not_give_empty(workspace: Any) -> None:
    account = _mastodon(workspace)
    statuses = load_fixture("mastodon", "statuses_batch.json")["body"]
    ids = [str(s["id"]) for s in statuses]
    with respx.mock as router:
        route = router.get(f"{MASTODON}/api/v1/statuses").mock(
            return_value=httpx.Response(200, json=statuses)
        )
        assert metrics_snapshot(account, ids) == len(ids)
        assert route.call_count == 1  # one request for the whole batch
    snapshot = MetricSnapshot.objects.get(remote_id=ids[0])
    assert snapshot.likes == statuses[0]["favourites_count"]
    assert (snapshot.impressions, snapshot.reach, snapshot.link_clicks) == (None, None, None)
    assert Metrics().impressions is None


def test_metrics_are_polled_hourly_then_daily_then_frozen() -> None:
    now = timezone.now()
    hour, day = dt.timedelta(hours=1), dt.timedelta(days=1)
    assert metrics_due(now - 10 * hour, None, now)
    assert not metrics_due(now - 10 * hour, now - 0.5 * hour, now)
    assert metrics_due(now - 10 * hour, now - hour, now)
    assert not metrics_due(now - 3 * day, now - 5 * hour, now)
    assert metrics_due(now - 3 * day, now - day, now)
    assert not metrics_due(now - 31 * day, now - 2 * day, now)


def test_declared_capabilities_agree_with_the_rules_and_the_connectors() -> None:
    """Declared once: the rules' ``supports_*`` come from the capabilities, and a network
    that declares a read implements it (its connector overrides the method)."""
    from keryx.networks.base import Connector
    from keryx.networks.registry import connector_class

    methods = {
        "comments": "fetch_comments",
        "mentions": "fetch_mentions",
        "search": "search",
        "hide": "hide",
        "delete_comment": "delete_comment",
        "audience": "fetch_audience",
        "webhooks": "handle_webhook",
    }
    for declared in all_specs(listed=False):
        assert declared.rules == rules_with(declared.rules, declared.capabilities)
        cls = connector_class(declared.key)
        assert cls.capabilities is declared.capabilities
        for capability, method in methods.items():
            owner = next(k for k in cls.__mro__ if method in k.__dict__)
            implemented = owner is not Connector
            assert implemented == getattr(declared.capabilities, capability), (
                declared.key,
                capability,
            )


def test_x_reads_are_off_until_turned_on_then_capped_per_month(workspace: Any) -> None:
    account = NetworkAccount.objects.create(
        workspace=workspace,
        network="x",
        name="Σεμινάριο",
        remote_id="2244994945",
        credentials={"access_token": "x-token"},
    )
    mentions = load_fixture("x", "mentions.json")["body"]
    with respx.mock as router:
        with pytest.raises(QuotaExceeded) as off:
            sync_read(account, "mentions")
        assert router.calls.call_count == 0
    assert off.value.message.startswith("Reading from X costs money per read, so it is off.")
    account.read_settings = {"enabled": True, "monthly_cap": 1}
    account.save()
    with respx.mock as router:
        router.get(url__regex=r"https://api\.x\.com/2/users/2244994945/mentions").mock(
            return_value=httpx.Response(200, json=mentions)
        )
        assert sync_read(account, "mentions") == 1
        with pytest.raises(QuotaExceeded):
            sync_read(account, "mentions")
        assert router.calls.call_count == 1  # the second read was refused before asking


def test_the_accounts_page_shows_read_quotas_and_the_last_read_error(
    workspace: Any, owner_client: Client
) -> None:
    account = _instagram(workspace)
    now = timezone.now()
    for n in range(12):
        ReadUse.objects.create(account=account, kind="hashtag_search", key=f"t{n}", used_at=now)
    SyncState.objects.create(
        account=account, kind="search", scope="t1", last_error="Instagram is busy."
    )
    page = owner_client.get(f"/w/{workspace.slug}/settings/accounts/").content.decode()
    assert "Hashtags searched: 12 of 30 in the last 7 days." in page
    assert "Last read failed: Instagram is busy." in page


def test_an_owner_turns_x_reads_on_with_a_cap_from_the_accounts_page(
    workspace: Any, owner_client: Client
) -> None:
    account = NetworkAccount.objects.create(
        workspace=workspace, network="x", name="Σεμινάριο", remote_id="2244994945"
    )
    page = f"/w/{workspace.slug}/settings/accounts/"
    assert "Reading is off (paid per read)." in owner_client.get(page).content.decode()
    response = owner_client.post(
        f"{page}{account.pk}/reads/", {"enabled": "1", "monthly_cap": "500"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Saved the reading settings of X: Σεμινάριο."
    ]
    account.refresh_from_db()
    assert account.read_settings == {"enabled": True, "monthly_cap": 500}
    assert "Reads: 0 of 500 in the last 30 days." in response.content.decode()


MENTION = {
    # developers.facebook.com/docs/graph-api/webhooks/reference/page/#mention (the Page is
    # mentioned in a comment: ``item: comment``; a person's id and name as sender_*)
    "object": "page",
    "entry": [
        {
            "id": "546349135390552",
            "time": 1772445700,
            "changes": [
                {
                    "field": "mention",
                    "value": {
                        "post_id": "100064372929470_1116700000000001",
                        "comment_id": "1116700000000001_1116700000000077",
                        "sender_name": "Νίκος Γεωργίου",
                        "sender_id": "24913284799",
                        "item": "comment",
                        "verb": "add",
                        "created_time": 1772445690,
                        "message": "Ρωτήστε το Κέντρο Επιμόρφωσης",
                    },
                }
            ],
        }
    ],
}


def test_a_facebook_mention_webhook_is_stored_as_a_mention_once(
    workspace: Any, settings: Any
) -> None:
    settings.KERYX_META_APP_SECRET = APP_SECRET
    page = NetworkAccount.objects.create(
        workspace=workspace, network="facebook", name="Σελίδα", remote_id="546349135390552"
    )
    body = json.dumps(MENTION, ensure_ascii=False).encode()
    for _ in range(2):
        response = Client().post(
            "/networks/webhooks/facebook/",
            body,
            content_type="application/json",
            HTTP_X_HUB_SIGNATURE_256=_signed(body),
        )
        assert response.status_code == 200
    (item,) = RemoteItem.objects.filter(account=page)
    assert (item.kind, item.remote_id, item.author_name, item.post_remote_id) == (
        "mention",
        "1116700000000001_1116700000000077",
        "Νίκος Γεωργίου",
        "100064372929470_1116700000000001",
    )


def test_the_sweep_reads_mentions_and_leaves_searches_to_the_wall(workspace: Any) -> None:
    """A hashtag search is run by the social wall that asked for it, on its cadence; the
    network sweep running it too spent the search quota twice."""
    from keryx.networks.domain.reading import sync_sweep

    account = _mastodon(workspace)
    SyncState.objects.create(account=account, kind="search", scope="#seminar")
    with respx.mock(assert_all_called=False) as router:
        mentions = router.get(f"{MASTODON}/api/v1/notifications").mock(
            return_value=httpx.Response(200, json=_mentions(500, 2))
        )
        searches = router.get(f"{MASTODON}/api/v1/timelines/tag/seminar").mock(
            return_value=httpx.Response(200, json=[])
        )
        assert sync_sweep() == 2
    assert mentions.call_count == 1
    assert searches.call_count == 0
    assert SyncState.objects.get(account=account, kind="search").last_success_at is None
