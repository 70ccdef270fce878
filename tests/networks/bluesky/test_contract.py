"""The Bluesky connector keeps the shared contract, against the payloads of docs.bsky.app."""

from __future__ import annotations

import datetime as dt
import json

import httpx

from keryx.networks.base import AccountState, Audience, ConnectedAccount, Metrics, Published
from keryx.networks.bluesky.client import jwt_expiry
from tests.networks.contract import (
    ALT_TEXT,
    LINK,
    TEXT,
    ConnectorContract,
    Route,
    Scenario,
    load_fixture,
)

PDS = "https://bsky.social"
X = f"{PDS}/xrpc/"
DID = "did:plc:u5cwb2mwiv2bfq53cjufe6yn"
URI = f"at://{DID}/app.bsky.feed.post/3k4duaz5vfs2b"
FIRST = Published(
    remote_id=URI, url="https://bsky.app/profile/seminar.bsky.social/post/3k4duaz5vfs2b"
)
CREATE = Route("POST", X + "com.atproto.repo.createRecord", "create_record.json", write=True)
PROFILE = Route("GET", f"re:^{X}app.bsky.actor.getProfile", "get_profile.json")
NEW_SESSION = load_fixture("bluesky", "refresh_session.json")["body"]
OLD_CREDENTIALS = {
    "identifier": "seminar.bsky.social",
    "app_password": "abcd-efgh-ijkl-mnop",
    "access_jwt": "old-access",
    "refresh_jwt": "old-refresh",
    "did": DID,
    "handle": "seminar.bsky.social",
}


def _record(calls: list[httpx.Request]) -> dict:
    (create,) = [r for r in calls if r.url.path.endswith("createRecord")]
    body = json.loads(create.content)
    assert (body["repo"], body["collection"]) == (DID, "app.bsky.feed.post")
    return body["record"]


def _text_post(calls: list[httpx.Request]) -> None:
    record = _record(calls)
    assert record["text"] == TEXT
    tag = "#Σεμινάριο2026".encode()
    start = TEXT.encode().index(tag)
    assert record["facets"] == [
        {
            "index": {"byteStart": start, "byteEnd": start + len(tag)},
            "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "Σεμινάριο2026"}],
        }
    ]
    assert calls[0].headers["Authorization"] == "Bearer old-access"


def _image_post(calls: list[httpx.Request]) -> None:
    upload = calls[0]
    assert upload.headers["Content-Type"] == "image/png"
    assert upload.content.startswith(b"\x89PNG")
    embed = _record(calls)["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    assert embed["images"][0]["alt"] == ALT_TEXT
    assert embed["images"][0]["aspectRatio"] == {"width": 64, "height": 48}
    assert embed["images"][0]["image"]["ref"]["$link"].startswith("bafkrei")


def _card_post(calls: list[httpx.Request]) -> None:
    assert _record(calls)["embed"] == {
        "$type": "app.bsky.embed.external",
        "external": {
            "uri": LINK,
            "title": "Σεμινάριο Social Media 2026",
            "description": "12 Δεκεμβρίου, Τεχνόπολη, Αθήνα",
        },
    }


def _thread(calls: list[httpx.Request]) -> None:
    creates = [json.loads(r.content)["record"] for r in calls]
    assert "reply" not in creates[0]
    root = {"uri": URI, "cid": "bafyreibjifzpqj6o6wcq3hejh7y4z4z2vmiklkvykc57tw3pcbx3kxifpm"}
    assert creates[1]["reply"] == {"root": root, "parent": root}
    assert creates[2]["reply"]["root"] == root
    assert creates[2]["reply"]["parent"]["uri"].endswith("/3k43tv4rft22g")


REPLY = "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lkc2xqzdyk2n"
OWN_REPLY = f"at://{DID}/app.bsky.feed.post/3k43tv4rft22g"
THREADGATE = f"at://{DID}/app.bsky.feed.threadgate/3k4duaz5vfs2b"


def _threadgate_written(calls: list[httpx.Request]) -> None:
    (put,) = [r for r in calls if r.url.path.endswith("putRecord")]
    body = json.loads(put.content)
    assert (body["repo"], body["collection"], body["rkey"]) == (
        DID,
        "app.bsky.feed.threadgate",
        "3k4duaz5vfs2b",
    )
    assert body["swapRecord"] is None  # there was none: a concurrent one is not overwritten
    record = body["record"]
    assert record["post"] == URI
    assert record["hiddenReplies"] == [REPLY]
    assert "allow" not in record  # who may reply stays as it was: everyone


def _own_reply_deleted(calls: list[httpx.Request]) -> None:
    (delete,) = calls
    assert json.loads(delete.content) == {
        "repo": DID,
        "collection": "app.bsky.feed.post",
        "rkey": "3k43tv4rft22g",
    }


class TestContract(ConnectorContract):
    network = "bluesky"
    remote_id = URI
    read_post = URI
    read_comment = REPLY
    read_own_comment = OWN_REPLY
    account = AccountState(
        network="bluesky",
        remote_id=DID,
        handle="@seminar.bsky.social",
        base_url=PDS,
        credentials=OLD_CREDENTIALS,
    )
    scenarios = {
        "publish_text": Scenario(routes=[CREATE], expect=FIRST, check=_text_post),
        "publish_image": Scenario(
            routes=[Route("POST", X + "com.atproto.repo.uploadBlob", "upload_blob.json"), CREATE],
            expect=FIRST,
            check=_image_post,
        ),
        "publish_link": Scenario(
            routes=[Route("GET", LINK, "link_page.json"), CREATE], expect=FIRST, check=_card_post
        ),
        "publish_thread": Scenario(
            routes=[
                Route(
                    "POST",
                    X + "com.atproto.repo.createRecord",
                    [
                        "create_record.json",
                        "create_record_reply_1.json",
                        "create_record_reply_2.json",
                    ],
                    write=True,
                )
            ],
            expect=FIRST,
            check=_thread,
        ),
        "auth_expired": Scenario(
            routes=[
                Route("POST", X + "com.atproto.repo.createRecord", "error_expired_token.json"),
                Route("POST", X + "com.atproto.server.refreshSession", "error_expired_token.json"),
                Route(
                    "POST",
                    X + "com.atproto.server.createSession",
                    "error_authentication_required.json",
                ),
            ]
        ),
        "rate_limited": Scenario(
            routes=[Route("POST", X + "com.atproto.repo.createRecord", "error_rate_limited.json")],
            expect=300,
        ),
        "rejected": Scenario(
            routes=[
                Route("POST", X + "com.atproto.repo.createRecord", "error_invalid_record.json")
            ],
            expect="Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes",
        ),
        "unavailable": Scenario(
            routes=[Route("POST", X + "com.atproto.repo.createRecord", "error_internal.json")]
        ),
        "metrics": Scenario(
            routes=[Route("GET", f"re:^{X}app.bsky.feed.getPosts\\?uris=", "get_posts.json")],
            expect={URI: Metrics(likes=21, shares=5, comments=3)},
        ),
        "conversations": Scenario(
            routes=[
                Route(
                    "GET",
                    f"re:^{X}app.bsky.notification.listNotifications",
                    "list_notifications.json",
                )
            ],
            expect=[
                (
                    "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lkc2xqzdyk2n",
                    "reply",
                    "Θα είμαστε εκεί!",
                    "@atproto.com",
                    URI,
                    URI,
                )
            ],
        ),
        "read_comments": Scenario(
            routes=[Route("GET", f"re:^{X}app.bsky.feed.getPostThread\\?", "get_post_thread.json")],
            expect=(
                [
                    (REPLY, "comment", "Θα είμαστε εκεί!", "@atproto.com", URI, URI),
                    (
                        "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3lkc3b2ykfs2n",
                        "comment",
                        "Κι εμείς!",
                        "@bsky.app",
                        URI,
                        REPLY,
                    ),
                ],
                "",
            ),
        ),
        "read_mentions": Scenario(
            routes=[
                Route(
                    "GET",
                    f"re:^{X}app.bsky.notification.listNotifications\\?",
                    "list_notifications.json",
                )
            ],
            expect=([(REPLY, "reply", "Θα είμαστε εκεί!", "@atproto.com", URI, URI)], ""),
        ),
        "read_search": Scenario(
            routes=[Route("GET", f"re:^{X}app.bsky.feed.searchPosts\\?", "search_posts.json")],
            expect=(
                [
                    (
                        "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3lkc4aa3xzk2n",
                        "search",
                        "Έτοιμοι για το #Σεμινάριο2026",
                        "@atproto.com",
                        "",
                        "",
                    )
                ],
                "25",
            ),
        ),
        "read_hide": Scenario(
            routes=[
                Route("GET", f"re:^{X}app.bsky.feed.getPosts\\?", "get_posts_reply.json"),
                Route(
                    "GET", f"re:^{X}com.atproto.repo.getRecord\\?", "error_record_not_found.json"
                ),
                Route("POST", X + "com.atproto.repo.putRecord", "put_record.json"),
            ],
            check=_threadgate_written,
        ),
        "read_delete_comment": Scenario(
            routes=[Route("POST", X + "com.atproto.repo.deleteRecord", "delete_record.json")],
            check=_own_reply_deleted,
        ),
        "read_audience": Scenario(
            routes=[PROFILE],
            expect=Audience(followers=120, following=40, posts=12),
        ),
        "reply": Scenario(
            routes=[
                Route("GET", f"re:^{X}com.atproto.repo.getRecord", "get_record.json"),
                Route("POST", X + "com.atproto.repo.createRecord", "create_record_reply_1.json"),
            ],
            expect=Published(
                remote_id=f"at://{DID}/app.bsky.feed.post/3k43tv4rft22g",
                url="https://bsky.app/profile/seminar.bsky.social/post/3k43tv4rft22g",
            ),
        ),
        "delete": Scenario(
            routes=[Route("POST", X + "com.atproto.repo.deleteRecord", "delete_record.json")]
        ),
        "find_published": Scenario(
            routes=[Route("GET", f"re:^{X}com.atproto.repo.listRecords", "list_records.json")],
            expect=FIRST,
        ),
        "verify": Scenario(
            routes=[Route("GET", X + "com.atproto.server.getSession", "get_session.json"), PROFILE],
            expect=ConnectedAccount(remote_id=DID, name="", handle="@seminar.bsky.social"),
        ),
        "refresh": Scenario(
            routes=[
                Route("POST", X + "com.atproto.server.refreshSession", "refresh_session.json"),
                PROFILE,
            ],
            expect=ConnectedAccount(
                remote_id=DID,
                name="",
                credentials={
                    **OLD_CREDENTIALS,
                    "access_jwt": NEW_SESSION["accessJwt"],
                    "refresh_jwt": NEW_SESSION["refreshJwt"],
                },
                token_expires_at=dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC),
            ),
        ),
        "refresh_revoked": Scenario(
            routes=[
                Route("POST", X + "com.atproto.server.refreshSession", "error_expired_token.json"),
                Route(
                    "POST",
                    X + "com.atproto.server.createSession",
                    "error_authentication_required.json",
                ),
            ]
        ),
    }
    extra_fixtures = frozenset({"create_session.json"})


def test_an_expired_session_is_renewed_and_the_post_goes_out_once() -> None:
    contract = TestContract()
    scenario = Scenario(
        routes=[
            Route(
                "POST",
                X + "com.atproto.repo.createRecord",
                ["error_expired_token.json", "create_record.json"],
            ),
            Route("POST", X + "com.atproto.server.refreshSession", "refresh_session.json"),
        ]
    )
    from keryx.networks.base import PublishRequest

    published, calls, _routes = contract.run(
        "renew", lambda c: c.publish(PublishRequest(text=TEXT)), scenario=scenario
    )
    assert published.remote_id == URI
    assert [r.url.path.rsplit("/", 1)[-1] for r in calls] == [
        "com.atproto.repo.createRecord",
        "com.atproto.server.refreshSession",
        "com.atproto.repo.createRecord",
    ]
    assert calls[1].headers["Authorization"] == "Bearer old-refresh"
    assert calls[2].headers["Authorization"] == f"Bearer {NEW_SESSION['accessJwt']}"
    ((saved, expires),) = contract.renewed
    assert saved["access_jwt"] == NEW_SESSION["accessJwt"]
    assert expires == jwt_expiry(NEW_SESSION["accessJwt"])


def test_connecting_refuses_the_account_password() -> None:
    import pytest

    from keryx.networks.base import Rejected
    from keryx.networks.bluesky.connector import BlueskyConnector

    with pytest.raises(Rejected) as info:
        BlueskyConnector.connect_form(
            data={"handle": "seminar.bsky.social", "app_password": "my real password"}
        )
    assert "app password" in info.value.reason


def test_connecting_with_an_app_password_signs_in() -> None:
    import respx

    from keryx.networks.bluesky.connector import BlueskyConnector
    from tests.networks.contract import install

    with respx.mock(assert_all_mocked=True) as router:
        install(
            router,
            "bluesky",
            [Route("POST", X + "com.atproto.server.createSession", "create_session.json"), PROFILE],
        )
        account = BlueskyConnector.connect_form(
            data={"handle": "@seminar.bsky.social", "app_password": "abcd-efgh-ijkl-mnop"}
        )
        sign_in = json.loads(router.calls[0].request.content)
    assert (account.remote_id, account.handle, account.name, account.base_url) == (
        DID,
        "@seminar.bsky.social",
        "Σεμινάριο Social Media",
        PDS,
    )
    assert account.credentials["app_password"] == "abcd-efgh-ijkl-mnop"
    assert sign_in == {
        "identifier": "seminar.bsky.social",
        "password": "abcd-efgh-ijkl-mnop",
    }


def test_hiding_a_reply_in_someone_elses_thread_is_refused_before_writing() -> None:
    import pytest
    import respx

    from keryx.networks.base import Rejected
    from keryx.networks.bluesky.connector import BlueskyConnector
    from tests.networks.contract import install

    contract = TestContract()
    other_root = load_fixture("bluesky", "get_posts_reply.json")["body"]
    other_root["posts"][0]["record"]["reply"]["root"]["uri"] = REPLY
    with respx.mock(assert_all_mocked=True) as router:
        router.get(url__regex=f"^{X}app.bsky.feed.getPosts").respond(200, json=other_root)
        install(router, "bluesky", [])
        with pytest.raises(Rejected) as info:
            BlueskyConnector(contract.account).hide(REPLY)
        assert [c.request.url.path for c in router.calls] == ["/xrpc/app.bsky.feed.getPosts"]
    assert "own threads" in info.value.reason


def test_deleting_someone_elses_reply_is_refused_before_any_request() -> None:
    import pytest
    import respx

    from keryx.networks.base import Rejected
    from keryx.networks.bluesky.connector import BlueskyConnector

    with respx.mock(assert_all_mocked=True) as router:
        with pytest.raises(Rejected) as info:
            BlueskyConnector(TestContract.account).delete_comment(REPLY)
        assert router.calls.call_count == 0
    assert "hide" in info.value.reason


def test_a_count_bluesky_does_not_give_is_unknown_not_zero() -> None:
    import respx

    from keryx.networks.bluesky.connector import BlueskyConnector

    body = load_fixture("bluesky", "get_posts.json")["body"]
    for key in ("likeCount", "repostCount", "replyCount", "quoteCount"):
        body["posts"][0].pop(key, None)
    with respx.mock(assert_all_mocked=True) as router:
        router.get(url__regex=f"^{X}app.bsky.feed.getPosts").respond(200, json=body)
        metrics = BlueskyConnector(TestContract.account).fetch_metrics([URI])
    numbers = metrics[URI]
    assert (numbers.likes, numbers.shares, numbers.comments) == (None, None, None)
