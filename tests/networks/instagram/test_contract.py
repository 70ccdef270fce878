"""The Instagram connector keeps the shared contract (recorded Graph API payloads).

An Instagram post cannot be text alone, so where the contract publishes a text-only request
this module publishes the same request with one image (see ``request``); every assertion of
the contract is kept as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from keryx.networks.base import (
    AccountState,
    Audience,
    ConnectedAccount,
    Metrics,
    OAuthApp,
    Published,
    PublishRequest,
    Rejected,
    Unavailable,
)
from keryx.networks.meta_graph import GRAPH_URL
from tests.networks.contract import (
    FIRST_COMMENT,
    IDEMPOTENCY_KEY,
    LINK,
    TEXT,
    ConnectorContract,
    Route,
    Scenario,
    _body_text,
    _image,
    install,
    sent,
)

IG = "17841405822304914"
MEDIA = "17920238422030506"
CONTAINER = "17889455560051444"
PERMALINK = "https://www.instagram.com/p/DBx2kLmN0pQ/"

LIMIT = Route("GET", f"{GRAPH_URL}/{IG}/content_publishing_limit", "publishing_limit.json")
CREATE = Route("POST", f"{GRAPH_URL}/{IG}/media", "container_created.json")
STATUS = Route("GET", f"{GRAPH_URL}/{CONTAINER}", "container_finished.json")
PUBLISH = Route("POST", f"{GRAPH_URL}/{IG}/media_publish", "media_published.json", write=True)
DETAILS = Route("GET", f"{GRAPH_URL}/{MEDIA}", "media_details.json")
PUBLISHING = [LIMIT, CREATE, STATUS, PUBLISH, DETAILS]
PUBLISHED = Published(remote_id=MEDIA, url=PERMALINK)
ACCOUNT = ConnectedAccount(
    remote_id=IG, name="Σεμινάριο Ψηφιακής Επικοινωνίας", handle="seminario.digital"
)


@pytest.fixture(autouse=True)
def public_keryx(settings):  # type: ignore[no-untyped-def]
    # Instagram downloads each image from Keryx's public address.
    settings.KERYX_BASE_URL = "https://keryx.example"


class TestContract(ConnectorContract):
    network = "instagram"
    remote_id = MEDIA
    account = AccountState(
        network="instagram",
        remote_id=IG,
        handle="seminario.digital",
        credentials={"access_token": "EAAPageTokenSeminar", "page_id": "546349135390552"},
    )
    oauth_app = OAuthApp(client_id="1234567890", client_secret="app-secret")
    extra_fixtures = frozenset(
        {
            "container_in_progress.json",
            "container_error.json",
            "publishing_limit_exhausted.json",
            "error_publish_limit.json",
            "reply_created.json",
        }
    )
    scenarios = {
        "read_comments": Scenario(
            routes=[Route("GET", f"{GRAPH_URL}/post-1/comments", "comments_page.json")],
            expect=(
                [
                    (
                        "17870913679156914",
                        "comment",
                        "Πού θα γίνει;",
                        "@maria.p",
                        "post-1",
                        "post-1",
                    ),
                    (
                        "17873440459141021",
                        "reply",
                        "Στην Τεχνόπολη!",
                        "@seminario.digital",
                        "post-1",
                        "17870913679156914",
                    ),
                ],
                "",
            ),
        ),
        "read_mentions": Scenario(
            routes=[Route("GET", f"{GRAPH_URL}/{IG}/tags", "tags_page.json")],
            expect=(
                [
                    (
                        "18038663200120011",
                        "mention",
                        "Ανυπομονώ για το σεμινάριο της @seminario.digital!",
                        "@nikos.k",
                        "",
                        "",
                    )
                ],
                "NDMyNzQyODI3OTQw",
            ),
        ),
        "read_search": Scenario(
            routes=[
                Route("GET", f"{GRAPH_URL}/ig_hashtag_search", "hashtag_search.json"),
                Route(
                    "GET",
                    f"{GRAPH_URL}/17843853986012965/recent_media",
                    "hashtag_recent_media.json",
                ),
            ],
            expect=(
                [("17895695668004550", "search", "Έτοιμοι για το #Σεμινάριο2026", "", "", "")],
                "17843853986012965:QVFIUmFfb",
            ),
        ),
        "read_hide": Scenario(
            routes=[Route("POST", f"{GRAPH_URL}/comment-1", "comment_hidden.json")]
        ),
        "read_delete_comment": Scenario(
            routes=[Route("DELETE", f"{GRAPH_URL}/comment-1", "delete_success.json")]
        ),
        "read_audience": Scenario(
            routes=[Route("GET", f"{GRAPH_URL}/{IG}", "audience.json")],
            expect=Audience(followers=1523, following=87, posts=240),
        ),
        "publish_text": Scenario(routes=PUBLISHING, expect=PUBLISHED),
        "publish_image": Scenario(routes=PUBLISHING, expect=PUBLISHED),
        "publish_link": Scenario(routes=PUBLISHING, expect=PUBLISHED),
        "publish_first_comment": Scenario(
            routes=[
                *PUBLISHING,
                Route("POST", f"{GRAPH_URL}/{MEDIA}/comments", "comment_created.json"),
            ],
            expect=PUBLISHED,
        ),
        "auth_expired": Scenario(
            routes=[
                Route(
                    "GET", f"{GRAPH_URL}/{IG}/content_publishing_limit", "error_auth_expired.json"
                )
            ]
        ),
        "rate_limited": Scenario(
            # The account's own quota is read first: used up, so nothing is created.
            routes=[
                Route(
                    "GET",
                    f"{GRAPH_URL}/{IG}/content_publishing_limit",
                    "publishing_limit_exhausted.json",
                )
            ],
            expect=3600,
        ),
        "rejected": Scenario(
            routes=[LIMIT, Route("POST", f"{GRAPH_URL}/{IG}/media", "error_image_too_large.json")],
            expect="The image is too large to download. It should be less than 8 MiB.",
        ),
        "unavailable": Scenario(
            routes=[LIMIT, Route("POST", f"{GRAPH_URL}/{IG}/media", "error_server.json")]
        ),
        "metrics": Scenario(
            routes=[
                Route("GET", f"{GRAPH_URL}/", "media_counts.json"),
                Route("GET", f"{GRAPH_URL}/{MEDIA}/insights", "media_insights.json"),
            ],
            expect={MEDIA: Metrics(likes=120, comments=14, shares=9, impressions=1310, reach=850)},
        ),
        "conversations": Scenario(
            routes=[Route("GET", f"{GRAPH_URL}/{IG}/media", "media_with_comments.json")],
            expect=[
                ("17858893269000001", "comment", "Πού θα γίνει;", "maria.p", MEDIA, MEDIA),
                (
                    "17858893269000003",
                    "reply",
                    "Τέλεια 👏",
                    "maria.p",
                    MEDIA,
                    "17858893269000001",
                ),
            ],
        ),
        "reply": Scenario(
            # A media object takes comments, not replies: Instagram says so, then Keryx comments.
            routes=[
                Route("POST", f"{GRAPH_URL}/{MEDIA}/replies", "error_not_a_comment.json"),
                Route("POST", f"{GRAPH_URL}/{MEDIA}/comments", "comment_created.json"),
            ],
            expect=Published(remote_id="17870913679156914"),
        ),
        "delete": Scenario(routes=[Route("DELETE", f"{GRAPH_URL}/{MEDIA}", "delete_success.json")]),
        "find_published": Scenario(
            routes=[Route("GET", f"{GRAPH_URL}/{IG}/media", "user_media.json")], expect=PUBLISHED
        ),
        "verify": Scenario(routes=[Route("GET", f"{GRAPH_URL}/{IG}", "user.json")], expect=ACCOUNT),
        "complete_authorization": Scenario(
            routes=[
                Route(
                    "GET",
                    f"{GRAPH_URL}/oauth/access_token",
                    ["oauth_access_token.json", "long_lived_user_token.json"],
                ),
                Route("GET", f"{GRAPH_URL}/me/accounts", "me_accounts.json"),
            ],
            expect=[ACCOUNT],
        ),
    }

    # --- a text-only request becomes the same request with an image ------------------------
    image_dir: Path

    @pytest.fixture(autouse=True)
    def _image_dir(self, tmp_path: Path) -> None:
        self.image_dir = tmp_path

    def request(self, **fields: Any) -> PublishRequest:
        return PublishRequest(
            media=[_image(self.image_dir)], idempotency_key=IDEMPOTENCY_KEY, **fields
        )

    def expect_error(
        self, name: str, error: type[Exception], *, timeout_writes: bool = False
    ) -> tuple[Any, list[httpx.Request], list[respx.Route]]:
        scenario = self.scenarios["publish_text" if timeout_writes else name]
        connector = self.connector()
        with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
            routes = install(router, self.network, scenario.routes, timeout_writes=timeout_writes)
            with pytest.raises(error) as info:
                connector.publish(self.request(text=TEXT))
            calls = sent(router)
        return info.value, calls, routes

    def test_publish_text(self) -> None:
        published, _calls, routes = self.run(
            "publish_text", lambda c: c.publish(self.request(text=TEXT))
        )
        self._assert_published(published, self.scenarios["publish_text"].expect)
        assert all(route.called for route in routes)

    def test_publish_link(self) -> None:
        published, calls, routes = self.run(
            "publish_link", lambda c: c.publish(self.request(text=TEXT, link=LINK))
        )
        self._assert_published(published, self.scenarios["publish_link"].expect)
        assert all(route.called for route in routes)
        assert any(LINK in _body_text(request) for request in calls), "the link was not sent"

    def test_publish_first_comment(self) -> None:
        published, calls, routes = self.run(
            "publish_first_comment",
            lambda c: c.publish(self.request(text=TEXT, first_comment=FIRST_COMMENT)),
        )
        self._assert_published(published, self.scenarios["publish_first_comment"].expect)
        assert all(route.called for route in routes)
        assert any(FIRST_COMMENT in _body_text(r) for r in calls)

    def test_unreachable_network_is_unavailable(self) -> None:
        connector = self.connector()
        with respx.mock(assert_all_mocked=True) as router:
            router.route().side_effect = httpx.ConnectError("connection refused")
            with pytest.raises(Unavailable):
                connector.publish(self.request(text=TEXT))

    def test_text_alone_is_refused_before_any_request(self) -> None:
        self.assert_refused_without_request(PublishRequest(text=TEXT))
        with pytest.raises(Rejected, match="at least one image"):
            self.connector().publish(PublishRequest(text=TEXT))
