"""The Mastodon connector keeps the shared contract, against the payloads of
docs.joinmastodon.org."""

from __future__ import annotations

import httpx

from keryx.networks.base import (
    AccountState,
    Audience,
    ConnectedAccount,
    Metrics,
    OAuthApp,
    Published,
)
from tests.networks.contract import (
    ALT_TEXT,
    IDEMPOTENCY_KEY,
    ConnectorContract,
    Route,
    Scenario,
    form_or_json,
)

BASE = "https://mastodon.social"
STATUSES = f"{BASE}/api/v1/statuses"
FIRST = Published(remote_id="103254962155278888", url=f"{BASE}/@trwnh/103254962155278888")


def _keyed(calls: list[httpx.Request]) -> None:
    posts = [r for r in calls if r.url.path == "/api/v1/statuses"]
    assert [r.headers["Idempotency-Key"] for r in posts] == [IDEMPOTENCY_KEY]
    assert posts[0].headers["Authorization"] == "Bearer token-of-trwnh"
    assert form_or_json(posts[0])["visibility"] == "public"


def _media_described(calls: list[httpx.Request]) -> None:
    upload, post = calls
    assert upload.url.path == "/api/v2/media"
    assert ALT_TEXT.encode() in upload.content
    assert form_or_json(post)["media_ids[]"] == "22348641"


def _thread_keys(calls: list[httpx.Request]) -> None:
    keys = [r.headers["Idempotency-Key"] for r in calls]
    assert keys == [IDEMPOTENCY_KEY, f"{IDEMPOTENCY_KEY}:1", f"{IDEMPOTENCY_KEY}:2"]
    replies = [form_or_json(r).get("in_reply_to_id") for r in calls]
    assert replies == [None, "103254962155278888", "103254962155278890"]


class TestContract(ConnectorContract):
    network = "mastodon"
    remote_id = "103254962155278888"
    account = AccountState(
        network="mastodon",
        remote_id="14715",
        handle="@trwnh@mastodon.social",
        base_url=BASE,
        credentials={"access_token": "token-of-trwnh", "client_id": "c", "client_secret": "s"},
        server_limits={"max_characters": 500, "max_media_attachments": 4},
    )
    oauth_app = OAuthApp(client_id="TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM", client_secret="x")
    oauth_base_url = BASE
    extra_fixtures = frozenset({"app_created.json"})
    scenarios = {
        "read_comments": Scenario(
            routes=[Route("GET", f"{STATUSES}/post-1/context", "context.json")],
            expect=(
                [
                    (
                        "103270115826048975",
                        "comment",
                        "Θα υπάρχει ζωντανή μετάδοση;",
                        "@zsc",
                        "post-1",
                        "post-1",
                    )
                ],
                "",
            ),
        ),
        "read_mentions": Scenario(
            routes=[Route("GET", f"re:{BASE}/api/v1/notifications", "notifications_mentions.json")],
            expect=(
                [
                    (
                        "103186126728896492",
                        "reply",
                        "@trwnh sup!",
                        "@zsc",
                        "103186038209478945",
                        "103186038209478945",
                    )
                ],
                "",
            ),
        ),
        "read_search": Scenario(
            routes=[Route("GET", f"re:{BASE}/api/v1/timelines/tag/", "tag_timeline.json")],
            expect=(
                [
                    (
                        "103270115826048980",
                        "search",
                        "Έτοιμοι για το #Σεμινάριο2026",
                        "@dgeorgiou",
                        "",
                        "",
                    )
                ],
                "",
            ),
        ),
        "read_audience": Scenario(
            routes=[
                Route(
                    "GET", f"{BASE}/api/v1/accounts/verify_credentials", "verify_credentials.json"
                )
            ],
            expect=Audience(followers=821, following=178, posts=33120),
        ),
        "publish_text": Scenario(
            routes=[Route("POST", STATUSES, "status_created.json", write=True)],
            expect=FIRST,
            check=_keyed,
        ),
        "publish_image": Scenario(
            routes=[
                Route("POST", f"{BASE}/api/v2/media", "media_created.json"),
                Route("POST", STATUSES, "status_with_media.json", write=True),
            ],
            expect=Published(
                remote_id="103254962155278889", url=f"{BASE}/@trwnh/103254962155278889"
            ),
            check=_media_described,
        ),
        "publish_link": Scenario(
            routes=[Route("POST", STATUSES, "status_created.json", write=True)], expect=FIRST
        ),
        "publish_thread": Scenario(
            routes=[
                Route(
                    "POST",
                    STATUSES,
                    ["status_created.json", "status_reply_1.json", "status_reply_2.json"],
                    write=True,
                )
            ],
            expect=FIRST,
            check=_thread_keys,
        ),
        "auth_expired": Scenario(routes=[Route("POST", STATUSES, "error_invalid_token.json")]),
        "rate_limited": Scenario(
            routes=[Route("POST", STATUSES, "error_rate_limited.json")], expect=300
        ),
        "rejected": Scenario(
            routes=[Route("POST", STATUSES, "error_validation.json")],
            expect="Validation failed: Text can't be blank",
        ),
        "unavailable": Scenario(routes=[Route("POST", STATUSES, "error_server.json")]),
        "metrics": Scenario(
            routes=[
                Route(
                    "GET", f"re:^{STATUSES}\\?id%5B%5D=103254962155278888$", "statuses_batch.json"
                )
            ],
            expect={"103254962155278888": Metrics(likes=112, shares=98, comments=7)},
        ),
        "conversations": Scenario(
            routes=[
                Route(
                    "GET",
                    f"re:^{BASE}/api/v1/notifications\\?",
                    ["notifications_mentions.json", "notifications_empty.json"],
                )
            ],
            expect=[
                (
                    "103186126728896492",
                    "reply",
                    "@trwnh sup!",
                    "@zsc",
                    "103186038209478945",
                    "103186038209478945",
                )
            ],
        ),
        "reply": Scenario(
            routes=[Route("POST", STATUSES, "status_reply_1.json")],
            expect=Published(
                remote_id="103254962155278890", url=f"{BASE}/@trwnh/103254962155278890"
            ),
        ),
        "delete": Scenario(
            routes=[Route("DELETE", f"{STATUSES}/103254962155278888", "status_deleted.json")]
        ),
        "find_published": Scenario(
            routes=[
                Route("GET", f"re:^{BASE}/api/v1/accounts/14715/statuses", "account_statuses.json")
            ],
            expect=FIRST,
        ),
        "verify": Scenario(
            routes=[
                Route(
                    "GET", f"{BASE}/api/v1/accounts/verify_credentials", "verify_credentials.json"
                ),
                Route("GET", f"{BASE}/api/v2/instance", "instance_v2.json"),
            ],
            expect=ConnectedAccount(remote_id="14715", name="", handle="@trwnh@mastodon.social"),
        ),
        "complete_authorization": Scenario(
            routes=[
                Route("POST", f"{BASE}/oauth/token", "token.json"),
                Route(
                    "GET", f"{BASE}/api/v1/accounts/verify_credentials", "verify_credentials.json"
                ),
                Route("GET", f"{BASE}/api/v2/instance", "instance_v2.json"),
            ],
            expect=[
                ConnectedAccount(
                    remote_id="14715", name="infinite love ⴳ", handle="@trwnh@mastodon.social"
                )
            ],
        ),
    }


def test_instance_limits_are_read_into_server_limits() -> None:
    contract = TestContract()
    account, _calls, _routes = contract.run("verify", lambda c: c.verify())
    assert account.server_limits == {
        "max_characters": 500,
        "max_media_attachments": 4,
        "characters_reserved_per_url": 23,
        "supported_mime_types": [
            "image/jpeg",
            "image/png",
            "image/gif",
            "image/heic",
            "image/heif",
            "image/webp",
            "video/webm",
            "video/mp4",
            "video/quicktime",
            "video/ogg",
        ],
        "image_size_limit": 10485760,
        "video_size_limit": 41943040,
        "version": "4.0.0rc1",
    }


def test_app_registration_asks_for_least_privilege() -> None:
    from keryx.networks.mastodon.connector import MastodonConnector

    contract = TestContract()
    scenario = Scenario(routes=[Route("POST", f"{BASE}/api/v1/apps", "app_created.json")])
    app, calls, _ = contract.run(
        "register",
        lambda c: MastodonConnector.register_app(
            base_url=BASE + "/", redirect_uri="https://keryx.example/networks/callback/"
        ),
        scenario=scenario,
    )
    assert app == OAuthApp(
        client_id="TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM",
        client_secret="ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw",
        base_url=BASE,
    )
    assert form_or_json(calls[0])["scopes"] == (
        "read:accounts read:statuses read:notifications write:statuses write:media"
    )
