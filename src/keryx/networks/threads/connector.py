"""Threads: text posts (with a link preview), one image or a carousel, replies that continue a
thread, a first comment, replies as conversations, insights, delete, and the 60-day token kept
fresh.

Every post is a container created on ``graph.threads.net``, waited for until ``FINISHED`` and
then published with ``threads_publish``; each part of a thread is a reply (``reply_to_id``) to
the part before it. Threads fetches images itself, so Keryx must be reachable from the internet
at ``KERYX_BASE_URL`` (docs/networks/threads.md).

A connected account: ``remote_id`` is the Threads user id, ``handle`` the username and
``credentials`` ``{"access_token", "expires_at"}`` (ISO 8601, UTC).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from functools import partial
from typing import Any, ClassVar

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.core.http import AuthExpired
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
    RateLimited,
)
from keryx.networks.meta_graph import (
    insight_values,
    parse_graph_time,
    public_media_url,
    publishing_quota_reached,
    unix,
    wait_until_finished,
)
from keryx.networks.support import after_publish, fingerprint_matches, require_app
from keryx.networks.threads.client import ThreadsClient
from keryx.networks.threads.spec import SPEC

logger = logging.getLogger(__name__)

# Refresh a 60-day token once fewer than this many days remain (it must be a day old).
REFRESH_WITHIN = dt.timedelta(days=30)


THREADS_SETTINGS = "KERYX_THREADS_APP_ID and KERYX_THREADS_APP_SECRET"


def threads_oauth_app() -> OAuthApp | None:
    """The Threads app (its own id and secret, not the Meta app's) from settings."""
    app_id = str(getattr(settings, "KERYX_THREADS_APP_ID", "") or "")
    secret = str(getattr(settings, "KERYX_THREADS_APP_SECRET", "") or "")
    return OAuthApp(client_id=app_id, client_secret=secret) if app_id and secret else None


def expiry(expires_in: Any) -> dt.datetime | None:
    if not isinstance(expires_in, int | float):
        return None
    return timezone.now() + dt.timedelta(seconds=float(expires_in))


class ThreadsConnector(Connector):
    key = "threads"
    label = "Threads"
    capabilities = SPEC.capabilities
    poll_attempts: ClassVar[int] = 10
    poll_interval: ClassVar[float] = 3.0
    insight_metrics: ClassVar[tuple[str, ...]] = (
        "views",
        "likes",
        "replies",
        "reposts",
        "quotes",
        "shares",
    )

    def client(self) -> ThreadsClient:
        return ThreadsClient(access_token=str(self.account.credentials.get("access_token", "")))

    @property
    def user_id(self) -> str:
        return self.account.remote_id

    # --- writing ----------------------------------------------------------------------------
    def publish(self, request: PublishRequest) -> Published:
        self.refuse_unsupported(request)
        image_urls = [public_media_url(m.path, network="Threads") for m in request.media]
        text = self.text_with_link(request)  # the link goes in the text beside images
        with self.client() as api:
            self._check_quota(api)
            if not image_urls:
                fields = {"media_type": "TEXT", "text": text}
                if request.link:
                    fields["link_attachment"] = request.link
                container = api.create_container(self.user_id, **fields)
            else:
                if len(image_urls) == 1:
                    container = api.create_container(
                        self.user_id,
                        media_type="IMAGE",
                        **_image_fields(image_urls[0], request.media[0].alt_text),
                        text=text,
                    )
                else:
                    children = [
                        api.create_container(
                            self.user_id,
                            media_type="IMAGE",
                            **_image_fields(url, media.alt_text),
                            is_carousel_item="true",
                        )
                        for url, media in zip(image_urls, request.media, strict=True)
                    ]
                    for child in children:
                        self._wait(api, child)
                    container = api.create_container(
                        self.user_id, media_type="CAROUSEL", children=",".join(children), text=text
                    )
            self._wait(api, container)
            root_id = api.publish_container(self.user_id, container)

            extra: dict[str, Any] = {"container_id": container}
            details = after_publish(extra, "details", lambda: api.post_details(root_id)) or {}
            # The rest of a thread: each part answers the part before it.
            previous = root_id
            thread_ids: list[str] = []
            for part in request.thread:
                posted = after_publish(extra, "thread", partial(self._reply, api, previous, part))
                if posted is None:
                    extra["thread_published"] = len(thread_ids)
                    break
                thread_ids.append(posted)
                previous = posted
            if request.thread:
                extra["thread_ids"] = thread_ids
            if request.first_comment:
                comment_id = after_publish(
                    extra,
                    "first_comment",
                    lambda: self._reply(api, root_id, request.first_comment),
                )
                if comment_id:
                    extra["first_comment_id"] = comment_id
        return Published(
            remote_id=root_id,
            url=str(details.get("permalink") or ""),
            published_at=parse_graph_time(details.get("timestamp")),
            extra=extra,
        )

    def _check_quota(self, api: ThreadsClient) -> None:
        reached = publishing_quota_reached(api.publishing_limit(self.user_id))
        if reached is not None:
            usage, hours = reached
            raise RateLimited(
                _(
                    "This Threads profile has published %(usage)s posts through the API in the "
                    "last %(hours)s hours, Threads' limit."
                )
                % {"usage": usage, "hours": hours},
                retry_after=3600.0,
            )

    def _wait(self, api: ThreadsClient, container_id: str) -> None:
        wait_until_finished(
            api.container_status,
            container_id,
            network="Threads",
            attempts=self.poll_attempts,
            interval=self.poll_interval,
        )

    def _reply(self, api: ThreadsClient, reply_to: str, text: str) -> str:
        container = api.create_container(
            self.user_id, media_type="TEXT", text=text, reply_to_id=reply_to
        )
        self._wait(api, container)
        return api.publish_container(self.user_id, container)

    def find_published(self, fingerprint: str, *, since: dt.datetime) -> Published | None:
        with self.client() as api:
            for post in api.user_threads(self.user_id, since=unix(since)):
                if fingerprint_matches(str(post.get("text") or ""), fingerprint):
                    return Published(
                        remote_id=str(post["id"]),
                        url=str(post.get("permalink") or ""),
                        published_at=parse_graph_time(post.get("timestamp")),
                    )
        return None

    def delete(self, remote_id: str) -> None:
        with self.client() as api:
            api.delete_post(remote_id)

    def reply(self, remote_id: str, text: str) -> Published:
        with self.client() as api:
            reply_id = self._reply(api, remote_id, text)
            details = after_publish({}, "details", lambda: api.post_details(reply_id)) or {}
        return Published(
            remote_id=reply_id,
            url=str(details.get("permalink") or ""),
            published_at=parse_graph_time(details.get("timestamp")),
        )

    # --- reading ----------------------------------------------------------------------------
    def fetch_metrics(self, remote_ids: Sequence[str]) -> dict[str, Metrics]:
        metrics: dict[str, Metrics] = {}
        with self.client() as api:
            for media_id in remote_ids:
                values = insight_values(api.insights(media_id, self.insight_metrics))
                reposts = values.get("reposts")
                quotes = values.get("quotes")
                shares = (
                    None if reposts is None and quotes is None else (reposts or 0) + (quotes or 0)
                )
                metrics[media_id] = Metrics(
                    likes=values.get("likes"),
                    comments=values.get("replies"),
                    shares=shares,
                    impressions=values.get("views"),
                    raw=values,
                )
        return metrics

    def fetch_conversations(self, since: dt.datetime | None) -> list[Conversation]:
        found: list[Conversation] = []
        with self.client() as api:
            posts = list(api.user_threads(self.user_id, limit=25))
            for post in posts:
                for item in api.conversation(str(post["id"])):
                    created = parse_graph_time(item.get("timestamp"))
                    if created is None or (since is not None and created <= since):
                        continue
                    if item.get("is_reply_owned_by_me"):
                        continue
                    username = str(item.get("username") or "")
                    found.append(
                        Conversation(
                            remote_id=str(item["id"]),
                            kind="reply",
                            text=str(item.get("text") or ""),
                            author_name=username,
                            author_handle=username,
                            created_at=created,
                            url=str(item.get("permalink") or ""),
                            in_reply_to=str((item.get("replied_to") or {}).get("id") or post["id"]),
                            post_remote_id=str(
                                (item.get("root_post") or {}).get("id") or post["id"]
                            ),
                            raw=item,
                        )
                    )
        found.sort(key=lambda c: c.created_at)
        return found

    # --- reading back -----------------------------------------------------------------------
    def _post(self, data: dict[str, Any], kind: str, post_remote_id: str = "") -> Conversation:
        username = str(data.get("username") or "")
        replied_to = str((data.get("replied_to") or {}).get("id") or "")
        return Conversation(
            remote_id=str(data.get("id") or ""),
            kind=kind,
            text=str(data.get("text") or ""),
            author_name=username,
            author_handle="@" + username if username else "",
            created_at=parse_graph_time(data.get("timestamp")) or dt.datetime.now(dt.UTC),
            url=str(data.get("permalink") or ""),
            in_reply_to=replied_to,
            post_remote_id=post_remote_id,
            raw=data,
        )

    def fetch_comments(self, post_remote_id: str, cursor: str = "") -> Page:
        with self.client() as api:
            data, after = api.replies(post_remote_id, cursor=cursor)
        return Page(tuple(self._post(d, "comment", post_remote_id) for d in data), cursor=after)

    def fetch_mentions(self, cursor: str = "") -> Page:
        with self.client() as api:
            data, after = api.mentions(self.user_id, cursor=cursor)
        return Page(tuple(self._post(d, "mention") for d in data), cursor=after)

    def search(self, query: str, cursor: str = "") -> Page:
        with self.client() as api:
            data, after = api.keyword_search(query.strip(), cursor=cursor)
        return Page(tuple(self._post(d, "search") for d in data), cursor=after)

    def hide(self, remote_id: str, *, hidden: bool = True) -> None:
        with self.client() as api:
            api.manage_reply(remote_id, hidden)

    # --- credentials ------------------------------------------------------------------------
    def refresh_credentials(self) -> ConnectedAccount | None:
        """A fresh 60-day token once fewer than 30 days remain; None while the token is young."""
        expires_at = _parse_iso(self.account.credentials.get("expires_at"))
        now = timezone.now()
        if expires_at is not None and expires_at - now > REFRESH_WITHIN:
            return None
        if expires_at is not None and expires_at <= now:
            raise AuthExpired(
                _("The Threads access token expired on %(date)s.") % {"date": expires_at.date()}
            )
        with self.client() as api:
            body = api.refresh_token()
        new_expiry = expiry(body.get("expires_in"))
        return ConnectedAccount(
            remote_id=self.account.remote_id,
            name=self.account.handle or self.account.remote_id,
            handle=self.account.handle,
            credentials={
                **self.account.credentials,
                "access_token": str(body["access_token"]),
                "expires_at": new_expiry.isoformat() if new_expiry else "",
            },
            token_expires_at=new_expiry,
        )

    def verify(self) -> ConnectedAccount:
        with self.client() as api:
            me = api.me()
        return _threads_account(
            me,
            credentials=dict(self.account.credentials),
            expires_at=_parse_iso(self.account.credentials.get("expires_at")),
        )

    @classmethod
    def oauth_app(cls) -> OAuthApp | None:
        return threads_oauth_app()

    @classmethod
    def authorize_url(
        cls, *, redirect_uri: str, state: str, base_url: str = "", app: OAuthApp | None = None
    ) -> Authorization:
        app = require_app(
            app or cls.oauth_app(), network=cls.label, settings_names=THREADS_SETTINGS
        )
        url = ThreadsClient.authorize_url(
            app_id=app.client_id, redirect_uri=redirect_uri, state=state
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
        app = require_app(
            app or cls.oauth_app(), network=cls.label, settings_names=THREADS_SETTINGS
        )
        with ThreadsClient() as api:
            short = api.exchange_code(
                app_id=app.client_id,
                app_secret=app.client_secret,
                redirect_uri=redirect_uri,
                code=code,
            )
            long = api.long_lived_token(
                app_secret=app.client_secret, token=str(short["access_token"])
            )
            api.access_token = str(long["access_token"])
            me = api.me()
        expires_at = expiry(long.get("expires_in"))
        if not me.get("id"):
            me = {**me, "id": short.get("user_id")}
        credentials = {
            "access_token": str(long["access_token"]),
            "expires_at": expires_at.isoformat() if expires_at else "",
        }
        return [_threads_account(me, credentials=credentials, expires_at=expires_at)]


def _threads_account(
    me: dict[str, Any], *, credentials: dict[str, Any], expires_at: dt.datetime | None
) -> ConnectedAccount:
    username = str(me.get("username") or "")
    return ConnectedAccount(
        remote_id=str(me["id"]),
        name=str(me.get("name") or username),
        handle=username,
        profile_url=f"https://www.threads.net/@{username}" if username else "",
        avatar_url=str(me.get("threads_profile_picture_url") or ""),
        credentials=credentials,
        token_expires_at=expires_at,
    )


def _image_fields(url: str, alt_text: str) -> dict[str, str]:
    fields = {"image_url": url}
    if alt_text:
        fields["alt_text"] = alt_text
    return fields


def _parse_iso(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


CONNECTOR = ThreadsConnector
