"""The LinkedIn connector keeps the shared contract (recorded LinkedIn API payloads), as an
organisation page, which can read its own posts back."""

from __future__ import annotations

import datetime as dt

import pytest

from keryx.networks.base import AccountState, ConnectedAccount, Metrics, OAuthApp, Published
from keryx.networks.linkedin.client import API_URL, TOKEN_URL, urn_path
from tests.networks.contract import CONTRACT_NOW, ConnectorContract, Route, Scenario

ORG = "urn:li:organization:2414183"
PERSON = "urn:li:person:782bbtaQ"
SHARE = "urn:li:share:6844785523593134080"
OTHER = "urn:li:share:6844785523593139999"
IMAGE = "urn:li:image:C4E10AQFoyyAjHPMQuQ"
COMMENT = "urn:li:comment:(urn:li:activity:6844785523593134081,6844790000000000009)"
SCOPES = "openid,profile,w_member_social,r_organization_social,w_organization_social,rw_organization_admin"
REFRESH_TOKEN = "AQWAft_WjYZKwuWXLC5hQlghgTam-tuT8CvFej9-XxGyqeER_7jTr8HmjiGjqil13i7gMFjyDxh1g7C_G1gyTZmfcD0Bo2oEHofNAkr_76mSk84sppsGbygwW-5oLsb_OH_EXADPIFo0kGWA"

POSTS = f"{API_URL}/rest/posts"
CREATE_POST = Route("POST", POSTS, "post_created.json", write=True)
PUBLISHED = Published(remote_id=SHARE, url=f"https://www.linkedin.com/feed/update/{SHARE}/")
RENEWED_UNTIL = CONTRACT_NOW + dt.timedelta(seconds=5184000)
CREDENTIALS = {
    "access_token": "AQUvlL_DYEzvT2wz1QJiEPeLioeA",
    "scope": SCOPES,
    "refresh_token": "RT-1",
}


@pytest.fixture(autouse=True)
def linkedin_app(settings):  # type: ignore[no-untyped-def]
    # Refreshing a token needs the app's keys, which come from settings.
    settings.KERYX_LINKEDIN_CLIENT_ID = "78xyz"
    settings.KERYX_LINKEDIN_CLIENT_SECRET = "li-secret"


class TestContract(ConnectorContract):
    network = "linkedin"
    remote_id = SHARE
    # No expiry recorded: the token is renewed whenever it is asked to be.
    account = AccountState(network="linkedin", remote_id=ORG, credentials=CREDENTIALS)
    oauth_app = OAuthApp(client_id="78xyz", client_secret="li-secret")
    extra_fixtures = frozenset(
        {
            "error_server.json",
            "error_version.json",
            "error_forbidden.json",
            "me_profile.json",
            "image_processing.json",
            "token_member_only.json",
            "token_error.json",
        }
    )
    scenarios = {
        "read_comments": Scenario(
            routes=[
                Route(
                    "GET",
                    f"{API_URL}/rest/socialActions/{urn_path('post-1')}/comments",
                    "comments.json",
                )
            ],
            expect=(
                [
                    (
                        "urn:li:comment:(urn:li:activity:6844785523593134081,6844790000000000001)",
                        "comment",
                        "Θα υπάρχει βιντεοσκόπηση;",
                        "urn:li:person:Ab12Cd34",
                        "post-1",
                        "post-1",
                    ),
                    (
                        "urn:li:comment:(urn:li:activity:6844785523593134081,6844790000000000002)",
                        "reply",
                        "Ναι!",
                        "urn:li:organization:2414183",
                        "post-1",
                        "urn:li:comment:(urn:li:activity:6844785523593134081,6844790000000000001)",
                    ),
                    (
                        "urn:li:comment:(urn:li:activity:6844785523593134081,6844700000000000000)",
                        "comment",
                        "Παλιό",
                        "urn:li:person:Old00001",
                        "post-1",
                        "post-1",
                    ),
                ],
                "",
            ),
        ),
        "publish_text": Scenario(routes=[CREATE_POST], expect=PUBLISHED),
        "publish_image": Scenario(
            routes=[
                Route("POST", f"{API_URL}/rest/images", "images_initialize.json"),
                Route("PUT", r"re:https://www\.linkedin\.com/dms-uploads/.*", status=201),
                Route("GET", f"{API_URL}/rest/images/{urn_path(IMAGE)}", "image_available.json"),
                CREATE_POST,
            ],
            expect=PUBLISHED,
        ),
        "publish_link": Scenario(routes=[CREATE_POST], expect=PUBLISHED),
        "publish_first_comment": Scenario(
            routes=[
                CREATE_POST,
                Route(
                    "POST",
                    f"{API_URL}/rest/socialActions/{urn_path(SHARE)}/comments",
                    "comment_created.json",
                ),
            ],
            expect=PUBLISHED,
        ),
        "auth_expired": Scenario(routes=[Route("POST", POSTS, "error_unauthorized.json")]),
        "rate_limited": Scenario(
            routes=[Route("POST", POSTS, "error_throttled.json")],
            expect=14 * 3600,  # a daily limit: until midnight UTC
        ),
        "rejected": Scenario(
            routes=[Route("POST", POSTS, "error_unprocessable.json")],
            expect=(
                "Field Value validation failed in REQUEST_BODY: Data Processing Exception while "
                "processing fields [/commentary] — Text exceeds the maximum allowed length "
                "(/commentary)"
            ),
        ),
        "unavailable": Scenario(routes=[Route("POST", POSTS, "error_service_unavailable.json")]),
        "metrics": Scenario(
            routes=[
                Route(
                    "GET",
                    f"{API_URL}/rest/organizationalEntityShareStatistics",
                    "share_statistics.json",
                ),
                Route(
                    "GET", f"{API_URL}/rest/socialActions/{urn_path(SHARE)}", "social_actions.json"
                ),
            ],
            expect={
                SHARE: Metrics(
                    likes=27, comments=4, shares=6, impressions=1020, reach=510, clicks=31
                )
            },
        ),
        "conversations": Scenario(
            routes=[
                Route("GET", POSTS, "posts_by_author.json"),
                Route(
                    "GET",
                    f"{API_URL}/rest/socialActions/{urn_path(OTHER)}/comments",
                    "comments_empty.json",
                ),
                Route(
                    "GET",
                    f"{API_URL}/rest/socialActions/{urn_path(SHARE)}/comments",
                    "comments.json",
                ),
            ],
            expect=[
                (
                    "urn:li:comment:(urn:li:activity:6844785523593134081,6844790000000000001)",
                    "comment",
                    "Θα υπάρχει βιντεοσκόπηση;",
                    "urn:li:person:Ab12Cd34",
                    SHARE,
                    SHARE,
                )
            ],
        ),
        "reply": Scenario(
            routes=[
                Route(
                    "POST",
                    f"{API_URL}/rest/socialActions/{urn_path(SHARE)}/comments",
                    "comment_created.json",
                )
            ],
            expect=Published(remote_id=COMMENT, url=PUBLISHED.url),
        ),
        "delete": Scenario(
            routes=[Route("DELETE", f"{POSTS}/{urn_path(SHARE)}", "delete_success.json")]
        ),
        "find_published": Scenario(
            routes=[Route("GET", POSTS, "posts_by_author.json")], expect=PUBLISHED
        ),
        "verify": Scenario(
            routes=[Route("GET", f"{API_URL}/rest/organizations/2414183", "organization.json")],
            expect=ConnectedAccount(remote_id=ORG, name="Devtestco", handle="devtestco"),
        ),
        "refresh": Scenario(
            routes=[Route("POST", TOKEN_URL, "token_refreshed.json")],
            expect=ConnectedAccount(
                remote_id=ORG,
                name=ORG,
                credentials={
                    "access_token": "BBBvlL_DYEzvT2wz1QJiEPeRefreshed",
                    "expires_at": RENEWED_UNTIL.isoformat(),
                    "scope": SCOPES,
                    "refresh_token": REFRESH_TOKEN,
                    "refresh_token_expires_at": (
                        CONTRACT_NOW + dt.timedelta(seconds=30000000)
                    ).isoformat(),
                },
                token_expires_at=RENEWED_UNTIL,
            ),
        ),
        "refresh_revoked": Scenario(routes=[Route("POST", TOKEN_URL, "token_revoked.json")]),
        "complete_authorization": Scenario(
            routes=[
                Route("POST", TOKEN_URL, "token.json"),
                Route("GET", f"{API_URL}/v2/userinfo", "userinfo.json"),
                Route("GET", f"{API_URL}/rest/organizationAcls", "organization_acls.json"),
                Route("GET", f"{API_URL}/rest/organizations/2414183", "organization.json"),
            ],
            expect=[
                ConnectedAccount(remote_id=PERSON, name="Ελένη Παπαδάκη"),
                ConnectedAccount(remote_id=ORG, name="Devtestco", handle="devtestco"),
            ],
        ),
    }
