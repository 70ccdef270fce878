"""Facebook Pages: publish to a Page's feed (text, link, one or more photos), comment as the
Page, read comments, reactions, shares and reach, delete.

A connected account is one Page: ``remote_id`` is the Page id and ``credentials`` hold its Page
access token (``{"access_token": …}``), derived from a long-lived User token, so it does not
expire while the person keeps their role on the Page and the app's permissions.

The helpers at the top (:func:`fingerprint_matches`, :func:`parse_graph_time`,
:func:`public_media_url`, :func:`meta_oauth_app`) are shared by the other Meta connectors
(Instagram, Threads) and :func:`fingerprint_matches` also by LinkedIn.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from keryx.networks.base import (
    Authorization,
    ConnectedAccount,
    Connector,
    Conversation,
    Metrics,
    OAuthApp,
    Page,
    Published,
    PublishRequest,
    Rejected,
    WebhookAnswer,
    WebhookRequest,
)
from keryx.networks.facebook.client import PAGE_SCOPES, FacebookClient
from keryx.networks.facebook.spec import SPEC
from keryx.networks.meta_graph import (
    META_SETTINGS,
    facebook_user_token,
    meta_oauth_app,
    meta_webhook,
    parse_graph_time,
    unix,
)
from keryx.networks.support import after_publish, fingerprint_matches, require_app

logger = logging.getLogger(__name__)


# --- helpers shared by the Meta connectors ---------------------------------------------------


PAGE_FIELDS = "id,name,access_token,tasks,link,picture{url}"


# --- the connector -------------------------------------------------------------------------


class FacebookConnector(Connector):
    key = "facebook"
    label = "Facebook"
    # What this connector does; the text and media limits are data in rules.py.
    capabilities = SPEC.capabilities
    insight_metrics: ClassVar[tuple[str, ...]] = ("post_total_media_view_unique", "post_clicks")

    def client(self) -> FacebookClient:
        return FacebookClient(access_token=str(self.account.credentials.get("access_token", "")))

    @property
    def page_id(self) -> str:
        return self.account.remote_id

    # --- writing ----------------------------------------------------------------------------
    def publish(self, request: PublishRequest) -> Published:
        self.refuse_unsupported(request)
        with self.client() as api:
            photo_ids = [
                api.upload_unpublished_photo(self.page_id, media.path, media.mime)
                for media in request.media
            ]
            # A post with photos cannot also carry a link preview: the link goes in the text.
            message = self.text_with_link(request)
            link = "" if photo_ids else request.link
            post_id = api.create_feed_post(
                self.page_id, message=message, link=link, photo_ids=photo_ids
            )
            extra: dict[str, Any] = {"photo_ids": photo_ids}
            details = after_publish(extra, "details", lambda: api.post_details(post_id)) or {}
            if request.first_comment:
                comment_id = after_publish(
                    extra, "first_comment", lambda: api.comment(post_id, request.first_comment)
                )
                if comment_id:
                    extra["first_comment_id"] = comment_id
        return Published(
            remote_id=post_id,
            url=str(details.get("permalink_url") or f"https://www.facebook.com/{post_id}"),
            published_at=parse_graph_time(details.get("created_time")),
            extra=extra,
        )

    def find_published(self, fingerprint: str, *, since: dt.datetime) -> Published | None:
        with self.client() as api:
            for post in api.published_posts(self.page_id, since=unix(since)):
                if fingerprint_matches(str(post.get("message") or ""), fingerprint):
                    return Published(
                        remote_id=str(post["id"]),
                        url=str(post.get("permalink_url") or ""),
                        published_at=parse_graph_time(post.get("created_time")),
                    )
        return None

    def delete(self, remote_id: str) -> None:
        with self.client() as api:
            api.delete_object(remote_id)

    def reply(self, remote_id: str, text: str) -> Published:
        """Comment on a post, or answer a comment, as the Page."""
        with self.client() as api:
            comment_id = api.comment(remote_id, text)
        return Published(remote_id=comment_id, url=f"https://www.facebook.com/{comment_id}")

    # --- reading ----------------------------------------------------------------------------
    def fetch_metrics(self, remote_ids: Sequence[str]) -> dict[str, Metrics]:
        metrics: dict[str, Metrics] = {}
        with self.client() as api:
            for start in range(0, len(remote_ids), 50):
                chunk = list(remote_ids[start : start + 50])
                for post_id, fields in api.engagement(chunk).items():
                    insights: dict[str, int] = {}
                    try:
                        insights = api.post_insights(post_id, self.insight_metrics)
                    except Rejected as exc:
                        # Pages under 100 followers and some post types have no insights.
                        logger.info("no insights for %s: %s", post_id, exc.message)
                    metrics[post_id] = Metrics(
                        likes=_summary_count(fields.get("reactions")),
                        comments=_summary_count(fields.get("comments")),
                        shares=int((fields.get("shares") or {}).get("count") or 0),
                        reach=insights.get("post_total_media_view_unique"),
                        clicks=insights.get("post_clicks"),
                        raw={"fields": fields, "insights": insights},
                    )
        return metrics

    def fetch_conversations(self, since: dt.datetime | None) -> list[Conversation]:
        conversations: list[Conversation] = []
        with self.client() as api:
            posts = api.recent_posts_with_comments(self.page_id)
        for post in posts:
            for comment in (post.get("comments") or {}).get("data") or []:
                created = parse_graph_time(comment.get("created_time"))
                author = comment.get("from") or {}
                if created is None or (since is not None and created <= since):
                    continue
                if str(author.get("id") or "") == self.page_id:
                    continue  # the Page's own comments and answers
                parent = str((comment.get("parent") or {}).get("id") or "")
                conversations.append(
                    Conversation(
                        remote_id=str(comment["id"]),
                        kind="reply" if parent else "comment",
                        text=str(comment.get("message") or ""),
                        author_name=str(author.get("name") or ""),
                        author_handle=str(author.get("id") or ""),
                        created_at=created,
                        url=str(comment.get("permalink_url") or ""),
                        in_reply_to=parent or str(post["id"]),
                        post_remote_id=str(post["id"]),
                        raw=comment,
                    )
                )
        conversations.sort(key=lambda c: c.created_at)
        return conversations

    # --- reading back -----------------------------------------------------------------------
    COMMENT_FIELDS = "id,message,created_time,from,permalink_url,parent{id}"

    def _comment(self, comment: dict[str, Any], post_id: str) -> Conversation:
        author = comment.get("from") or {}
        parent = str((comment.get("parent") or {}).get("id") or "")
        return Conversation(
            remote_id=str(comment.get("id") or ""),
            kind="reply" if parent else "comment",
            text=str(comment.get("message") or ""),
            author_name=str(author.get("name") or ""),
            author_handle=str(author.get("id") or ""),
            created_at=parse_graph_time(comment.get("created_time")) or dt.datetime.now(dt.UTC),
            url=str(comment.get("permalink_url") or ""),
            in_reply_to=parent or post_id,
            post_remote_id=post_id,
            raw=comment,
        )

    def fetch_comments(self, post_remote_id: str, cursor: str = "") -> Page:
        """``GET /{post-id}/comments?filter=stream`` (every comment and reply), oldest first,
        paged by ``after`` (graph-api/reference/object/comments)."""
        with self.client() as api:
            data, after = api.one_page(
                f"/{post_remote_id}/comments",
                {"filter": "stream", "fields": self.COMMENT_FIELDS, "limit": 100},
                cursor=cursor,
            )
        return Page(tuple(self._comment(c, post_remote_id) for c in data), cursor=after)

    def fetch_mentions(self, cursor: str = "") -> Page:
        """``GET /{page-id}/tagged``: public posts that tag the Page, newest first, paged by
        ``after`` (graph-api/reference/page/tagged). A person's name is not given."""
        with self.client() as api:
            data, after = api.tagged(self.page_id, cursor=cursor)
        return Page(tuple(_mention(post) for post in data), cursor=after)

    def hide(self, remote_id: str, *, hidden: bool = True) -> None:
        with self.client() as api:
            api.post(f"/{remote_id}", {"is_hidden": "true" if hidden else "false"}, idempotent=True)

    def delete_comment(self, remote_id: str) -> None:
        with self.client() as api:
            api.delete(f"/{remote_id}")

    @classmethod
    def handle_webhook(
        cls, request: WebhookRequest, *, secret: str, verify_token: str = ""
    ) -> WebhookAnswer:
        """The Page ``feed`` webhook: a comment added (``item: comment, verb: add``); the
        ``mention`` webhook: a post or comment that mentions the Page (``verb: add``)."""

        def items(change: dict[str, Any]) -> list[Conversation]:
            value = change.get("value") or {}
            if change.get("field") == "mention":
                return _webhook_mention(value, account=str(change.get("_account") or ""))
            if change.get("field") != "feed" or value.get("item") != "comment":
                return []
            if value.get("verb") != "add":
                return []
            author = value.get("from") or {}
            post_id = str(value.get("post_id") or "")
            parent = str(value.get("parent_id") or "")
            created = value.get("created_time")
            return [
                Conversation(
                    remote_id=str(value.get("comment_id") or ""),
                    kind="reply" if parent and parent != post_id else "comment",
                    text=str(value.get("message") or ""),
                    author_name=str(author.get("name") or ""),
                    author_handle=str(author.get("id") or ""),
                    created_at=dt.datetime.fromtimestamp(created, dt.UTC)
                    if isinstance(created, int)
                    else dt.datetime.now(dt.UTC),
                    in_reply_to=parent or post_id,
                    post_remote_id=post_id,
                    raw=value,
                    account_remote_id=str(change.get("_account") or ""),
                )
            ]

        return meta_webhook(request, app_secret=secret, verify_token=verify_token, items=items)

    # --- credentials ------------------------------------------------------------------------
    def verify(self) -> ConnectedAccount:
        with self.client() as api:
            page = api.page(self.page_id)
        return _page_account(page, credentials=dict(self.account.credentials))

    @classmethod
    def oauth_app(cls) -> OAuthApp | None:
        return meta_oauth_app()

    @classmethod
    def authorize_url(
        cls, *, redirect_uri: str, state: str, base_url: str = "", app: OAuthApp | None = None
    ) -> Authorization:
        app = require_app(app or cls.oauth_app(), network=cls.label, settings_names=META_SETTINGS)
        url = FacebookClient.dialog_url(
            app_id=app.client_id, redirect_uri=redirect_uri, state=state, scopes=PAGE_SCOPES
        )
        return Authorization(url=url, state=state)

    @classmethod
    def user_token(cls, *, redirect_uri: str, code: str, app: OAuthApp) -> str:
        """The long-lived User token for an authorisation code (Facebook Login)."""
        return facebook_user_token(redirect_uri=redirect_uri, code=code, app=app)

    @classmethod
    def complete_authorization(
        cls,
        *,
        redirect_uri: str,
        code: str,
        authorization: Authorization,
        base_url: str = "",
        app: OAuthApp | None = None,
    ) -> list[ConnectedAccount]:
        """One account per Page the person can publish to, each with its own Page token
        (a Page token derived from a long-lived User token does not expire)."""
        app = require_app(app or cls.oauth_app(), network=cls.label, settings_names=META_SETTINGS)
        user_token = cls.user_token(redirect_uri=redirect_uri, code=code, app=app)
        with FacebookClient() as api:
            pages = api.managed_pages(user_token=user_token, fields=PAGE_FIELDS)
        accounts = []
        for page in pages:
            tasks = set(page.get("tasks") or [])
            if tasks and not tasks & {"CREATE_CONTENT", "MANAGE"}:
                continue  # cannot publish as this Page
            accounts.append(
                _page_account(page, credentials={"access_token": str(page["access_token"])})
            )
        if not accounts:
            raise Rejected(
                _(
                    "Facebook did not give Keryx any Page you can publish to. Log in again and "
                    "select the Pages, or ask a Page admin for a role that can create content."
                )
            )
        return accounts


def _page_account(page: dict[str, Any], *, credentials: dict[str, Any]) -> ConnectedAccount:
    return ConnectedAccount(
        remote_id=str(page["id"]),
        name=str(page.get("name") or page["id"]),
        profile_url=str(page.get("link") or f"https://www.facebook.com/{page['id']}"),
        avatar_url=str(((page.get("picture") or {}).get("data") or {}).get("url") or ""),
        credentials=credentials,
    )


def _mention(post: dict[str, Any]) -> Conversation:
    author = post.get("from") or {}
    return Conversation(
        remote_id=str(post.get("id") or ""),
        kind="mention",
        text=str(post.get("message") or ""),
        author_name=str(author.get("name") or ""),
        author_handle=str(author.get("id") or ""),
        created_at=parse_graph_time(post.get("created_time")) or dt.datetime.now(dt.UTC),
        url=str(post.get("permalink_url") or ""),
        raw=post,
    )


def _webhook_mention(value: dict[str, Any], *, account: str) -> list[Conversation]:
    """A ``mention`` change: the Page was mentioned in a post (``item: post``) or a comment
    (``item: comment``); removals (``verb: remove``) carry nothing to store."""
    if value.get("verb") != "add" or value.get("item") not in {"post", "comment"}:
        return []
    comment = str(value.get("comment_id") or "") if value.get("item") == "comment" else ""
    post_id = str(value.get("post_id") or "")
    created = value.get("created_time")
    return [
        Conversation(
            remote_id=comment or post_id,
            kind="mention",
            text=str(value.get("message") or ""),
            author_name=str(value.get("sender_name") or ""),
            author_handle=str(value.get("sender_id") or ""),
            created_at=dt.datetime.fromtimestamp(created, dt.UTC)
            if isinstance(created, int)
            else dt.datetime.now(dt.UTC),
            in_reply_to=post_id if comment else "",
            post_remote_id=post_id if comment else "",
            raw=value,
            account_remote_id=account,
        )
    ]


def _summary_count(edge: Any) -> int:
    if not isinstance(edge, dict):
        return 0
    return int((edge.get("summary") or {}).get("total_count") or 0)


CONNECTOR = FacebookConnector
