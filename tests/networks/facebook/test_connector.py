"""The Facebook Pages connector against recorded Graph API payloads (respx at the edge)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
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
from keryx.networks.facebook.connector import FacebookConnector
from keryx.networks.meta_graph import GRAPH_URL
from keryx.networks.registry import connector_class
from keryx.networks.support import fingerprint_matches
from tests.networks.facebook.support import (
    body,
    every_fixture_has_a_source,
    form,
    multipart_fields,
    response,
)

PAGE = "546349135390552"
POST = "546349135390552_1116689038356556"
TOKEN = "EAAPageTokenSeminar"
TEXT = "Σεμινάριο Social Media στην Αθήνα, 12 Δεκεμβρίου! #Σεμινάριο2026"


@pytest.fixture
def connector() -> FacebookConnector:
    return FacebookConnector(
        AccountState(network="facebook", remote_id=PAGE, credentials={"access_token": TOKEN})
    )


@pytest.fixture
def meta_app(settings):  # type: ignore[no-untyped-def]
    settings.KERYX_META_APP_ID = "1234567890"
    settings.KERYX_META_APP_SECRET = "app-secret"
    return settings


def image(tmp_path: Path, name: str = "poster.png") -> MediaFile:
    path = tmp_path / name
    Image.new("RGB", (40, 30), "navy").save(path)
    return MediaFile(path=path, mime="image/png", alt_text="Η αφίσα")


def test_registry_finds_facebook_connector() -> None:
    assert connector_class("facebook") is FacebookConnector


def test_fixtures_each_name_their_documentation_page() -> None:
    assert every_fixture_has_a_source("facebook") == []


def test_publish_text_with_link_posts_to_page_feed(
    respx_mock: respx.MockRouter, connector: FacebookConnector
) -> None:
    feed = respx_mock.post(f"{GRAPH_URL}/{PAGE}/feed").mock(
        return_value=response("facebook", "feed_post_created")
    )
    respx_mock.get(f"{GRAPH_URL}/{POST}").mock(return_value=response("facebook", "post_details"))

    published = connector.publish(
        PublishRequest(text="Το σεμινάριο ξεκινά!", link="https://keryx.example.org/r/ab12")
    )

    assert form(feed.calls.last.request) == {
        "message": "Το σεμινάριο ξεκινά!",
        "link": "https://keryx.example.org/r/ab12",
        "access_token": TOKEN,
    }
    assert published.remote_id == POST
    assert published.url == "https://www.facebook.com/546349135390552/posts/1116689038356556"
    assert published.published_at == dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)


def test_publish_photos_uploads_unpublished_then_attaches_them(
    respx_mock: respx.MockRouter, connector: FacebookConnector, tmp_path: Path
) -> None:
    uploads = respx_mock.post(f"{GRAPH_URL}/{PAGE}/photos").mock(
        side_effect=[
            httpx.Response(200, json={"id": "1002088839996"}),
            httpx.Response(200, json={"id": "1002088839997"}),
        ]
    )
    feed = respx_mock.post(f"{GRAPH_URL}/{PAGE}/feed").mock(
        return_value=response("facebook", "feed_post_created")
    )
    respx_mock.get(f"{GRAPH_URL}/{POST}").mock(return_value=response("facebook", "post_details"))

    published = connector.publish(
        PublishRequest(
            text="Δύο φωτογραφίες",
            link="https://keryx.example.org/r/ab12",
            media=[image(tmp_path, "a.png"), image(tmp_path, "b.png")],
        )
    )

    assert uploads.call_count == 2
    assert multipart_fields(uploads.calls[0].request) == {
        "published": "false",
        "access_token": TOKEN,
    }
    assert b'filename="a.png"' in uploads.calls[0].request.content
    assert form(feed.calls.last.request) == {
        "message": "Δύο φωτογραφίες\n\nhttps://keryx.example.org/r/ab12",
        "attached_media[0]": '{"media_fbid": "1002088839996"}',
        "attached_media[1]": '{"media_fbid": "1002088839997"}',
        "access_token": TOKEN,
    }
    assert published.extra["photo_ids"] == ["1002088839996", "1002088839997"]


def test_publish_adds_first_comment_as_the_page(
    respx_mock: respx.MockRouter, connector: FacebookConnector
) -> None:
    respx_mock.post(f"{GRAPH_URL}/{PAGE}/feed").mock(
        return_value=response("facebook", "feed_post_created")
    )
    respx_mock.get(f"{GRAPH_URL}/{POST}").mock(return_value=response("facebook", "post_details"))
    comment = respx_mock.post(f"{GRAPH_URL}/{POST}/comments").mock(
        return_value=response("facebook", "comment_created")
    )

    published = connector.publish(PublishRequest(text="Κείμενο", first_comment="#σεμινάριο"))

    assert form(comment.calls.last.request)["message"] == "#σεμινάριο"
    assert published.extra["first_comment_id"] == "1116689038356556_1116690000000001"


def test_publish_succeeds_when_first_comment_fails_after_the_post(
    respx_mock: respx.MockRouter,
    connector: FacebookConnector,
) -> None:
    respx_mock.post(f"{GRAPH_URL}/{PAGE}/feed").mock(
        return_value=response("facebook", "feed_post_created")
    )
    respx_mock.get(f"{GRAPH_URL}/{POST}").mock(side_effect=httpx.ReadTimeout("slow"))
    respx_mock.post(f"{GRAPH_URL}/{POST}/comments").mock(
        return_value=response("facebook", "error_rejected")
    )

    published = connector.publish(PublishRequest(text="Κείμενο", first_comment="σχόλιο"))

    # The post exists: the failures after it are reported, never raised (no second post).
    assert published.remote_id == POST
    assert published.url == f"https://www.facebook.com/{POST}"
    assert published.extra["first_comment_error"]["code"] == "rejected"
    assert published.extra["details_error"]["code"] == "unavailable"


def test_publish_refuses_thread_and_video_before_sending(
    respx_mock: respx.MockRouter, connector: FacebookConnector, tmp_path: Path
) -> None:
    with pytest.raises(Rejected, match="cannot publish a thread to Facebook"):
        connector.publish(PublishRequest(text="1/2", thread=["2/2"]))
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\0")
    with pytest.raises(Rejected, match="cannot publish video to Facebook"):
        connector.publish(PublishRequest(text="x", media=[MediaFile(path=clip, mime="video/mp4")]))
    assert respx_mock.calls.call_count == 0


@pytest.mark.parametrize(
    ("fixture_name", "error", "message"),
    [
        ("error_auth_expired", AuthExpired, "the access token has expired"),
        ("error_rate_limited", RateLimited, "too many calls to this Page account"),
        ("error_rejected", Rejected, "temporarily blocked from posting because"),
        ("error_unavailable", Unavailable, "Please retry your request later"),
        ("error_gateway", Unconfirmed, r"does not say whether the post was made \(HTTP 502\)"),
    ],
)
@pytest.mark.respx(assert_all_called=False)
def test_publish_maps_graph_errors_to_typed_errors(
    respx_mock: respx.MockRouter,
    connector: FacebookConnector,
    fixture_name: str,
    error: type[Exception],
    message: str,
) -> None:
    respx_mock.post(f"{GRAPH_URL}/{PAGE}/feed").mock(
        return_value=response("facebook", fixture_name)
    )

    with pytest.raises(error, match=message) as caught:
        connector.publish(PublishRequest(text="Κείμενο"))

    if isinstance(caught.value, RateLimited):
        assert caught.value.retry_after == 19 * 60  # estimated_time_to_regain_access, minutes


@pytest.mark.respx(assert_all_called=False)
def test_publish_timeout_after_sending_is_unconfirmed(
    respx_mock: respx.MockRouter, connector: FacebookConnector
) -> None:
    feed = respx_mock.post(f"{GRAPH_URL}/{PAGE}/feed").mock(side_effect=httpx.ReadTimeout("slow"))

    with pytest.raises(Unconfirmed):
        connector.publish(PublishRequest(text="Κείμενο"))
    assert feed.call_count == 1


@pytest.mark.respx(assert_all_called=False)
def test_publish_unreachable_is_unavailable(
    respx_mock: respx.MockRouter, connector: FacebookConnector
) -> None:
    respx_mock.post(f"{GRAPH_URL}/{PAGE}/feed").mock(side_effect=httpx.ConnectError("refused"))

    with pytest.raises(Unavailable):
        connector.publish(PublishRequest(text="Κείμενο"))


@pytest.mark.respx(assert_all_called=False)
def test_photo_upload_timeout_is_unavailable_not_unconfirmed(
    respx_mock: respx.MockRouter, connector: FacebookConnector, tmp_path: Path
) -> None:
    # An unpublished photo is visible to nobody: trying again cannot publish twice.
    respx_mock.post(f"{GRAPH_URL}/{PAGE}/photos").mock(side_effect=httpx.ReadTimeout("slow"))
    feed = respx_mock.post(f"{GRAPH_URL}/{PAGE}/feed")

    with pytest.raises(Unavailable):
        connector.publish(PublishRequest(text="x", media=[image(tmp_path)]))
    assert not feed.called


@pytest.mark.respx(assert_all_called=False)
def test_read_error_is_unavailable_not_unconfirmed(
    respx_mock: respx.MockRouter, connector: FacebookConnector
) -> None:
    respx_mock.get(f"{GRAPH_URL}/").mock(return_value=response("facebook", "error_unavailable"))

    with pytest.raises(Unavailable, match="unexpected error"):
        connector.fetch_metrics([POST])


def test_find_published_matches_the_content_fingerprint(
    respx_mock: respx.MockRouter, connector: FacebookConnector
) -> None:
    route = respx_mock.get(f"{GRAPH_URL}/{PAGE}/published_posts").mock(
        return_value=response("facebook", "published_posts")
    )
    since = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)

    # The post on the page has other spacing and a link the pipeline's text did not have.
    found = connector.find_published(content_fingerprint(TEXT), since=since)

    assert found is not None
    assert found.remote_id == POST
    assert found.published_at == dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)
    assert parse_qs(urlsplit(str(route.calls.last.request.url)).query)["since"] == [
        str(int(since.timestamp()))
    ]
    assert connector.find_published(content_fingerprint("Κάτι άλλο"), since=since) is None


def test_fingerprint_matches_only_the_same_words() -> None:
    assert fingerprint_matches(TEXT + "\n\nhttps://keryx.example/r/1", content_fingerprint(TEXT))
    assert not fingerprint_matches(TEXT + " και", content_fingerprint(TEXT))
    assert not fingerprint_matches(TEXT, "")


def test_delete_and_reply(respx_mock: respx.MockRouter, connector: FacebookConnector) -> None:
    delete = respx_mock.delete(f"{GRAPH_URL}/{POST}").mock(
        return_value=response("facebook", "delete_success")
    )
    reply = respx_mock.post(f"{GRAPH_URL}/1116689038356556_900/comments").mock(
        return_value=response("facebook", "comment_created")
    )

    connector.delete(POST)
    answer = connector.reply("1116689038356556_900", "Ναι, στο YouTube.")

    assert delete.calls.last.request.url.params["access_token"] == TOKEN
    assert form(reply.calls.last.request)["message"] == "Ναι, στο YouTube."
    assert answer.remote_id == "1116689038356556_1116690000000001"


def test_fetch_metrics_reads_reactions_comments_shares_and_reach(
    respx_mock: respx.MockRouter,
    connector: FacebookConnector,
) -> None:
    many = respx_mock.get(f"{GRAPH_URL}/").mock(return_value=response("facebook", "engagement"))
    respx_mock.get(f"{GRAPH_URL}/{POST}/insights").mock(
        return_value=response("facebook", "post_insights")
    )

    metrics = connector.fetch_metrics([POST])[POST]

    assert many.calls.last.request.url.params["ids"] == POST
    assert (metrics.likes, metrics.comments, metrics.shares) == (42, 7, 3)
    assert (metrics.reach, metrics.clicks, metrics.impressions) == (1234, 56, None)


def test_fetch_metrics_without_insights_keeps_engagement(
    respx_mock: respx.MockRouter, connector: FacebookConnector
) -> None:
    respx_mock.get(f"{GRAPH_URL}/").mock(return_value=response("facebook", "engagement"))
    respx_mock.get(f"{GRAPH_URL}/{POST}/insights").mock(
        return_value=httpx.Response(
            400,
            json={
                "error": {
                    "message": "(#100) The value must be a valid insights metric",
                    "type": "OAuthException",
                    "code": 100,
                }
            },
        )
    )

    metrics = connector.fetch_metrics([POST])[POST]

    assert (metrics.likes, metrics.reach) == (42, None)


def test_fetch_conversations_returns_new_comments_of_others(
    respx_mock: respx.MockRouter, connector: FacebookConnector
) -> None:
    respx_mock.get(f"{GRAPH_URL}/{PAGE}/published_posts").mock(
        return_value=response("facebook", "posts_with_comments")
    )

    found = connector.fetch_conversations(dt.datetime(2026, 11, 15, tzinfo=dt.UTC))

    assert [(c.remote_id, c.kind, c.in_reply_to, c.author_name) for c in found] == [
        ("1116689038356556_900", "comment", POST, "Μαρία Παπαδοπούλου"),
        ("1116689038356556_902", "reply", "1116689038356556_900", "Μαρία Παπαδοπούλου"),
    ]
    assert found[0].post_remote_id == POST
    assert found[0].created_at == dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC)


def test_authorize_url_asks_for_page_permissions_with_state(meta_app) -> None:  # type: ignore[no-untyped-def]
    authorization = FacebookConnector.authorize_url(
        redirect_uri="https://keryx.example.org/networks/callback/facebook", state="s-123"
    )

    url = urlsplit(authorization.url)
    query = parse_qs(url.query)
    assert (url.netloc, url.path) == ("www.facebook.com", "/v25.0/dialog/oauth")
    assert query["client_id"] == ["1234567890"]
    assert query["state"] == ["s-123"]
    assert query["redirect_uri"] == ["https://keryx.example.org/networks/callback/facebook"]
    assert "pages_manage_posts" in query["scope"][0].split(",")
    assert authorization.state == "s-123"


def test_authorize_url_without_app_settings_says_what_to_set(settings) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_META_APP_ID = ""
    with pytest.raises(Rejected, match="KERYX_META_APP_ID"):
        FacebookConnector.authorize_url(redirect_uri="https://x.example/cb", state="s")


def test_complete_authorization_returns_each_page_with_its_token(
    respx_mock: respx.MockRouter, meta_app
) -> None:  # type: ignore[no-untyped-def]
    token = respx_mock.get(f"{GRAPH_URL}/oauth/access_token").mock(
        side_effect=[
            response("facebook", "oauth_access_token"),
            response("facebook", "long_lived_user_token"),
        ]
    )
    accounts_route = respx_mock.get(f"{GRAPH_URL}/me/accounts").mock(
        return_value=response("facebook", "me_accounts")
    )

    accounts = FacebookConnector.complete_authorization(
        redirect_uri="https://keryx.example.org/cb",
        code="AQD-code",
        authorization=Authorization(url="", state="s"),
    )

    first, second = token.calls
    assert first.request.url.params["code"] == "AQD-code"
    assert second.request.url.params["fb_exchange_token"] == "EAAShortLivedUserToken"
    assert accounts_route.calls.last.request.url.params["access_token"] == "EAALongLivedUserToken"
    # The second Page only allows ANALYZE: it cannot be published to.
    assert [(a.remote_id, a.name, a.credentials) for a in accounts] == [
        (PAGE, "Σεμινάριο Ψηφιακής Επικοινωνίας", {"access_token": TOKEN})
    ]
    assert accounts[0].profile_url == "https://www.facebook.com/seminario.psifiakis"
    assert accounts[0].token_expires_at is None


@pytest.mark.respx(assert_all_called=False)
def test_complete_authorization_with_a_used_code_asks_to_connect_again(
    respx_mock: respx.MockRouter, meta_app
) -> None:  # type: ignore[no-untyped-def]
    respx_mock.get(f"{GRAPH_URL}/oauth/access_token").mock(
        return_value=httpx.Response(
            400,
            json={
                "error": {
                    "message": "This authorization code has been used.",
                    "type": "OAuthException",
                    "code": 100,
                    "fbtrace_id": "x",
                }
            },
        )
    )
    with pytest.raises(Rejected, match="Connect the account again"):
        FacebookConnector.complete_authorization(
            redirect_uri="https://x.example/cb", code="used", authorization=Authorization("", "s")
        )


def test_refresh_credentials_has_nothing_to_do_for_page_tokens(
    connector: FacebookConnector,
) -> None:
    assert connector.refresh_credentials() is None


def test_error_fixture_bodies_are_graph_errors() -> None:
    for name in ("error_auth_expired", "error_rate_limited", "error_rejected", "error_unavailable"):
        assert set(body("facebook", name)["error"]) >= {"message", "type", "code"}
    header = json.loads(
        __import__("tests.networks.facebook.support", fromlist=["fixture"]).fixture(
            "facebook", "error_rate_limited"
        )["headers"]["x-business-use-case-usage"]
    )
    assert header[PAGE][0]["estimated_time_to_regain_access"] == 19
