"""The Threads connector keeps the shared contract (recorded Threads API payloads)."""

from __future__ import annotations

import datetime as dt

import pytest

from keryx.networks.base import AccountState, ConnectedAccount, Metrics, OAuthApp, Published
from keryx.networks.threads.client import THREADS_HOST, THREADS_URL
from tests.networks.contract import CONTRACT_NOW, ConnectorContract, Route, Scenario

USER = "17841401234567890"
ROOT = "18031234567890123"
PERMALINK = "https://www.threads.net/@seminario.digital/post/DBz1Abc2Def"

LIMIT = Route("GET", f"{THREADS_URL}/{USER}/threads_publishing_limit", "publishing_limit.json")
CREATE = Route("POST", f"{THREADS_URL}/{USER}/threads", "container_created.json")
STATUS = Route("GET", f"{THREADS_URL}/1234567", "container_finished.json")
PUBLISH = Route(
    "POST", f"{THREADS_URL}/{USER}/threads_publish", "thread_published.json", write=True
)
DETAILS = Route("GET", f"{THREADS_URL}/{ROOT}", "post_details.json")
PUBLISHING = [LIMIT, CREATE, STATUS, PUBLISH, DETAILS]
PUBLISHED = Published(remote_id=ROOT, url=PERMALINK)
ACCOUNT = ConnectedAccount(
    remote_id=USER, name="Σεμινάριο Ψηφιακής Επικοινωνίας", handle="seminario.digital"
)
RENEWED_UNTIL = CONTRACT_NOW + dt.timedelta(seconds=5183944)


@pytest.fixture(autouse=True)
def public_keryx(settings):  # type: ignore[no-untyped-def]
    # Threads downloads each image from Keryx's public address.
    settings.KERYX_BASE_URL = "https://keryx.example"


class TestContract(ConnectorContract):
    network = "threads"
    remote_id = ROOT
    # No expiry recorded: the token is renewed whenever it is asked to be.
    account = AccountState(
        network="threads",
        remote_id=USER,
        handle="seminario.digital",
        credentials={"access_token": "THQVJLongLived"},
    )
    oauth_app = OAuthApp(client_id="990602627938098", client_secret="a1b2C3D4")
    extra_fixtures = frozenset({"publishing_limit_exhausted.json", "container_error.json"})
    scenarios = {
        "read_comments": Scenario(
            routes=[Route("GET", f"{THREADS_URL}/post-1/replies", "replies_page.json")],
            expect=(
                [
                    (
                        "18050206876707110",
                        "comment",
                        "Θα υπάρχει ζωντανή μετάδοση;",
                        "@maria.p",
                        "post-1",
                        "post-1",
                    )
                ],
                "QVFIUkVfT0tF",
            ),
        ),
        "read_mentions": Scenario(
            routes=[Route("GET", f"{THREADS_URL}/{USER}/mentions", "mentions_page.json")],
            expect=(
                [
                    (
                        "18061234567890123",
                        "mention",
                        "Πάμε όλοι στο σεμινάριο της @seminario.digital",
                        "@nikos.k",
                        "",
                        "",
                    )
                ],
                "",
            ),
        ),
        "read_search": Scenario(
            routes=[Route("GET", f"{THREADS_URL}/keyword_search", "keyword_search.json")],
            expect=(
                [
                    (
                        "18070000000000001",
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
        "read_hide": Scenario(
            routes=[Route("POST", f"{THREADS_URL}/comment-1/manage_reply", "reply_hidden.json")]
        ),
        "publish_text": Scenario(routes=PUBLISHING, expect=PUBLISHED),
        "publish_image": Scenario(routes=PUBLISHING, expect=PUBLISHED),
        "publish_link": Scenario(routes=PUBLISHING, expect=PUBLISHED),
        # Each part of the thread is a reply container, waited for and published in turn.
        "publish_thread": Scenario(routes=PUBLISHING, expect=PUBLISHED),
        "publish_first_comment": Scenario(routes=PUBLISHING, expect=PUBLISHED),
        "auth_expired": Scenario(
            routes=[
                Route(
                    "GET",
                    f"{THREADS_URL}/{USER}/threads_publishing_limit",
                    "error_auth_expired.json",
                )
            ]
        ),
        "rate_limited": Scenario(
            routes=[
                LIMIT,
                Route("POST", f"{THREADS_URL}/{USER}/threads", "error_rate_limited.json"),
            ],
            expect=600,  # code 4 without a usage header: Keryx waits ten minutes
        ),
        "rejected": Scenario(
            routes=[LIMIT, Route("POST", f"{THREADS_URL}/{USER}/threads", "error_rejected.json")],
            expect="Param text must be at most 500 characters long.",
        ),
        "unavailable": Scenario(
            routes=[
                LIMIT,
                Route("POST", f"{THREADS_URL}/{USER}/threads", "error_unavailable.json"),
            ]
        ),
        "metrics": Scenario(
            routes=[Route("GET", f"{THREADS_URL}/{ROOT}/insights", "insights.json")],
            expect={ROOT: Metrics(likes=187, shares=31, comments=42, impressions=4523)},
        ),
        "conversations": Scenario(
            routes=[
                Route("GET", f"{THREADS_URL}/{USER}/threads", "user_threads.json"),
                Route(
                    "GET",
                    f"{THREADS_URL}/18031234567890999/conversation",
                    "conversation_empty.json",
                ),
                Route("GET", f"{THREADS_URL}/{ROOT}/conversation", "conversation.json"),
            ],
            expect=[
                (
                    "18050000000000001",
                    "reply",
                    "Θα ανέβουν οι διαφάνειες;",
                    "kostas.g",
                    ROOT,
                    ROOT,
                ),
                (
                    "18050000000000003",
                    "reply",
                    "Ευχαριστώ!",
                    "kostas.g",
                    ROOT,
                    "18050000000000002",
                ),
            ],
        ),
        "reply": Scenario(routes=[CREATE, STATUS, PUBLISH, DETAILS], expect=PUBLISHED),
        "delete": Scenario(
            routes=[Route("DELETE", f"{THREADS_URL}/{ROOT}", "delete_success.json")]
        ),
        "find_published": Scenario(
            routes=[Route("GET", f"{THREADS_URL}/{USER}/threads", "user_threads.json")],
            expect=PUBLISHED,
        ),
        "verify": Scenario(routes=[Route("GET", f"{THREADS_URL}/me", "me.json")], expect=ACCOUNT),
        "refresh": Scenario(
            routes=[Route("GET", f"{THREADS_HOST}/refresh_access_token", "token_refreshed.json")],
            expect=ConnectedAccount(
                remote_id=USER,
                name="seminario.digital",
                credentials={
                    "access_token": "THQVJRefreshed",
                    "expires_at": RENEWED_UNTIL.isoformat(),
                },
                token_expires_at=RENEWED_UNTIL,
            ),
        ),
        "refresh_revoked": Scenario(
            routes=[Route("GET", f"{THREADS_HOST}/refresh_access_token", "error_auth_expired.json")]
        ),
        "complete_authorization": Scenario(
            routes=[
                Route("POST", f"{THREADS_HOST}/oauth/access_token", "token_short.json"),
                Route("GET", f"{THREADS_HOST}/access_token", "token_long.json"),
                Route("GET", f"{THREADS_URL}/me", "me.json"),
            ],
            expect=[ACCOUNT],
        ),
    }
