"""Instagram professional accounts (Business or Creator) connected to a Facebook Page.

Publishing is three steps, as the content-publishing guide describes: create a media container
from an image at a public URL (one per image and a carousel container for several), wait until
Instagram reports the container ``FINISHED``, then ``media_publish`` it. Before anything is
created Keryx reads the account's ``content_publishing_limit``: when the 24-hour quota is used
up the publish stops with :class:`RateLimited`, so the pipeline waits instead of failing.

Instagram fetches every image itself, so Keryx must be reachable from the internet at
``KERYX_BASE_URL`` (docs/networks/instagram.md).

A connected account is one Instagram account: ``remote_id`` is its Instagram user id,
``handle`` its username, and ``credentials`` the access token of the Page it is linked to
(``{"access_token": …, "page_id": …}``), which does not expire.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from keryx.networks.base import (
    Audience,
    Authorization,
    ConnectedAccount,
    Connector,
    Conversation,
    Metrics,
    OAuthApp,
    Page,
    Published,
    PublishRequest,
    RateLimited,
    Rejected,
    WebhookAnswer,
    WebhookRequest,
)
from keryx.networks.instagram.client import INSTAGRAM_SCOPES, PAGE_FIELDS, InstagramClient
from keryx.networks.instagram.spec import SPEC
from keryx.networks.meta_graph import (
    META_SETTINGS,
    FacebookLogin,
    facebook_user_token,
    insight_values,
    meta_oauth_app,
    meta_webhook,
    parse_graph_time,
    public_media_url,
    publishing_quota_reached,
    unix,
    wait_until_finished,
)
from keryx.networks.support import after_publish, fingerprint_matches, require_app

logger = logging.getLogger(__name__)


class InstagramConnector(Connector):
    key = "instagram"
    label = "Instagram"
    capabilities = SPEC.capabilities
    # Container status polling: images are usually ready at the first look.
    poll_attempts: ClassVar[int] = 10
    poll_interval: ClassVar[float] = 3.0
    insight_metrics: ClassVar[tuple[str, ...]] = ("reach", "views", "shares", "saved")

    def unsupported(self, request: PublishRequest) -> list[str]:
        problems = super().unsupported(request)
        if not request.media:
            problems.append(_("An Instagram post needs at least one image."))
        return problems

    def client(self) -> InstagramClient:
        return InstagramClient(access_token=str(self.account.credentials.get("access_token", "")))

    @property
    def ig_user_id(self) -> str:
        return self.account.remote_id

    # --- writing ----------------------------------------------------------------------------
    def publish(self, request: PublishRequest) -> Published:
        self.refuse_unsupported(request)
        image_urls = [public_media_url(m.path, network="Instagram") for m in request.media]
        # Instagram shows links in captions as plain text; the tracked link still counts.
        caption = self.text_with_link(request)

        with self.client() as api:
            self._check_quota(api)
            if len(image_urls) == 1:
                container = api.create_container(
                    self.ig_user_id,
                    **_image_fields(image_urls[0], request.media[0].alt_text),
                    caption=caption,
                )
                self._wait(api, container)
            else:
                children = [
                    api.create_container(
                        self.ig_user_id,
                        **_image_fields(url, media.alt_text),
                        is_carousel_item="true",
                    )
                    for url, media in zip(image_urls, request.media, strict=True)
                ]
                for child in children:
                    self._wait(api, child)
                container = api.create_container(
                    self.ig_user_id,
                    media_type="CAROUSEL",
                    children=",".join(children),
                    caption=caption,
                )
                self._wait(api, container)

            media_id = api.publish_container(self.ig_user_id, container)

            extra: dict[str, Any] = {"container_id": container}
            details = after_publish(extra, "details", lambda: api.media_details(media_id)) or {}
            if request.first_comment:
                comment_id = after_publish(
                    extra, "first_comment", lambda: api.comment(media_id, request.first_comment)
                )
                if comment_id:
                    extra["first_comment_id"] = comment_id
        return Published(
            remote_id=media_id,
            url=str(details.get("permalink") or ""),
            published_at=parse_graph_time(details.get("timestamp")),
            extra=extra,
        )

    def _check_quota(self, api: InstagramClient) -> None:
        reached = publishing_quota_reached(api.publishing_limit(self.ig_user_id))
        if reached is not None:
            usage, hours = reached
            raise RateLimited(
                _(
                    "This Instagram account has published %(usage)s posts through the API in the "
                    "last %(hours)s hours, Instagram's limit."
                )
                % {"usage": usage, "hours": hours},
                retry_after=3600.0,
            )

    def _wait(self, api: InstagramClient, container_id: str) -> None:
        wait_until_finished(
            api.container_status,
            container_id,
            network="Instagram",
            attempts=self.poll_attempts,
            interval=self.poll_interval,
        )

    def find_published(self, fingerprint: str, *, since: dt.datetime) -> Published | None:
        with self.client() as api:
            for media in api.recent_media(self.ig_user_id, since=unix(since)):
                taken = parse_graph_time(media.get("timestamp"))
                if taken is not None and taken < since:
                    continue
                if fingerprint_matches(str(media.get("caption") or ""), fingerprint):
                    return Published(
                        remote_id=str(media["id"]),
                        url=str(media.get("permalink") or ""),
                        published_at=taken,
                    )
        return None

    def delete(self, remote_id: str) -> None:
        with self.client() as api:
            api.delete_media(remote_id)

    def reply(self, remote_id: str, text: str) -> Published:
        """Answer a comment; on a post (media), comment on it.

        Instagram takes replies on top-level comments and comments on media. Keryx tries the
        reply first; Instagram refuses it for a media object without making anything (a 400),
        so commenting next can never post twice."""
        with self.client() as api:
            try:
                reply_id = api.reply_to_comment(remote_id, text)
            except Rejected:
                reply_id = api.comment(remote_id, text)
        return Published(remote_id=reply_id)

    # --- reading ----------------------------------------------------------------------------
    def fetch_metrics(self, remote_ids: Sequence[str]) -> dict[str, Metrics]:
        metrics: dict[str, Metrics] = {}
        with self.client() as api:
            for start in range(0, len(remote_ids), 50):
                counts = api.media_counts(list(remote_ids[start : start + 50]))
                for media_id, fields in counts.items():
                    insights: dict[str, int] = {}
                    try:
                        insights = insight_values(
                            api.media_insights(media_id, self.insight_metrics)
                        )
                    except Rejected as exc:
                        logger.info("no insights for %s: %s", media_id, exc.message)
                    metrics[media_id] = Metrics(
                        likes=_int(fields.get("like_count")),
                        comments=_int(fields.get("comments_count")),
                        shares=insights.get("shares"),
                        impressions=insights.get("views"),
                        reach=insights.get("reach"),
                        raw={"fields": fields, "insights": insights},
                    )
        return metrics

    def fetch_conversations(self, since: dt.datetime | None) -> list[Conversation]:
        own = self.account.handle.lstrip("@").casefold()
        found: list[Conversation] = []

        def add(item: dict[str, Any], *, kind: str, media: dict[str, Any], parent: str) -> None:
            created = parse_graph_time(item.get("timestamp"))
            username = str(item.get("username") or "")
            if created is None or (since is not None and created <= since):
                return
            if own and username.casefold() == own:
                return
            found.append(
                Conversation(
                    remote_id=str(item["id"]),
                    kind=kind,
                    text=str(item.get("text") or ""),
                    author_name=username,
                    author_handle=username,
                    created_at=created,
                    url=str(media.get("permalink") or ""),
                    in_reply_to=parent,
                    post_remote_id=str(media["id"]),
                    raw=item,
                )
            )

        with self.client() as api:
            recent = api.media_with_comments(self.ig_user_id)
        for media in recent:
            for comment in (media.get("comments") or {}).get("data") or []:
                add(comment, kind="comment", media=media, parent=str(media["id"]))
                for reply in (comment.get("replies") or {}).get("data") or []:
                    add(reply, kind="reply", media=media, parent=str(comment["id"]))
        found.sort(key=lambda c: c.created_at)
        return found

    # --- reading back -----------------------------------------------------------------------
    def _media_item(self, media: dict[str, Any], kind: str) -> Conversation:
        return Conversation(
            remote_id=str(media.get("id") or ""),
            kind=kind,
            text=str(media.get("caption") or ""),
            author_name=str(media.get("username") or ""),
            author_handle="@" + str(media.get("username") or "") if media.get("username") else "",
            created_at=parse_graph_time(media.get("timestamp")) or dt.datetime.now(dt.UTC),
            url=str(media.get("permalink") or ""),
            raw=media,
        )

    def fetch_comments(self, post_remote_id: str, cursor: str = "") -> Page:
        """Comments on one of the account's media, with their replies
        (``GET /{ig-media-id}/comments``), paged by ``after``."""
        with self.client() as api:
            data, after = api.comments(post_remote_id, cursor=cursor)
        items: list[Conversation] = []
        for comment in data:
            items.append(self._comment(comment, post_remote_id, post_remote_id))
            for reply in (comment.get("replies") or {}).get("data") or []:
                items.append(self._comment(reply, post_remote_id, str(comment.get("id") or "")))
        return Page(tuple(items), cursor=after)

    def _comment(self, comment: dict[str, Any], media_id: str, parent: str) -> Conversation:
        username = str(comment.get("username") or (comment.get("from") or {}).get("username") or "")
        return Conversation(
            remote_id=str(comment.get("id") or ""),
            kind="comment" if parent == media_id else "reply",
            text=str(comment.get("text") or ""),
            author_name=username,
            author_handle="@" + username if username else "",
            created_at=parse_graph_time(comment.get("timestamp")) or dt.datetime.now(dt.UTC),
            in_reply_to=parent,
            post_remote_id=media_id,
            raw=comment,
        )

    def fetch_mentions(self, cursor: str = "") -> Page:
        """Media the account is tagged in (``/{ig-user-id}/tags``)."""
        with self.client() as api:
            data, after = api.tagged_media(self.ig_user_id, cursor=cursor)
        return Page(tuple(self._media_item(m, "mention") for m in data), cursor=after)

    def search(self, query: str, cursor: str = "") -> Page:
        """Recent public media with a hashtag (the last 24 hours). The cursor carries the
        hashtag's id, so later pages do not search the hashtag again."""
        hashtag_id, _sep, after = cursor.partition(":")
        with self.client() as api:
            if not hashtag_id:
                hashtag_id = api.hashtag_id(self.ig_user_id, query.strip().lstrip("#"))
            if not hashtag_id:
                return Page()
            data, next_after = api.hashtag_recent_media(hashtag_id, self.ig_user_id, cursor=after)
        return Page(
            tuple(self._media_item(m, "search") for m in data),
            cursor=f"{hashtag_id}:{next_after}" if next_after else "",
        )

    def hide(self, remote_id: str, *, hidden: bool = True) -> None:
        with self.client() as api:
            api.hide_comment(remote_id, hidden)

    def delete_comment(self, remote_id: str) -> None:
        with self.client() as api:
            api.delete(f"/{remote_id}")

    def fetch_audience(self) -> Audience:
        with self.client() as api:
            data = api.get(
                f"/{self.ig_user_id}", {"fields": "followers_count,follows_count,media_count"}
            )
        return Audience(
            followers=data.get("followers_count")
            if isinstance(data.get("followers_count"), int)
            else None,
            following=data.get("follows_count")
            if isinstance(data.get("follows_count"), int)
            else None,
            posts=data.get("media_count") if isinstance(data.get("media_count"), int) else None,
        )

    @classmethod
    def handle_webhook(
        cls, request: WebhookRequest, *, secret: str, verify_token: str = ""
    ) -> WebhookAnswer:
        """Instagram's ``comments`` webhook: ``{"id", "text", "from": {"id", "username"},
        "media": {"id"}}`` (instagram-platform/webhooks)."""

        def items(change: dict[str, Any]) -> list[Conversation]:
            value = change.get("value") or {}
            if change.get("field") != "comments":
                return []
            author = value.get("from") or {}
            username = str(author.get("username") or "")
            media_id = str((value.get("media") or {}).get("id") or "")
            return [
                Conversation(
                    remote_id=str(value.get("id") or ""),
                    kind="reply" if value.get("parent_id") else "comment",
                    text=str(value.get("text") or ""),
                    author_name=username,
                    author_handle="@" + username if username else "",
                    created_at=dt.datetime.now(dt.UTC),
                    in_reply_to=str(value.get("parent_id") or media_id),
                    post_remote_id=media_id,
                    raw=value,
                    account_remote_id=str(change.get("_account") or ""),
                )
            ]

        return meta_webhook(request, app_secret=secret, verify_token=verify_token, items=items)

    # --- credentials ------------------------------------------------------------------------
    def verify(self) -> ConnectedAccount:
        with self.client() as api:
            user = api.user(self.ig_user_id)
        return _ig_account(user, credentials=dict(self.account.credentials))

    @classmethod
    def oauth_app(cls) -> OAuthApp | None:
        return meta_oauth_app()

    @classmethod
    def authorize_url(
        cls, *, redirect_uri: str, state: str, base_url: str = "", app: OAuthApp | None = None
    ) -> Authorization:
        app = require_app(app or cls.oauth_app(), network=cls.label, settings_names=META_SETTINGS)
        url = FacebookLogin.dialog_url(
            app_id=app.client_id, redirect_uri=redirect_uri, state=state, scopes=INSTAGRAM_SCOPES
        )
        return Authorization(url=url, state=state)

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
        """One account per Instagram professional account linked to a Page the person
        manages; each keeps that Page's access token."""
        app = require_app(app or cls.oauth_app(), network=cls.label, settings_names=META_SETTINGS)
        user_token = facebook_user_token(redirect_uri=redirect_uri, code=code, app=app)
        with FacebookLogin() as api:
            pages = api.managed_pages(user_token=user_token, fields=PAGE_FIELDS)
        accounts = []
        for page in pages:
            ig = page.get("instagram_business_account")
            if not isinstance(ig, dict) or not ig.get("id"):
                continue
            accounts.append(
                _ig_account(
                    ig,
                    credentials={
                        "access_token": str(page["access_token"]),
                        "page_id": str(page["id"]),
                    },
                )
            )
        if not accounts:
            raise Rejected(
                _(
                    "None of the Facebook Pages you chose has an Instagram professional account "
                    "linked to it. Link the Instagram account to a Page in Meta Business Suite, "
                    "then connect again."
                )
            )
        return accounts


def _ig_account(ig: dict[str, Any], *, credentials: dict[str, Any]) -> ConnectedAccount:
    username = str(ig.get("username") or "")
    return ConnectedAccount(
        remote_id=str(ig["id"]),
        name=str(ig.get("name") or username or ig["id"]),
        handle=username,
        profile_url=f"https://www.instagram.com/{username}/" if username else "",
        avatar_url=str(ig.get("profile_picture_url") or ""),
        credentials=credentials,
    )


def _image_fields(url: str, alt_text: str) -> dict[str, str]:
    fields = {"image_url": url}
    if alt_text:
        fields["alt_text"] = alt_text
    return fields


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) else None


CONNECTOR = InstagramConnector
