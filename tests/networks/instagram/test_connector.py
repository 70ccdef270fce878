"""The Instagram connector against recorded Graph API payloads (respx at the edge)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
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
    Unconfirmed,
    content_fingerprint,
)
from keryx.networks.instagram.connector import InstagramConnector
from keryx.networks.meta_graph import GRAPH_URL
from keryx.networks.registry import connector_class
from tests.networks.facebook.support import every_fixture_has_a_source, form, response

IG = "17841405822304914"
MEDIA = "17920238422030506"
CONTAINER = "17889455560051444"
TOKEN = "EAAPageTokenSeminar"
TEXT = "Σεμινάριο Social Media στην Αθήνα, 12 Δεκεμβρίου! #Σεμινάριο2026"


class QuickInstagram(InstagramConnector):
    poll_interval = 0.0
    poll_attempts = 3


@pytest.fixture
def connector(settings) -> InstagramConnector:  # type: ignore[no-untyped-def]
    settings.KERYX_BASE_URL = "https://keryx.example.org"
    return QuickInstagram(
        AccountState(
            network="instagram",
            remote_id=IG,
            handle="seminario.digital",
            credentials={"access_token": TOKEN, "page_id": "546349135390552"},
        )
    )


def image(name: str = "poster.jpg", alt: str = "Αφίσα του σεμιναρίου") -> MediaFile:
    path = Path(django_settings.MEDIA_ROOT) / "posts" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1080, 1080), "teal").save(path)
    return MediaFile(path=path, mime="image/jpeg", alt_text=alt)


def mock_publishing(
    respx_mock: respx.MockRouter, *, containers: list[str]
) -> dict[str, respx.Route]:
    routes = {
        "limit": respx_mock.get(f"{GRAPH_URL}/{IG}/content_publishing_limit").mock(
            return_value=response("instagram", "publishing_limit")
        ),
        "create": respx_mock.post(f"{GRAPH_URL}/{IG}/media").mock(
            side_effect=[httpx.Response(200, json={"id": c}) for c in containers]
        ),
        "publish": respx_mock.post(f"{GRAPH_URL}/{IG}/media_publish").mock(
            return_value=response("instagram", "media_published")
        ),
        "details": respx_mock.get(f"{GRAPH_URL}/{MEDIA}").mock(
            return_value=response("instagram", "media_details")
        ),
    }
    for container in containers:
        respx_mock.get(f"{GRAPH_URL}/{container}").mock(
            return_value=response("instagram", "container_finished")
        )
    return routes


def test_registry_finds_instagram_connector() -> None:
    assert connector_class("instagram") is InstagramConnector


def test_fixtures_each_name_their_documentation_page() -> None:
    assert every_fixture_has_a_source("instagram") == []


def test_publish_single_image_creates_waits_and_publishes(
    respx_mock: respx.MockRouter, connector: InstagramConnector
) -> None:
    routes = mock_publishing(respx_mock, containers=[CONTAINER])

    published = connector.publish(
        PublishRequest(
            text="Το σεμινάριο ξεκινά! #σεμινάριο",
            link="https://keryx.example.org/r/ab12",
            media=[image()],
        )
    )

    assert routes["limit"].calls.last.request.url.params["fields"] == "quota_usage,config"
    assert form(routes["create"].calls.last.request) == {
        "image_url": "https://keryx.example.org/media/posts/poster.jpg",
        "alt_text": "Αφίσα του σεμιναρίου",
        "caption": "Το σεμινάριο ξεκινά! #σεμινάριο\n\nhttps://keryx.example.org/r/ab12",
        "access_token": TOKEN,
    }
    assert form(routes["publish"].calls.last.request)["creation_id"] == CONTAINER
    assert published.remote_id == MEDIA
    assert published.url == "https://www.instagram.com/p/DBx2kLmN0pQ/"
    assert published.published_at == dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)


def test_publish_carousel_makes_children_then_carousel_container(
    respx_mock: respx.MockRouter, connector: InstagramConnector
) -> None:
    routes = mock_publishing(respx_mock, containers=["101", "102", CONTAINER])
    comment = respx_mock.post(f"{GRAPH_URL}/{MEDIA}/comments").mock(
        return_value=response("instagram", "comment_created")
    )

    published = connector.publish(
        PublishRequest(
            text="Στιγμιότυπα",
            media=[image("a.jpg", alt=""), image("b.jpg", alt="Ομιλητές")],
            first_comment="#σεμινάριο #επικοινωνία",
        )
    )

    calls = [form(call.request) for call in routes["create"].calls]
    assert calls[0] == {
        "image_url": "https://keryx.example.org/media/posts/a.jpg",
        "is_carousel_item": "true",
        "access_token": TOKEN,
    }
    assert calls[1]["alt_text"] == "Ομιλητές"
    assert calls[2] == {
        "media_type": "CAROUSEL",
        "children": "101,102",
        "caption": "Στιγμιότυπα",
        "access_token": TOKEN,
    }
    assert form(comment.calls.last.request)["message"] == "#σεμινάριο #επικοινωνία"
    assert published.extra["first_comment_id"] == "17870913679156914"


def test_publish_stops_before_creating_anything_when_quota_is_used_up(
    respx_mock: respx.MockRouter, connector: InstagramConnector
) -> None:
    respx_mock.get(f"{GRAPH_URL}/{IG}/content_publishing_limit").mock(
        return_value=response("instagram", "publishing_limit_exhausted")
    )
    create = respx_mock.post(f"{GRAPH_URL}/{IG}/media")

    with pytest.raises(RateLimited, match="50 posts") as caught:
        connector.publish(PublishRequest(text="x", media=[image()]))

    assert caught.value.retry_after == 3600.0
    assert not create.called


@pytest.mark.respx(assert_all_called=False)
def test_publish_limit_error_from_media_publish_is_rate_limited(
    respx_mock: respx.MockRouter, connector: InstagramConnector
) -> None:
    routes = mock_publishing(respx_mock, containers=[CONTAINER])
    routes["publish"].mock(return_value=response("instagram", "error_publish_limit"))

    with pytest.raises(RateLimited, match="maximum number of posts"):
        connector.publish(PublishRequest(text="x", media=[image()]))


def test_publish_waits_for_container_in_progress(
    respx_mock: respx.MockRouter, connector: InstagramConnector
) -> None:
    routes = mock_publishing(respx_mock, containers=[])
    routes["create"].mock(return_value=response("instagram", "container_created"))
    status = respx_mock.get(f"{GRAPH_URL}/{CONTAINER}").mock(
        side_effect=[
            response("instagram", "container_in_progress"),
            response("instagram", "container_finished"),
        ]
    )

    published = connector.publish(PublishRequest(text="x", media=[image()]))

    assert status.call_count == 2
    assert status.calls.last.request.url.params["fields"] == "status_code,status"
    assert published.remote_id == MEDIA


@pytest.mark.respx(assert_all_called=False)
def test_publish_gives_up_waiting_without_publishing(
    respx_mock: respx.MockRouter, connector: InstagramConnector
) -> None:
    routes = mock_publishing(respx_mock, containers=[])
    routes["create"].mock(return_value=response("instagram", "container_created"))
    respx_mock.get(f"{GRAPH_URL}/{CONTAINER}").mock(
        return_value=response("instagram", "container_in_progress")
    )

    with pytest.raises(Unavailable, match="still processing"):
        connector.publish(PublishRequest(text="x", media=[image()]))

    assert not routes["publish"].called


@pytest.mark.respx(assert_all_called=False)
def test_publish_container_error_is_rejected_with_the_reason(
    respx_mock: respx.MockRouter, connector: InstagramConnector
) -> None:
    routes = mock_publishing(respx_mock, containers=[])
    routes["create"].mock(return_value=response("instagram", "container_created"))
    respx_mock.get(f"{GRAPH_URL}/{CONTAINER}").mock(
        return_value=response("instagram", "container_error")
    )

    with pytest.raises(Rejected, match="2207004"):
        connector.publish(PublishRequest(text="x", media=[image()]))
    assert not routes["publish"].called


@pytest.mark.parametrize(
    ("fixture_name", "error", "message"),
    [
        ("error_image_too_large", Rejected, "It should be less than 8 MiB"),
        ("error_server", Unavailable, "Instagram server error"),
        ("error_auth_expired", AuthExpired, "password"),
    ],
)
@pytest.mark.respx(assert_all_called=False)
def test_container_errors_map_to_typed_errors(
    respx_mock: respx.MockRouter,
    connector: InstagramConnector,
    fixture_name: str,
    error: type[Exception],
    message: str,
) -> None:
    routes = mock_publishing(respx_mock, containers=[])
    routes["create"].mock(return_value=response("instagram", fixture_name))

    with pytest.raises(error, match=message):
        connector.publish(PublishRequest(text="x", media=[image()]))
    assert not routes["publish"].called


@pytest.mark.respx(assert_all_called=False)
def test_media_publish_bare_gateway_error_is_unconfirmed(
    respx_mock: respx.MockRouter, connector: InstagramConnector
) -> None:
    routes = mock_publishing(respx_mock, containers=[CONTAINER])
    routes["publish"].mock(return_value=response("facebook", "error_gateway"))

    with pytest.raises(Unconfirmed, match="HTTP 502"):
        connector.publish(PublishRequest(text="x", media=[image()]))


@pytest.mark.respx(assert_all_called=False)
def test_media_publish_instagram_server_error_is_unavailable(
    respx_mock: respx.MockRouter, connector: InstagramConnector
) -> None:
    # Instagram's own "server error, try again" (code -1, is_transient): nothing was published.
    routes = mock_publishing(respx_mock, containers=[CONTAINER])
    routes["publish"].mock(return_value=response("instagram", "error_server"))

    with pytest.raises(Unavailable, match="Try again"):
        connector.publish(PublishRequest(text="x", media=[image()]))


@pytest.mark.respx(assert_all_called=False)
def test_media_publish_timeout_is_unconfirmed_and_not_retried(
    respx_mock: respx.MockRouter, connector: InstagramConnector
) -> None:
    routes = mock_publishing(respx_mock, containers=[CONTAINER])
    routes["publish"].mock(side_effect=httpx.ReadTimeout("slow"))

    with pytest.raises(Unconfirmed):
        connector.publish(PublishRequest(text="x", media=[image()]))
    assert routes["publish"].call_count == 1


def test_publish_needs_an_image_and_a_public_address(
    respx_mock: respx.MockRouter, connector: InstagramConnector, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Rejected, match="at least one image"):
        connector.publish(PublishRequest(text="Μόνο κείμενο"))
    outside = tmp_path / "elsewhere.jpg"
    Image.new("RGB", (10, 10)).save(outside)
    with pytest.raises(Rejected, match="not in Keryx's media library"):
        connector.publish(PublishRequest(text="x", media=[MediaFile(outside, "image/jpeg")]))
    settings.KERYX_BASE_URL = "http://127.0.0.1:8000"
    with pytest.raises(Rejected, match="KERYX_BASE_URL"):
        connector.publish(PublishRequest(text="x", media=[image()]))
    assert respx_mock.calls.call_count == 0


def test_find_published_matches_caption(
    respx_mock: respx.MockRouter, connector: InstagramConnector
) -> None:
    route = respx_mock.get(f"{GRAPH_URL}/{IG}/media").mock(
        return_value=response("instagram", "user_media")
    )
    since = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)

    found = connector.find_published(content_fingerprint(TEXT), since=since)

    assert found is not None
    assert (found.remote_id, found.url) == (MEDIA, "https://www.instagram.com/p/DBx2kLmN0pQ/")
    assert route.calls.last.request.url.params["since"] == str(int(since.timestamp()))
    assert connector.find_published(content_fingerprint("δεν υπάρχει"), since=since) is None


def test_delete_and_reply(respx_mock: respx.MockRouter, connector: InstagramConnector) -> None:
    delete = respx_mock.delete(f"{GRAPH_URL}/{MEDIA}").mock(
        return_value=response("instagram", "delete_success")
    )
    reply = respx_mock.post(f"{GRAPH_URL}/17858893269000001/replies").mock(
        return_value=response("instagram", "reply_created")
    )

    connector.delete(MEDIA)
    answer = connector.reply("17858893269000001", "Στην Αθήνα!")

    assert delete.called
    assert form(reply.calls.last.request)["message"] == "Στην Αθήνα!"
    assert answer.remote_id == "17873440459141021"


def test_fetch_metrics_combines_counts_and_insights(
    respx_mock: respx.MockRouter, connector: InstagramConnector
) -> None:
    respx_mock.get(f"{GRAPH_URL}/").mock(return_value=response("instagram", "media_counts"))
    insights = respx_mock.get(f"{GRAPH_URL}/{MEDIA}/insights").mock(
        return_value=response("instagram", "media_insights")
    )

    metrics = connector.fetch_metrics([MEDIA])[MEDIA]

    assert insights.calls.last.request.url.params["metric"] == "reach,views,shares,saved"
    assert (metrics.likes, metrics.comments, metrics.shares) == (120, 14, 9)
    assert (metrics.reach, metrics.impressions) == (850, 1310)
    assert metrics.raw["insights"]["saved"] == 21


def test_fetch_conversations_lists_comments_and_replies_of_others(
    respx_mock: respx.MockRouter, connector: InstagramConnector
) -> None:
    respx_mock.get(f"{GRAPH_URL}/{IG}/media").mock(
        return_value=response("instagram", "media_with_comments")
    )

    found = connector.fetch_conversations(dt.datetime(2026, 11, 15, tzinfo=dt.UTC))

    assert [(c.remote_id, c.kind, c.in_reply_to, c.author_handle) for c in found] == [
        ("17858893269000001", "comment", MEDIA, "maria.p"),
        ("17858893269000003", "reply", "17858893269000001", "maria.p"),
    ]
    assert found[1].text == "Τέλεια 👏"


def test_authorize_url_asks_for_instagram_permissions(settings) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_META_APP_ID = "1234567890"
    settings.KERYX_META_APP_SECRET = "secret"

    authorization = InstagramConnector.authorize_url(
        redirect_uri="https://keryx.example.org/cb", state="st"
    )

    scopes = parse_qs(urlsplit(authorization.url).query)["scope"][0].split(",")
    assert {"instagram_basic", "instagram_content_publish", "instagram_manage_comments"} <= set(
        scopes
    )


def test_complete_authorization_returns_linked_instagram_accounts(
    respx_mock: respx.MockRouter, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_META_APP_ID = "1234567890"
    settings.KERYX_META_APP_SECRET = "secret"
    respx_mock.get(f"{GRAPH_URL}/oauth/access_token").mock(
        side_effect=[
            response("instagram", "oauth_access_token"),
            response("instagram", "long_lived_user_token"),
        ]
    )
    pages = respx_mock.get(f"{GRAPH_URL}/me/accounts").mock(
        return_value=response("instagram", "me_accounts")
    )

    accounts = InstagramConnector.complete_authorization(
        redirect_uri="https://keryx.example.org/cb",
        code="code",
        authorization=Authorization(url="", state="s"),
    )

    assert "instagram_business_account" in pages.calls.last.request.url.params["fields"]
    assert [(a.remote_id, a.handle, a.profile_url, a.credentials) for a in accounts] == [
        (
            IG,
            "seminario.digital",
            "https://www.instagram.com/seminario.digital/",
            {"access_token": TOKEN, "page_id": "546349135390552"},
        )
    ]
