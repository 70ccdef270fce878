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
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar, TypeVar
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from keryx.core.http import OutboundError
from keryx.networks.base import (
    Authorization,
    Capabilities,
    ConnectedAccount,
    Connector,
    Conversation,
    Metrics,
    OAuthApp,
    Published,
    PublishRequest,
    Rejected,
    content_fingerprint,
)
from keryx.networks.facebook.client import PAGE_SCOPES, FacebookClient

logger = logging.getLogger(__name__)

T = TypeVar("T")

# --- helpers shared by the Meta connectors ---------------------------------------------------


def fingerprint_matches(text: str, fingerprint: str) -> bool:
    """Whether a post read back from the network is the one with this content fingerprint
    (:func:`keryx.networks.base.content_fingerprint`, which ignores links, case and spacing:
    the links a connector appends to the text do not change it; docs/decisions/0551)."""
    return bool(fingerprint) and content_fingerprint(text) == fingerprint


def parse_graph_time(value: Any) -> dt.datetime | None:
    """``2026-11-28T05:09:24+0000`` (Graph API) → an aware datetime."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def unix(moment: dt.datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp())


_PRIVATE_HOSTS = re.compile(
    r"^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[?::1\]?$|0\.0\.0\.0)"
)


def public_media_url(path: Path, *, network: str) -> str:
    """The address at which the network can download a media file Keryx stores.

    Instagram and Threads do not take uploads: they fetch each image from a public URL, so
    Keryx must be reachable from the internet at ``KERYX_BASE_URL`` and serve ``MEDIA_URL``
    without login (docs/networks/instagram.md).
    """
    base = settings.KERYX_BASE_URL.rstrip("/")
    host = urlsplit(base).hostname or ""
    if not base.startswith("https://") or _PRIVATE_HOSTS.match(host):
        raise Rejected(
            _(
                "%(network)s downloads images from Keryx, but Keryx's address (%(base)s) is not "
                "a public https address. Set KERYX_BASE_URL to the address at which the "
                "internet reaches Keryx."
            )
            % {"network": network, "base": base}
        )
    media_root = Path(settings.MEDIA_ROOT).resolve()
    try:
        relative = path.resolve().relative_to(media_root)
    except ValueError:
        raise Rejected(
            _("The image %(name)s is not in Keryx's media library.") % {"name": path.name}
        ) from None
    media_url = (
        settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else f"/{settings.MEDIA_URL}"
    )
    return f"{base}{media_url.rstrip('/')}/{quote(relative.as_posix())}"


META_SETTINGS = "KERYX_META_APP_ID and KERYX_META_APP_SECRET"
PAGE_FIELDS = "id,name,access_token,tasks,link,picture{url}"


def meta_oauth_app() -> OAuthApp | None:
    """The Meta developer app (Facebook Login, also for Instagram) from settings."""
    app_id = str(getattr(settings, "KERYX_META_APP_ID", "") or "")
    secret = str(getattr(settings, "KERYX_META_APP_SECRET", "") or "")
    return OAuthApp(client_id=app_id, client_secret=secret) if app_id and secret else None


def require_app(app: OAuthApp | None, *, network: str, settings_names: str) -> OAuthApp:
    if app is None or not (app.client_id and app.client_secret):
        raise Rejected(
            _(
                "%(network)s is not set up on this Keryx: the administrator must set "
                "%(settings)s (see docs/networks/%(key)s.md)."
            )
            % {"network": network, "settings": settings_names, "key": network.lower()}
        )
    return app


def after_publish(extra: dict[str, Any], key: str, step: Callable[[], T]) -> T | None:
    """Run a step that follows a successful publish (read the permalink, add the first comment).

    The post exists by now, so nothing here may raise: an error is noted in ``extra`` and the
    publish still counts as done. Raising would make the pipeline publish the post again.
    """
    try:
        return step()
    except OutboundError as exc:
        logger.warning("after publishing, %s failed: %s %s", key, exc.code, exc.detail)
        extra[f"{key}_error"] = {"code": exc.code, "message": exc.message}
        return None


# --- the connector -------------------------------------------------------------------------


class FacebookConnector(Connector):
    key = "facebook"
    label = "Facebook"
    # What this connector does; the text and media limits are data in rules.py.
    capabilities = Capabilities(
        images=10,  # unpublished photos attached to one feed post (rules.py: 10)
        link_preview=True,
        first_comment=True,
        connect="oauth",
    )
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
        with FacebookClient() as api:
            short = api.exchange_code(
                app_id=app.client_id,
                app_secret=app.client_secret,
                redirect_uri=redirect_uri,
                code=code,
            )
            long = api.long_lived_user_token(
                app_id=app.client_id,
                app_secret=app.client_secret,
                token=str(short["access_token"]),
            )
        return str(long["access_token"])

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


def _summary_count(edge: Any) -> int:
    if not isinstance(edge, dict):
        return 0
    return int((edge.get("summary") or {}).get("total_count") or 0)


CONNECTOR = FacebookConnector
