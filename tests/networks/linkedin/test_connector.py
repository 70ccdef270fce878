"""The LinkedIn connector against recorded LinkedIn API payloads (respx at the edge)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
import time_machine
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
from keryx.networks.linkedin.client import API_URL, TOKEN_URL, urn_path
from keryx.networks.linkedin.connector import LinkedInConnector, from_little, to_little
from keryx.networks.registry import connector_class
from tests.networks.facebook.support import every_fixture_has_a_source, form, response

ORG = "urn:li:organization:2414183"
PERSON = "urn:li:person:782bbtaQ"
SHARE = "urn:li:share:6844785523593134080"
IMAGE = "urn:li:image:C4E10AQFoyyAjHPMQuQ"
TOKEN = "AQUvlL_DYEzvT2wz1QJiEPeLioeA"
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
TEXT = "Σεμινάριο Social Media στην Αθήνα, 12 Δεκεμβρίου! #Σεμινάριο2026"
ORG_SCOPES = "openid,profile,w_member_social,r_organization_social,w_organization_social,rw_organization_admin"


class QuickLinkedIn(LinkedInConnector):
    image_poll_interval = 0.0


def account(author: str = ORG, **credentials: str) -> QuickLinkedIn:
    return QuickLinkedIn(
        AccountState(
            network="linkedin",
            remote_id=author,
            credentials={
                "access_token": TOKEN,
                "expires_at": "2027-01-20T12:00:00+00:00",
                "scope": ORG_SCOPES,
                **credentials,
            },
        )
    )


@pytest.fixture
def linkedin_app(settings):  # type: ignore[no-untyped-def]
    settings.KERYX_LINKEDIN_CLIENT_ID = "78xyz"
    settings.KERYX_LINKEDIN_CLIENT_SECRET = "li-secret"
    return settings


def json_body(request: httpx.Request) -> object:
    return json.loads(request.content)


def test_registry_finds_linkedin_connector() -> None:
    assert connector_class("linkedin") is LinkedInConnector


def test_fixtures_each_name_their_documentation_page() -> None:
    assert every_fixture_has_a_source("linkedin") == []


def test_default_api_version_is_a_current_yyyymm_version(settings) -> None:  # type: ignore[no-untyped-def]
    from keryx.settings.base import KERYX_LINKEDIN_VERSION

    # LinkedIn supports each monthly version for at least a year (202607: until July 2027).
    assert KERYX_LINKEDIN_VERSION == "202607"
    assert settings.KERYX_LINKEDIN_VERSION == "202607"


def test_little_text_escapes_reserved_characters_and_keeps_hashtags() -> None:
    text = "Σεμινάριο (Αθήνα) #Επικοινωνία_2026 με @maria — 10*2 [νέο] #1"
    little = to_little(text)
    assert little == (
        "Σεμινάριο \\(Αθήνα\\) {hashtag|#|Επικοινωνία\\_2026} με \\@maria — 10\\*2 \\[νέο\\] "
        "{hashtag|#|1}"
    )
    assert from_little(little) == text
    assert from_little("Hi @[Devtestco](urn:li:organization:2414183) {hashtag|\\#|AI}") == (
        "Hi @Devtestco #AI"
    )


def test_publish_text_sends_versioned_headers_and_reads_the_urn(
    respx_mock: respx.MockRouter, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_LINKEDIN_VERSION = "202610"
    create = respx_mock.post(f"{API_URL}/rest/posts").mock(
        return_value=response("linkedin", "post_created")
    )

    published = account().publish(
        PublishRequest(
            text="Το σεμινάριο (Αθήνα) #σεμινάριο", link="https://keryx.example.org/r/ab12"
        )
    )

    request = create.calls.last.request
    assert request.headers["LinkedIn-Version"] == "202610"
    assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert json_body(request) == {
        "author": ORG,
        "commentary": "Το σεμινάριο \\(Αθήνα\\) {hashtag|#|σεμινάριο}\n\nhttps://keryx.example.org/r/ab12",
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }
    assert published.remote_id == SHARE
    assert published.url == f"https://www.linkedin.com/feed/update/{SHARE}/"


def test_publish_uploads_images_waits_and_attaches_them(
    respx_mock: respx.MockRouter, tmp_path: Path
) -> None:
    init = respx_mock.post(f"{API_URL}/rest/images", params={"action": "initializeUpload"}).mock(
        return_value=response("linkedin", "images_initialize")
    )
    upload = respx_mock.put(host="www.linkedin.com", path__startswith="/dms-uploads/").mock(
        return_value=httpx.Response(201)
    )
    status = respx_mock.get(f"{API_URL}/rest/images/{urn_path(IMAGE)}").mock(
        side_effect=[
            response("linkedin", "image_processing"),
            response("linkedin", "image_available"),
        ]
        * 2
    )
    create = respx_mock.post(f"{API_URL}/rest/posts").mock(
        return_value=response("linkedin", "post_created")
    )
    paths = []
    for name in ("a.png", "b.png"):
        path = tmp_path / name
        Image.new("RGB", (20, 20), "red").save(path)
        paths.append(path)

    account().publish(
        PublishRequest(
            text="Δύο εικόνες",
            media=[
                MediaFile(paths[0], "image/png", alt_text="Η σκηνή"),
                MediaFile(paths[1], "image/png"),
            ],
        )
    )

    assert json_body(init.calls[0].request) == {"initializeUploadRequest": {"owner": ORG}}
    assert upload.calls[0].request.content == paths[0].read_bytes()
    assert upload.calls[0].request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert status.call_count == 4
    assert json_body(create.calls.last.request)["content"] == {  # type: ignore[index]
        "multiImage": {"images": [{"id": IMAGE, "altText": "Η σκηνή"}, {"id": IMAGE}]}
    }


def test_publish_adds_first_comment_and_survives_its_failure(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(f"{API_URL}/rest/posts").mock(return_value=response("linkedin", "post_created"))
    comment = respx_mock.post(f"{API_URL}/rest/socialActions/{urn_path(SHARE)}/comments").mock(
        side_effect=[response("linkedin", "comment_created"), response("linkedin", "error_server")]
    )

    first = account().publish(PublishRequest(text="Α", first_comment="Δηλώσεις: https://x.example"))
    second = account().publish(PublishRequest(text="Β", first_comment="σχόλιο"))

    assert json_body(comment.calls[0].request) == {
        "actor": ORG,
        "object": SHARE,
        "message": {"text": "Δηλώσεις: https://x.example"},
    }
    assert first.extra["first_comment_id"] == (
        "urn:li:comment:(urn:li:activity:6844785523593134081,6844790000000000009)"
    )
    # The post exists: a failed first comment is reported, never raised.
    assert second.remote_id == SHARE
    assert second.extra["first_comment_error"]["code"] == "unconfirmed"


@pytest.mark.parametrize(
    ("fixture_name", "error", "message"),
    [
        ("error_unauthorized", AuthExpired, "Invalid access token"),
        ("error_throttled", RateLimited, "APPLICATION DAY limit"),
        (
            "error_unprocessable",
            Rejected,
            "Text exceeds the maximum allowed length \\(/commentary\\)",
        ),
        ("error_server", Unconfirmed, "does not say whether the post was made"),
        ("error_version", Rejected, "Requested version 20230101 is not active"),
    ],
)
def test_publish_maps_errors_to_typed_errors(
    respx_mock: respx.MockRouter, fixture_name: str, error: type[Exception], message: str
) -> None:
    respx_mock.post(f"{API_URL}/rest/posts").mock(return_value=response("linkedin", fixture_name))

    with pytest.raises(error, match=message):
        account().publish(PublishRequest(text="x"))


@time_machine.travel(NOW, tick=False)
def test_daily_limit_waits_until_midnight_utc(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(f"{API_URL}/rest/posts").mock(
        return_value=response("linkedin", "error_throttled")
    )

    with pytest.raises(RateLimited) as caught:
        account().publish(PublishRequest(text="x"))
    assert caught.value.retry_after == 12 * 3600


def test_publish_without_the_urn_header_is_unconfirmed(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(f"{API_URL}/rest/posts").mock(return_value=httpx.Response(201))

    with pytest.raises(Unconfirmed, match="did not say which post"):
        account().publish(PublishRequest(text="x"))


def test_publish_timeout_is_unconfirmed_and_image_timeout_is_unavailable(
    respx_mock: respx.MockRouter, tmp_path: Path
) -> None:
    create = respx_mock.post(f"{API_URL}/rest/posts").mock(side_effect=httpx.ReadTimeout("slow"))
    respx_mock.post(f"{API_URL}/rest/images").mock(side_effect=httpx.ReadTimeout("slow"))
    path = tmp_path / "a.png"
    Image.new("RGB", (5, 5)).save(path)

    with pytest.raises(Unconfirmed):
        account().publish(PublishRequest(text="x"))
    with pytest.raises(Unavailable):
        account().publish(PublishRequest(text="x", media=[MediaFile(path, "image/png")]))
    assert create.call_count == 1


def test_find_published_reads_the_organisations_posts(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(f"{API_URL}/rest/posts").mock(
        return_value=response("linkedin", "posts_by_author")
    )
    since = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)

    found = account().find_published(content_fingerprint(TEXT), since=since)

    params = route.calls.last.request.url.params
    assert (params["author"], params["q"]) == (ORG, "author")
    assert found is not None
    assert found.remote_id == SHARE
    assert found.published_at == dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)
    assert (
        account().find_published(
            content_fingerprint(TEXT), since=dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
        )
        is None
    )


def test_find_published_for_a_member_says_it_cannot_look(respx_mock: respx.MockRouter) -> None:
    member = account(PERSON, scope="openid,profile,w_member_social")

    with pytest.raises(Rejected, match="mark the post by hand"):
        member.find_published("x", since=NOW)
    assert member.fetch_conversations(None) == []
    assert respx_mock.calls.call_count == 0


def test_delete_sends_the_restli_delete(respx_mock: respx.MockRouter) -> None:
    delete = respx_mock.delete(f"{API_URL}/rest/posts/{urn_path(SHARE)}").mock(
        return_value=response("linkedin", "delete_success")
    )

    account().delete(SHARE)

    assert delete.calls.last.request.headers["X-RestLi-Method"] == "DELETE"
    assert str(delete.calls.last.request.url).endswith(
        "/rest/posts/urn%3Ali%3Ashare%3A6844785523593134080"
    )


def test_reply_to_a_comment_nests_under_it(respx_mock: respx.MockRouter) -> None:
    comment_urn = "urn:li:comment:(urn:li:activity:6844785523593134081,6844790000000000001)"
    route = respx_mock.post(f"{API_URL}/rest/socialActions/{urn_path(comment_urn)}/comments").mock(
        return_value=response("linkedin", "comment_created")
    )

    answer = account().reply(comment_urn, "Ευχαριστούμε!")

    assert json_body(route.calls.last.request) == {
        "actor": ORG,
        "object": "urn:li:activity:6844785523593134081",
        "message": {"text": "Ευχαριστούμε!"},
        "parentComment": comment_urn,
    }
    assert (
        answer.remote_id
        == "urn:li:comment:(urn:li:activity:6844785523593134081,6844790000000000009)"
    )


def test_fetch_metrics_combines_social_actions_and_share_statistics(
    respx_mock: respx.MockRouter,
) -> None:
    stats = respx_mock.get(f"{API_URL}/rest/organizationalEntityShareStatistics").mock(
        return_value=response("linkedin", "share_statistics")
    )
    respx_mock.get(f"{API_URL}/rest/socialActions/{urn_path(SHARE)}").mock(
        return_value=response("linkedin", "social_actions")
    )

    metrics = account().fetch_metrics([SHARE])[SHARE]

    assert stats.calls.last.request.url.query.decode() == (
        "q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A2414183"
        "&shares=List(urn%3Ali%3Ashare%3A6844785523593134080)"
    )
    assert (metrics.likes, metrics.comments, metrics.shares) == (27, 4, 6)
    assert (metrics.impressions, metrics.reach, metrics.clicks) == (1020, 510, 31)


def test_fetch_metrics_for_a_member_uses_social_actions(respx_mock: respx.MockRouter) -> None:
    respx_mock.get(f"{API_URL}/rest/socialActions/{urn_path(SHARE)}").mock(
        return_value=response("linkedin", "social_actions")
    )
    reader = account(PERSON, scope="openid,profile,w_member_social,r_member_social")
    writer_only = account(PERSON, scope="openid,profile,w_member_social")

    metrics = reader.fetch_metrics([SHARE])[SHARE]

    assert (metrics.likes, metrics.comments, metrics.impressions) == (27, 4, None)
    # Without r_member_social LinkedIn lets nobody read a member's likes: nothing is asked.
    assert writer_only.fetch_metrics([SHARE]) == {}
    assert respx_mock.calls.call_count == 1


def test_fetch_conversations_lists_new_comments_of_others(respx_mock: respx.MockRouter) -> None:
    respx_mock.get(f"{API_URL}/rest/posts").mock(
        return_value=httpx.Response(
            200, json={"elements": [{"id": SHARE, "author": ORG, "commentary": "x"}]}
        )
    )
    respx_mock.get(f"{API_URL}/rest/socialActions/{urn_path(SHARE)}/comments").mock(
        return_value=response("linkedin", "comments")
    )

    found = account().fetch_conversations(dt.datetime(2026, 11, 15, tzinfo=dt.UTC))

    assert [(c.remote_id, c.kind, c.text, c.author_handle, c.in_reply_to) for c in found] == [
        (
            "urn:li:comment:(urn:li:activity:6844785523593134081,6844790000000000001)",
            "comment",
            "Θα υπάρχει βιντεοσκόπηση;",
            "urn:li:person:Ab12Cd34",
            SHARE,
        )
    ]
    assert found[0].created_at == dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC)


def test_authorize_url_asks_for_the_configured_scopes(linkedin_app) -> None:  # type: ignore[no-untyped-def]
    authorization = LinkedInConnector.authorize_url(
        redirect_uri="https://keryx.example.org/cb", state="st-9"
    )

    url = urlsplit(authorization.url)
    query = parse_qs(url.query)
    assert (url.netloc, url.path) == ("www.linkedin.com", "/oauth/v2/authorization")
    assert query["response_type"] == ["code"]
    assert query["client_id"] == ["78xyz"]
    assert query["state"] == ["st-9"]
    assert query["scope"] == [
        "openid profile w_member_social r_organization_social w_organization_social rw_organization_admin"
    ]


@time_machine.travel(NOW, tick=False)
def test_complete_authorization_returns_member_and_administered_organisations(
    respx_mock: respx.MockRouter, linkedin_app
) -> None:  # type: ignore[no-untyped-def]
    token = respx_mock.post(TOKEN_URL).mock(return_value=response("linkedin", "token"))
    respx_mock.get(f"{API_URL}/v2/userinfo").mock(return_value=response("linkedin", "userinfo"))
    acls = respx_mock.get(f"{API_URL}/rest/organizationAcls").mock(
        return_value=response("linkedin", "organization_acls")
    )
    respx_mock.get(f"{API_URL}/rest/organizations/2414183").mock(
        return_value=response("linkedin", "organization")
    )

    member, organization = LinkedInConnector.complete_authorization(
        redirect_uri="https://keryx.example.org/cb",
        code="AQT-code",
        authorization=Authorization("", "s"),
    )

    assert form(token.calls.last.request) == {
        "grant_type": "authorization_code",
        "code": "AQT-code",
        "redirect_uri": "https://keryx.example.org/cb",
        "client_id": "78xyz",
        "client_secret": "li-secret",
    }
    assert acls.calls.last.request.url.params["q"] == "roleAssignee"
    assert (member.remote_id, member.name) == (PERSON, "Ελένη Παπαδάκη")
    # The ANALYST role on 5515715 cannot post: only the administered page is offered.
    assert (organization.remote_id, organization.name, organization.handle) == (
        ORG,
        "Devtestco",
        "devtestco",
    )
    assert organization.profile_url == "https://www.linkedin.com/company/devtestco/"
    assert organization.token_expires_at == NOW + dt.timedelta(days=60)
    assert organization.credentials["refresh_token"].startswith("AQWAft_")
    assert (
        organization.credentials["refresh_token_expires_at"]
        == (NOW + dt.timedelta(seconds=31536000)).isoformat()
    )


@time_machine.travel(NOW, tick=False)
def test_complete_authorization_of_a_member_only_app(
    respx_mock: respx.MockRouter, linkedin_app
) -> None:  # type: ignore[no-untyped-def]
    respx_mock.post(TOKEN_URL).mock(return_value=response("linkedin", "token_member_only"))
    respx_mock.get(f"{API_URL}/v2/userinfo").mock(return_value=response("linkedin", "userinfo"))

    [member] = LinkedInConnector.complete_authorization(
        redirect_uri="https://keryx.example.org/cb", code="c", authorization=Authorization("", "s")
    )

    assert member.remote_id == PERSON
    assert "refresh_token" not in member.credentials


def test_complete_authorization_with_an_expired_code_asks_to_connect_again(
    respx_mock: respx.MockRouter, linkedin_app
) -> None:  # type: ignore[no-untyped-def]
    respx_mock.post(TOKEN_URL).mock(return_value=response("linkedin", "token_error"))

    with pytest.raises(Rejected, match=r"authorization code expired.*Connect the account again"):
        LinkedInConnector.complete_authorization(
            redirect_uri="https://x.example/cb", code="old", authorization=Authorization("", "s")
        )


@time_machine.travel(NOW, tick=False)
def test_refresh_credentials_uses_the_refresh_token_near_expiry(
    respx_mock: respx.MockRouter, linkedin_app
) -> None:  # type: ignore[no-untyped-def]
    route = respx_mock.post(TOKEN_URL).mock(return_value=response("linkedin", "token_refreshed"))

    young = account(expires_at="2027-01-01T00:00:00+00:00", refresh_token="RT")
    old = account(expires_at="2026-12-01T00:00:00+00:00", refresh_token="RT")

    assert young.refresh_credentials() is None
    renewed = old.refresh_credentials()

    assert form(route.calls.last.request) == {
        "grant_type": "refresh_token",
        "refresh_token": "RT",
        "client_id": "78xyz",
        "client_secret": "li-secret",
    }
    assert renewed is not None
    assert renewed.credentials["access_token"] == "BBBvlL_DYEzvT2wz1QJiEPeRefreshed"
    assert renewed.token_expires_at == NOW + dt.timedelta(days=60)


@time_machine.travel(NOW, tick=False)
def test_refresh_credentials_without_refresh_token(
    respx_mock: respx.MockRouter, linkedin_app
) -> None:  # type: ignore[no-untyped-def]
    assert account(expires_at="2026-12-01T00:00:00+00:00").refresh_credentials() is None
    with pytest.raises(AuthExpired, match="expired on 2026-11-01"):
        account(expires_at="2026-11-01T00:00:00+00:00").refresh_credentials()
    assert respx_mock.calls.call_count == 0


@time_machine.travel(NOW, tick=False)
def test_refused_refresh_token_means_reconnect(respx_mock: respx.MockRouter, linkedin_app) -> None:  # type: ignore[no-untyped-def]
    respx_mock.post(TOKEN_URL).mock(
        return_value=httpx.Response(
            400,
            json={
                "error": "invalid_grant",
                "error_description": "The token used in the request has been revoked by the user",
            },
        )
    )

    with pytest.raises(AuthExpired, match="revoked"):
        account(expires_at="2026-12-01T00:00:00+00:00", refresh_token="RT").refresh_credentials()


def test_a_malformed_version_setting_is_refused_with_the_fix(settings) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_LINKEDIN_VERSION = "2026-07"
    with pytest.raises(Rejected, match="YYYYMM"):
        account().publish(PublishRequest(text="x"))


@time_machine.travel(NOW, tick=False)
def test_complete_authorization_without_openid_reads_the_lite_profile(
    respx_mock: respx.MockRouter, linkedin_app
) -> None:  # type: ignore[no-untyped-def]
    respx_mock.post(TOKEN_URL).mock(return_value=response("linkedin", "token_member_only"))
    respx_mock.get(f"{API_URL}/v2/userinfo").mock(
        return_value=response("linkedin", "error_forbidden")
    )
    me = respx_mock.get(f"{API_URL}/v2/me").mock(return_value=response("linkedin", "me_profile"))

    [member] = LinkedInConnector.complete_authorization(
        redirect_uri="https://keryx.example.org/cb", code="c", authorization=Authorization("", "s")
    )

    assert me.called
    assert (member.remote_id, member.name) == (PERSON, "Ελένη Παπαδάκη")
