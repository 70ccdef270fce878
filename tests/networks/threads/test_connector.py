"""The Threads connector against recorded Threads API payloads (respx at the edge)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
import time_machine
from django.conf import settings as django_settings
from PIL import Image

from keryx.networks.base import (
    AccountState,
    AuthExpired,
    Authorization,
    MediaFile,
    PublishRequest,
    RateLimited,
    Rejected,
    Unavailable,
    content_fingerprint,
)
from keryx.networks.registry import connector_class
from keryx.networks.threads.client import THREADS_HOST, THREADS_URL
from keryx.networks.threads.connector import ThreadsConnector
from tests.networks.facebook.support import every_fixture_has_a_source, form, response

USER = "17841401234567890"
ROOT = "18031234567890123"
TOKEN = "THQVJLongLived"
TEXT = "Σεμινάριο Social Media στην Αθήνα, 12 Δεκεμβρίου! #Σεμινάριο2026"
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


class QuickThreads(ThreadsConnector):
    poll_interval = 0.0
    poll_attempts = 3


def account(**credentials: str) -> AccountState:
    return AccountState(
        network="threads",
        remote_id=USER,
        handle="seminario.digital",
        credentials={
            "access_token": TOKEN,
            "expires_at": "2027-01-20T12:00:00+00:00",
            **credentials,
        },
    )


@pytest.fixture
def connector(settings) -> ThreadsConnector:  # type: ignore[no-untyped-def]
    settings.KERYX_BASE_URL = "https://keryx.example.org"
    return QuickThreads(account())


@pytest.fixture
def threads_app(settings):  # type: ignore[no-untyped-def]
    settings.KERYX_THREADS_APP_ID = "990602627938098"
    settings.KERYX_THREADS_APP_SECRET = "a1b2C3D4"
    return settings


def image(name: str, alt: str = "") -> MediaFile:
    path = Path(django_settings.MEDIA_ROOT) / "threads" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 64), "orange").save(path)
    return MediaFile(path=path, mime="image/jpeg", alt_text=alt)


def mock_publishing(respx_mock: respx.MockRouter) -> dict[str, respx.Route]:
    """Containers 9000001, 9000002, … each FINISHED; each publish answers the next post id."""
    containers = (httpx.Response(200, json={"id": f"900000{i}"}) for i in itertools.count(1))
    posts = itertools.chain(
        [response("threads", "thread_published")],
        (httpx.Response(200, json={"id": f"1805999000000000{i}"}) for i in itertools.count(1)),
    )
    return {
        "limit": respx_mock.get(f"{THREADS_URL}/{USER}/threads_publishing_limit").mock(
            return_value=response("threads", "publishing_limit")
        ),
        "create": respx_mock.post(f"{THREADS_URL}/{USER}/threads").mock(
            side_effect=lambda request: next(containers)
        ),
        "status": respx_mock.get(host="graph.threads.net", path__regex=r"^/v1\.0/9\d+$").mock(
            return_value=response("threads", "container_finished")
        ),
        "publish": respx_mock.post(f"{THREADS_URL}/{USER}/threads_publish").mock(
            side_effect=lambda request: next(posts)
        ),
        "details": respx_mock.get(f"{THREADS_URL}/{ROOT}").mock(
            return_value=response("threads", "post_details")
        ),
    }


def test_registry_finds_threads_connector() -> None:
    assert connector_class("threads") is ThreadsConnector


def test_fixtures_each_name_their_documentation_page() -> None:
    assert every_fixture_has_a_source("threads") == []


def test_publish_text_with_link_preview(
    respx_mock: respx.MockRouter, connector: ThreadsConnector
) -> None:
    routes = mock_publishing(respx_mock)

    published = connector.publish(
        PublishRequest(text="Το σεμινάριο ξεκινά! 🎤", link="https://keryx.example.org/r/ab12")
    )

    assert form(routes["create"].calls.last.request) == {
        "media_type": "TEXT",
        "text": "Το σεμινάριο ξεκινά! 🎤",
        "link_attachment": "https://keryx.example.org/r/ab12",
        "access_token": TOKEN,
    }
    assert routes["status"].calls.last.request.url.params["fields"] == "status,error_message"
    assert form(routes["publish"].calls.last.request)["creation_id"] == "9000001"
    assert published.remote_id == ROOT
    assert published.url == "https://www.threads.net/@seminario.digital/post/DBz1Abc2Def"
    assert published.published_at == dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)


def test_publish_carousel_with_alt_text(
    respx_mock: respx.MockRouter, connector: ThreadsConnector
) -> None:
    routes = mock_publishing(respx_mock)

    connector.publish(
        PublishRequest(text="Φωτογραφίες", media=[image("a.jpg", "Η αίθουσα"), image("b.jpg")])
    )

    calls = [form(call.request) for call in routes["create"].calls]
    assert calls == [
        {
            "media_type": "IMAGE",
            "image_url": "https://keryx.example.org/media/threads/a.jpg",
            "alt_text": "Η αίθουσα",
            "is_carousel_item": "true",
            "access_token": TOKEN,
        },
        {
            "media_type": "IMAGE",
            "image_url": "https://keryx.example.org/media/threads/b.jpg",
            "is_carousel_item": "true",
            "access_token": TOKEN,
        },
        {
            "media_type": "CAROUSEL",
            "children": "9000001,9000002",
            "text": "Φωτογραφίες",
            "access_token": TOKEN,
        },
    ]
    assert routes["status"].call_count == 3


def test_publish_thread_chains_replies_and_adds_first_comment(
    respx_mock: respx.MockRouter, connector: ThreadsConnector
) -> None:
    routes = mock_publishing(respx_mock)

    published = connector.publish(
        PublishRequest(
            text="1/3 Πρόγραμμα", thread=["2/3 Ομιλητές", "3/3 Εγγραφές"], first_comment="🔗"
        )
    )

    replies = [form(call.request) for call in routes["create"].calls][1:]
    assert [(r["text"], r["reply_to_id"]) for r in replies] == [
        ("2/3 Ομιλητές", ROOT),
        ("3/3 Εγγραφές", "18059990000000001"),
        ("🔗", ROOT),
    ]
    assert published.extra["thread_ids"] == ["18059990000000001", "18059990000000002"]
    assert published.extra["first_comment_id"] == "18059990000000003"


def test_publish_thread_stops_at_a_failed_part_and_reports_it(
    respx_mock: respx.MockRouter, connector: ThreadsConnector
) -> None:
    routes = mock_publishing(respx_mock)
    created = iter(
        [
            httpx.Response(200, json={"id": "9000001"}),
            httpx.Response(200, json={"id": "9000002"}),
            response("threads", "error_rejected"),
        ]
    )
    routes["create"].mock(side_effect=lambda request: next(created))

    published = connector.publish(PublishRequest(text="1/3", thread=["2/3", "3/3" * 300]))

    # The root and the second part are out: no error is raised, so nothing is posted twice.
    assert published.remote_id == ROOT
    assert published.extra["thread_ids"] == ["18059990000000001"]
    assert published.extra["thread_published"] == 1
    assert published.extra["thread_error"]["code"] == "rejected"


def test_publish_stops_when_the_quota_is_used_up(
    respx_mock: respx.MockRouter, connector: ThreadsConnector
) -> None:
    respx_mock.get(f"{THREADS_URL}/{USER}/threads_publishing_limit").mock(
        return_value=response("threads", "publishing_limit_exhausted")
    )
    create = respx_mock.post(f"{THREADS_URL}/{USER}/threads")

    with pytest.raises(RateLimited, match="250 posts"):
        connector.publish(PublishRequest(text="x"))
    assert not create.called


@pytest.mark.parametrize(
    ("step", "fixture_name", "error", "message"),
    [
        ("limit", "error_auth_expired", AuthExpired, "the access token has expired"),
        ("create", "error_rate_limited", RateLimited, "Application request limit reached"),
        ("create", "error_rejected", Rejected, "at most 500 characters"),
        ("publish", "error_unavailable", Unavailable, "Please retry your request later"),
    ],
)
@pytest.mark.respx(assert_all_called=False)
def test_errors_map_to_typed_errors(
    respx_mock: respx.MockRouter,
    connector: ThreadsConnector,
    step: str,
    fixture_name: str,
    error: type[Exception],
    message: str,
) -> None:
    routes = mock_publishing(respx_mock)
    routes[step].mock(side_effect=None, return_value=response("threads", fixture_name))

    with pytest.raises(error, match=message):
        connector.publish(PublishRequest(text="x"))


@pytest.mark.respx(assert_all_called=False)
def test_container_error_is_rejected_before_publishing(
    respx_mock: respx.MockRouter, connector: ThreadsConnector
) -> None:
    routes = mock_publishing(respx_mock)
    routes["status"].mock(return_value=response("threads", "container_error"))

    with pytest.raises(Rejected, match="FAILED_DOWNLOADING_VIDEO"):
        connector.publish(PublishRequest(text="x"))
    assert not routes["publish"].called


@pytest.mark.respx(assert_all_called=False)
def test_find_published_delete_and_reply(
    respx_mock: respx.MockRouter, connector: ThreadsConnector
) -> None:
    listing = respx_mock.get(f"{THREADS_URL}/{USER}/threads").mock(
        return_value=response("threads", "user_threads")
    )
    delete = respx_mock.delete(f"{THREADS_URL}/{ROOT}").mock(
        return_value=response("threads", "delete_success")
    )
    routes = mock_publishing(respx_mock)
    since = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)

    found = connector.find_published(content_fingerprint(TEXT), since=since)
    missing = connector.find_published(content_fingerprint("Άλλο κείμενο"), since=since)
    connector.delete(ROOT)
    answer = connector.reply("18050000000000001", "Ναι, αύριο.")

    assert found is not None and found.remote_id == ROOT
    assert missing is None
    assert listing.calls[0].request.url.params["since"] == str(int(since.timestamp()))
    assert delete.calls.last.request.url.params["access_token"] == TOKEN
    assert form(routes["create"].calls.last.request) == {
        "media_type": "TEXT",
        "text": "Ναι, αύριο.",
        "reply_to_id": "18050000000000001",
        "access_token": TOKEN,
    }
    assert answer.remote_id == ROOT
    assert not routes["limit"].called  # answering is not a post: no quota read


def test_fetch_metrics_reads_insights(
    respx_mock: respx.MockRouter, connector: ThreadsConnector
) -> None:
    route = respx_mock.get(f"{THREADS_URL}/{ROOT}/insights").mock(
        return_value=response("threads", "insights")
    )

    metrics = connector.fetch_metrics([ROOT])[ROOT]

    assert (
        route.calls.last.request.url.params["metric"] == "views,likes,replies,reposts,quotes,shares"
    )
    assert (metrics.likes, metrics.comments, metrics.shares, metrics.impressions) == (
        187,
        42,
        31,
        4523,
    )


def test_fetch_conversations_lists_replies_of_others(
    respx_mock: respx.MockRouter, connector: ThreadsConnector
) -> None:
    respx_mock.get(f"{THREADS_URL}/{USER}/threads").mock(
        return_value=response("threads", "user_threads")
    )
    respx_mock.get(f"{THREADS_URL}/18031234567890999/conversation").mock(
        return_value=httpx.Response(200, json={"data": []})
    )
    conversation = respx_mock.get(f"{THREADS_URL}/{ROOT}/conversation").mock(
        return_value=response("threads", "conversation")
    )

    found = connector.fetch_conversations(dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC))

    assert conversation.calls.last.request.url.params["reverse"] == "false"
    assert [(c.remote_id, c.in_reply_to, c.post_remote_id, c.author_handle) for c in found] == [
        ("18050000000000001", ROOT, ROOT, "kostas.g"),
        ("18050000000000003", "18050000000000002", ROOT, "kostas.g"),
    ]


@time_machine.travel(NOW, tick=False)
def test_refresh_credentials_leaves_a_young_token_alone(respx_mock: respx.MockRouter) -> None:
    assert (
        QuickThreads(account(expires_at="2027-01-20T12:00:00+00:00")).refresh_credentials() is None
    )
    assert respx_mock.calls.call_count == 0


@time_machine.travel(NOW, tick=False)
def test_refresh_credentials_renews_a_token_with_under_thirty_days_left(
    respx_mock: respx.MockRouter,
) -> None:
    route = respx_mock.get(f"{THREADS_HOST}/refresh_access_token").mock(
        return_value=response("threads", "token_refreshed")
    )

    renewed = QuickThreads(account(expires_at="2026-12-20T12:00:00+00:00")).refresh_credentials()

    assert route.calls.last.request.url.params["grant_type"] == "th_refresh_token"
    assert route.calls.last.request.url.params["access_token"] == TOKEN
    assert renewed is not None
    assert renewed.credentials["access_token"] == "THQVJRefreshed"
    assert renewed.token_expires_at == NOW + dt.timedelta(seconds=5183944)
    assert renewed.credentials["expires_at"] == renewed.token_expires_at.isoformat()


@time_machine.travel(NOW, tick=False)
def test_refresh_credentials_of_an_expired_token_asks_to_reconnect(
    respx_mock: respx.MockRouter,
) -> None:
    with pytest.raises(AuthExpired, match="expired on 2026-11-01"):
        QuickThreads(account(expires_at="2026-11-01T00:00:00+00:00")).refresh_credentials()
    assert respx_mock.calls.call_count == 0


def test_authorize_url_asks_for_threads_permissions(threads_app) -> None:  # type: ignore[no-untyped-def]
    authorization = ThreadsConnector.authorize_url(
        redirect_uri="https://keryx.example.org/cb", state="st-1"
    )

    url = urlsplit(authorization.url)
    query = parse_qs(url.query)
    assert (url.netloc, url.path) == ("threads.net", "/oauth/authorize")
    assert query["client_id"] == ["990602627938098"]
    assert query["state"] == ["st-1"]
    assert query["response_type"] == ["code"]
    assert "threads_content_publish" in query["scope"][0].split(",")


@time_machine.travel(NOW, tick=False)
def test_complete_authorization_exchanges_for_a_long_lived_token(
    respx_mock: respx.MockRouter, threads_app
) -> None:  # type: ignore[no-untyped-def]
    short = respx_mock.post(f"{THREADS_HOST}/oauth/access_token").mock(
        return_value=response("threads", "token_short")
    )
    long = respx_mock.get(f"{THREADS_HOST}/access_token").mock(
        return_value=response("threads", "token_long")
    )
    me = respx_mock.get(f"{THREADS_URL}/me").mock(return_value=response("threads", "me"))

    [connected] = ThreadsConnector.complete_authorization(
        redirect_uri="https://keryx.example.org/cb",
        code="AQ-code",
        authorization=Authorization("", "st"),
    )

    assert form(short.calls.last.request) == {
        "client_id": "990602627938098",
        "client_secret": "a1b2C3D4",
        "grant_type": "authorization_code",
        "redirect_uri": "https://keryx.example.org/cb",
        "code": "AQ-code",
    }
    assert long.calls.last.request.url.params["access_token"] == "THQVJShortLived"
    assert me.calls.last.request.url.params["access_token"] == "THQVJLongLived"
    assert (connected.remote_id, connected.handle) == (USER, "seminario.digital")
    assert connected.profile_url == "https://www.threads.net/@seminario.digital"
    assert connected.token_expires_at == NOW + dt.timedelta(seconds=5183944)
    assert connected.credentials == {
        "access_token": "THQVJLongLived",
        "expires_at": (NOW + dt.timedelta(seconds=5183944)).isoformat(),
    }
