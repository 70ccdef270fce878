"""The Facebook Pages connector keeps the shared contract (recorded Graph API payloads)."""

from __future__ import annotations

from keryx.networks.base import AccountState, ConnectedAccount, Metrics, OAuthApp, Published
from keryx.networks.meta_graph import GRAPH_URL
from tests.networks.contract import ConnectorContract, Route, Scenario

PAGE = "546349135390552"
POST = "546349135390552_1116689038356556"
PERMALINK = "https://www.facebook.com/546349135390552/posts/1116689038356556"
COMMENT = "1116689038356556_1116690000000001"

FEED = f"{GRAPH_URL}/{PAGE}/feed"
CREATE_POST = Route("POST", FEED, "feed_post_created.json", write=True)
DETAILS = Route("GET", f"{GRAPH_URL}/{POST}", "post_details.json")
PUBLISHED = Published(remote_id=POST, url=PERMALINK)


class TestContract(ConnectorContract):
    network = "facebook"
    remote_id = POST
    account = AccountState(
        network="facebook", remote_id=PAGE, credentials={"access_token": "EAAPageTokenSeminar"}
    )
    oauth_app = OAuthApp(client_id="1234567890", client_secret="app-secret")
    extra_fixtures = frozenset({"error_gateway.json"})
    scenarios = {
        "read_comments": Scenario(
            routes=[Route("GET", f"{GRAPH_URL}/post-1/comments", "comments_page.json")],
            expect=(
                [
                    (
                        "1116689038356556_1116690000000001",
                        "comment",
                        "Θα υπάρχει ζωντανή μετάδοση;",
                        "24913284751",
                        "post-1",
                        "post-1",
                    ),
                    (
                        "1116689038356556_1116690000000002",
                        "reply",
                        "Ναι, στο κανάλι μας στο YouTube.",
                        "546349135390552",
                        "post-1",
                        "1116689038356556_1116690000000001",
                    ),
                ],
                "QVFIUkR2ZAnhEbzBhVUpjNXNTM2RVNWJpem9",
            ),
        ),
        "read_mentions": Scenario(
            routes=[Route("GET", f"{GRAPH_URL}/{PAGE}/tagged", "tagged_posts.json")],
            expect=(
                [
                    (
                        "100064372929470_1116700000000001",
                        "mention",
                        "Ευχαριστούμε το Κέντρο Επιμόρφωσης για το σεμινάριο!",
                        "100064372929470",
                        "",
                        "",
                    ),
                    (
                        "24913284751_1116700000000002",
                        "mention",
                        "Τέλειο σεμινάριο με το Κέντρο Επιμόρφωσης",
                        "",
                        "",
                        "",
                    ),
                ],
                "QVFIUjJqMkRoNWRfbmtR",
            ),
        ),
        "read_hide": Scenario(
            routes=[Route("POST", f"{GRAPH_URL}/comment-1", "comment_hidden.json")]
        ),
        "read_delete_comment": Scenario(
            routes=[Route("DELETE", f"{GRAPH_URL}/comment-1", "delete_success.json")]
        ),
        "publish_text": Scenario(routes=[CREATE_POST, DETAILS], expect=PUBLISHED),
        "publish_image": Scenario(
            routes=[
                Route("POST", f"{GRAPH_URL}/{PAGE}/photos", "photo_unpublished.json"),
                CREATE_POST,
                DETAILS,
            ],
            expect=PUBLISHED,
        ),
        "publish_link": Scenario(routes=[CREATE_POST, DETAILS], expect=PUBLISHED),
        "publish_first_comment": Scenario(
            routes=[
                CREATE_POST,
                DETAILS,
                Route("POST", f"{GRAPH_URL}/{POST}/comments", "comment_created.json"),
            ],
            expect=PUBLISHED,
        ),
        "auth_expired": Scenario(routes=[Route("POST", FEED, "error_auth_expired.json")]),
        "rate_limited": Scenario(
            routes=[Route("POST", FEED, "error_rate_limited.json")],
            expect=19 * 60,  # X-Business-Use-Case-Usage: estimated_time_to_regain_access (min)
        ),
        "rejected": Scenario(
            routes=[Route("POST", FEED, "error_rejected.json")],
            expect=(
                "You have been temporarily blocked from posting because this action looked "
                "like misuse."
            ),
        ),
        "unavailable": Scenario(routes=[Route("POST", FEED, "error_unavailable.json")]),
        "metrics": Scenario(
            routes=[
                Route("GET", f"{GRAPH_URL}/", "engagement.json"),
                Route("GET", f"{GRAPH_URL}/{POST}/insights", "post_insights.json"),
            ],
            expect={POST: Metrics(likes=42, shares=3, comments=7, reach=1234, clicks=56)},
        ),
        "conversations": Scenario(
            routes=[
                Route("GET", f"{GRAPH_URL}/{PAGE}/published_posts", "posts_with_comments.json")
            ],
            expect=[
                (
                    "1116689038356556_900",
                    "comment",
                    "Θα υπάρχει ζωντανή μετάδοση;",
                    "10160000000000001",
                    POST,
                    POST,
                ),
                (
                    "1116689038356556_902",
                    "reply",
                    "Ευχαριστώ!",
                    "10160000000000001",
                    POST,
                    "1116689038356556_900",
                ),
            ],
        ),
        "reply": Scenario(
            routes=[Route("POST", f"{GRAPH_URL}/{POST}/comments", "comment_created.json")],
            expect=Published(remote_id=COMMENT, url=f"https://www.facebook.com/{COMMENT}"),
        ),
        "delete": Scenario(routes=[Route("DELETE", f"{GRAPH_URL}/{POST}", "delete_success.json")]),
        "find_published": Scenario(
            routes=[Route("GET", f"{GRAPH_URL}/{PAGE}/published_posts", "published_posts.json")],
            expect=PUBLISHED,
        ),
        "verify": Scenario(
            routes=[Route("GET", f"{GRAPH_URL}/{PAGE}", "page.json")],
            expect=ConnectedAccount(remote_id=PAGE, name="Σεμινάριο Ψηφιακής Επικοινωνίας"),
        ),
        "complete_authorization": Scenario(
            routes=[
                Route(
                    "GET",
                    f"{GRAPH_URL}/oauth/access_token",
                    ["oauth_access_token.json", "long_lived_user_token.json"],
                ),
                Route("GET", f"{GRAPH_URL}/me/accounts", "me_accounts.json"),
            ],
            expect=[ConnectedAccount(remote_id=PAGE, name="Σεμινάριο Ψηφιακής Επικοινωνίας")],
        ),
    }
