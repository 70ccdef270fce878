"""The X connector keeps the shared contract, against the payloads of docs.x.com."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest

from keryx.networks.base import AccountState, ConnectedAccount, Metrics, OAuthApp, Published
from tests.networks.contract import ALT_TEXT, ConnectorContract, Route, Scenario, form_or_json

API = "https://api.x.com"
TWEETS = f"{API}/2/tweets"
FIRST = Published(
    remote_id="1445880548472328192", url="https://x.com/TwitterDev/status/1445880548472328192"
)
MEDIA = "1880028106020515840"


def _bearer(calls: list[httpx.Request]) -> None:
    assert calls[0].headers["Authorization"] == "Bearer access-of-twitterdev"
    assert "Idempotency-Key" not in calls[0].headers


def _media(calls: list[httpx.Request]) -> None:
    init, append, finalize, metadata, post = calls
    assert json.loads(init.content) == {
        "media_type": "image/png",
        "total_bytes": len(append.content) and json.loads(init.content)["total_bytes"],
        "media_category": "tweet_image",
    }
    assert b'name="segment_index"\r\n\r\n0' in append.content
    assert json.loads(metadata.content) == {
        "id": MEDIA,
        "metadata": {"alt_text": {"text": ALT_TEXT}},
    }
    assert json.loads(post.content)["media"] == {"media_ids": [MEDIA]}
    assert finalize.url.path == f"/2/media/upload/{MEDIA}/finalize"


def _thread(calls: list[httpx.Request]) -> None:
    bodies = [json.loads(r.content) for r in calls]
    assert "reply" not in bodies[0]
    assert bodies[1]["reply"] == {"in_reply_to_tweet_id": "1445880548472328192"}
    assert bodies[2]["reply"] == {"in_reply_to_tweet_id": "1445880548472328193"}


def _token_request(calls: list[httpx.Request]) -> None:
    token = calls[0]
    assert token.headers["Authorization"].startswith("Basic ")
    assert form_or_json(token)["grant_type"] == "authorization_code"


class TestContract(ConnectorContract):
    network = "x"
    remote_id = "1445880548472328192"
    account = AccountState(
        network="x",
        remote_id="2244994945",
        handle="@TwitterDev",
        credentials={"access_token": "access-of-twitterdev", "refresh_token": "refresh-1"},
    )
    oauth_app = OAuthApp(client_id="M1M5R3BMVy13QmpScXkzTUt5OE46MTpjaQ", client_secret="s3cr3t")
    scenarios = {
        "read_mentions": Scenario(
            routes=[Route("GET", f"re:^{API}/2/users/2244994945/mentions", "mentions.json")],
            expect=(
                [
                    (
                        "1446000000000000001",
                        "reply",
                        "@TwitterDev Θα είμαστε εκεί!",
                        "@X",
                        "1445880548472328192",
                        "1445880548472328192",
                    )
                ],
                "",
            ),
        ),
        "read_search": Scenario(
            routes=[Route("GET", f"re:^{API}/2/tweets/search/recent", "search_recent.json")],
            expect=(
                [
                    (
                        "1446000000000000010",
                        "search",
                        "Έτοιμοι για το #Σεμινάριο2026",
                        "@dgeorgiou",
                        "",
                        "",
                    )
                ],
                "b26v89c19zqg8o3fpzbkk8hp1gt",
            ),
        ),
        "read_hide": Scenario(
            routes=[Route("PUT", f"{API}/2/tweets/comment-1/hidden", "hide_reply.json")]
        ),
        "publish_text": Scenario(
            routes=[Route("POST", TWEETS, "create_post.json", write=True)],
            expect=FIRST,
            check=_bearer,
        ),
        "publish_image": Scenario(
            routes=[
                Route("POST", f"{API}/2/media/upload/initialize", "media_initialize.json"),
                Route("POST", f"{API}/2/media/upload/{MEDIA}/append", "media_append.json"),
                Route("POST", f"{API}/2/media/upload/{MEDIA}/finalize", "media_finalize.json"),
                Route("POST", f"{API}/2/media/metadata", "media_metadata.json"),
                Route("POST", TWEETS, "create_post.json", write=True),
            ],
            expect=FIRST,
            check=_media,
        ),
        "publish_link": Scenario(
            routes=[Route("POST", TWEETS, "create_post.json", write=True)], expect=FIRST
        ),
        "publish_thread": Scenario(
            routes=[
                Route(
                    "POST",
                    TWEETS,
                    ["create_post.json", "create_post_reply_1.json", "create_post_reply_2.json"],
                    write=True,
                )
            ],
            expect=FIRST,
            check=_thread,
        ),
        "auth_expired": Scenario(routes=[Route("POST", TWEETS, "error_unauthorized.json")]),
        "rate_limited": Scenario(
            routes=[Route("POST", TWEETS, "error_rate_limited.json")], expect=300
        ),
        "rejected": Scenario(
            routes=[Route("POST", TWEETS, "error_duplicate.json")],
            expect="You are not allowed to create a Tweet with duplicate content.",
        ),
        "unavailable": Scenario(routes=[Route("POST", TWEETS, "error_unavailable.json")]),
        "metrics": Scenario(
            routes=[Route("GET", f"re:^{TWEETS}\\?ids=1445880548472328192", "posts_lookup.json")],
            expect={
                "1445880548472328192": Metrics(likes=39, shares=9, comments=2, impressions=2093)
            },
        ),
        "conversations": Scenario(
            routes=[Route("GET", f"re:^{API}/2/users/2244994945/mentions", "mentions.json")],
            expect=[
                (
                    "1446000000000000001",
                    "reply",
                    "@TwitterDev Θα είμαστε εκεί!",
                    "@X",
                    "1445880548472328192",
                    "1445880548472328192",
                )
            ],
        ),
        "reply": Scenario(
            routes=[Route("POST", TWEETS, "create_post_reply_1.json")],
            expect=Published(
                remote_id="1445880548472328193",
                url="https://x.com/TwitterDev/status/1445880548472328193",
            ),
        ),
        "delete": Scenario(
            routes=[Route("DELETE", f"{TWEETS}/1445880548472328192", "delete_post.json")]
        ),
        "find_published": Scenario(
            routes=[Route("GET", f"re:^{API}/2/users/2244994945/tweets", "user_posts.json")],
            expect=FIRST,
        ),
        "verify": Scenario(
            routes=[Route("GET", f"re:^{API}/2/users/me", "users_me.json")],
            expect=ConnectedAccount(remote_id="2244994945", name="", handle="@TwitterDev"),
        ),
        "refresh": Scenario(
            routes=[Route("POST", f"{API}/2/oauth2/token", "token_refreshed.json")],
            expect=ConnectedAccount(
                remote_id="2244994945",
                name="",
                credentials={
                    "access_token": "new-access-token",
                    "refresh_token": "new-refresh-token",
                    "scope": "tweet.read tweet.write users.read media.write offline.access",
                },
                token_expires_at=dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC),
            ),
        ),
        "refresh_revoked": Scenario(
            routes=[Route("POST", f"{API}/2/oauth2/token", "token_invalid.json")]
        ),
        "complete_authorization": Scenario(
            routes=[
                Route("POST", f"{API}/2/oauth2/token", "token.json"),
                Route("GET", f"re:^{API}/2/users/me", "users_me.json"),
            ],
            expect=[ConnectedAccount(remote_id="2244994945", name="X Dev", handle="@TwitterDev")],
            check=_token_request,
        ),
    }


@pytest.fixture(autouse=True)
def _x_app(settings):  # type: ignore[no-untyped-def]
    """Refreshing uses the developer app from settings, as in production."""
    settings.KERYX_X_CLIENT_ID = "M1M5R3BMVy13QmpScXkzTUt5OE46MTpjaQ"
    settings.KERYX_X_CLIENT_SECRET = "s3cr3t"


def test_refresh_hands_the_rotated_tokens_to_the_store() -> None:
    contract = TestContract()
    contract.run("refresh", lambda c: c.refresh_credentials())
    ((credentials, expires),) = contract.renewed
    assert credentials["refresh_token"] == "new-refresh-token"
    assert expires is not None
