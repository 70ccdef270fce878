"""X: API v2 posts (``POST /2/tweets``), media upload v2 (chunked) with alt text, OAuth 2.0
with PKCE and rotating refresh tokens, metrics from the posts' ``public_metrics``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from keryx.core.http import OutboundError
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
    content_fingerprint,
)
from keryx.networks.oauth import code_challenge, expires_at, new_code_verifier, with_query
from keryx.networks.webhooks import delivery_id, x_check, x_crc
from keryx.networks.x.client import AUTHORIZE, SCOPES, XClient
from keryx.networks.x.spec import SPEC


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _when(value: Any) -> dt.datetime:
    parsed = parse_datetime(str(value)) if value else None
    return parsed or dt.datetime.fromtimestamp(0, tz=dt.UTC)


class XConnector(Connector):
    key = "x"
    label = "X"
    capabilities = SPEC.capabilities

    @property
    def client(self) -> XClient:
        return XClient(str(self.account.credentials.get("access_token", "")))

    def _url(self, tweet_id: str) -> str:
        username = self.account.handle.lstrip("@") or "i"
        return f"https://x.com/{username}/status/{tweet_id}"

    # --- writing ----------------------------------------------------------------------------
    def publish(self, request: PublishRequest) -> Published:
        self.refuse_unsupported(request)
        client = self.client
        media_ids = [
            client.upload_media(path=m.path, mime=m.mime, alt_text=m.alt_text)
            for m in request.media
        ]
        text = self.text_with_link(request)
        body: dict[str, Any] = {"text": text}
        if media_ids:
            body["media"] = {"media_ids": media_ids}
        first = client.create_tweet(body)
        published = Published(
            remote_id=str(first["id"]), url=self._url(str(first["id"])), published_at=timezone.now()
        )
        if not request.thread:
            return published
        previous, replies, error = str(first["id"]), [], ""
        for part in request.thread:
            try:
                made = client.create_tweet(
                    {"text": part, "reply": {"in_reply_to_tweet_id": previous}}
                )
            except OutboundError as exc:  # the first post is out: report, never raise
                error = exc.user_message
                break
            previous = str(made["id"])
            replies.append(previous)
        return Published(
            remote_id=published.remote_id,
            url=published.url,
            published_at=published.published_at,
            extra={"thread_ids": replies, "thread_error": error},
        )

    def find_published(self, fingerprint: str, *, since: dt.datetime) -> Published | None:
        for tweet in self.client.user_tweets(self.account.remote_id, start_time=_iso(since)):
            if content_fingerprint(str(tweet.get("text", ""))) == fingerprint:
                return Published(remote_id=str(tweet["id"]), url=self._url(str(tweet["id"])))
        return None

    def delete(self, remote_id: str) -> None:
        self.client.delete_tweet(remote_id)

    def reply(self, remote_id: str, text: str) -> Published:
        made = self.client.create_tweet(
            {"text": text, "reply": {"in_reply_to_tweet_id": remote_id}}
        )
        return Published(remote_id=str(made["id"]), url=self._url(str(made["id"])))

    # --- reading ----------------------------------------------------------------------------
    def fetch_metrics(self, remote_ids: Sequence[str]) -> dict[str, Metrics]:
        result = {}
        ids = list(remote_ids)
        for start in range(0, len(ids), 100):  # GET /2/tweets takes up to 100 ids
            for tweet in self.client.tweets(ids[start : start + 100]):
                public = tweet.get("public_metrics") or {}
                result[str(tweet["id"])] = Metrics(
                    likes=public.get("like_count"),
                    shares=(public.get("retweet_count") or 0) + (public.get("quote_count") or 0),
                    comments=public.get("reply_count"),
                    impressions=public.get("impression_count"),
                    raw=dict(public),
                )
        return result

    def fetch_conversations(self, since: dt.datetime | None) -> list[Conversation]:
        found: list[Conversation] = []
        token = ""
        for _page in range(5):
            data = self.client.mentions(
                self.account.remote_id, start_time=_iso(since) if since else "", token=token
            )
            users = {u["id"]: u for u in (data.get("includes") or {}).get("users", [])}
            for tweet in data.get("data", []):
                author = users.get(tweet.get("author_id"), {})
                replied = [
                    str(r["id"])
                    for r in tweet.get("referenced_tweets") or []
                    if r.get("type") == "replied_to"
                ]
                to_us = str(tweet.get("in_reply_to_user_id") or "") == self.account.remote_id
                found.append(
                    Conversation(
                        remote_id=str(tweet["id"]),
                        kind="reply" if replied and to_us else "mention",
                        text=str(tweet.get("text") or ""),
                        author_name=str(author.get("name") or ""),
                        author_handle="@" + str(author.get("username") or ""),
                        created_at=_when(tweet.get("created_at")),
                        url=f"https://x.com/{author.get('username') or 'i'}/status/{tweet['id']}",
                        in_reply_to=replied[0] if replied else "",
                        post_remote_id=replied[0] if replied and to_us else "",
                        raw=tweet,
                    )
                )
            token = str((data.get("meta") or {}).get("next_token") or "")
            if not token:
                break
        return found

    # --- reading back (pay per use: metered by the read quota, off until turned on) ---------
    def _tweets(self, data: dict[str, Any], kind: str) -> tuple[Conversation, ...]:
        users = {u["id"]: u for u in (data.get("includes") or {}).get("users", [])}
        found = []
        for tweet in data.get("data", []):
            author = users.get(tweet.get("author_id"), {})
            replied = [
                str(r["id"])
                for r in tweet.get("referenced_tweets") or []
                if r.get("type") == "replied_to"
            ]
            to_us = str(tweet.get("in_reply_to_user_id") or "") == self.account.remote_id
            found.append(
                Conversation(
                    remote_id=str(tweet["id"]),
                    kind="reply" if kind == "mention" and replied and to_us else kind,
                    text=str(tweet.get("text") or ""),
                    author_name=str(author.get("name") or ""),
                    author_handle="@" + str(author.get("username") or ""),
                    created_at=_when(tweet.get("created_at")),
                    url=f"https://x.com/{author.get('username') or 'i'}/status/{tweet['id']}",
                    in_reply_to=replied[0] if replied else "",
                    post_remote_id=replied[0] if replied and to_us else "",
                    raw=tweet,
                )
            )
        return tuple(found)

    def fetch_mentions(self, cursor: str = "") -> Page:
        data = self.client.mentions(self.account.remote_id, start_time="", token=cursor)
        return Page(
            self._tweets(data, "mention"),
            cursor=str((data.get("meta") or {}).get("next_token") or ""),
        )

    def search(self, query: str, cursor: str = "") -> Page:
        data = self.client.search_recent(query.strip(), token=cursor)
        return Page(
            self._tweets(data, "search"),
            cursor=str((data.get("meta") or {}).get("next_token") or ""),
        )

    def hide(self, remote_id: str, *, hidden: bool = True) -> None:
        self.client.hide_reply(remote_id, hidden)

    @classmethod
    def handle_webhook(
        cls, request: WebhookRequest, *, secret: str, verify_token: str = ""
    ) -> WebhookAnswer:
        """Account Activity: the CRC (``crc_token``), then ``x-twitter-webhooks-signature``;
        ``tweet_create_events`` that mention or answer the account become mentions."""
        handshake = x_crc(request, consumer_secret=secret)
        if handshake is not None:
            return handshake
        x_check(request, consumer_secret=secret)
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            body = {}
        account = str(body.get("for_user_id") or "") if isinstance(body, dict) else ""
        items = []
        for tweet in (body.get("tweet_create_events") or []) if isinstance(body, dict) else []:
            user = tweet.get("user") or {}
            if str(user.get("id_str") or "") == account:
                continue  # the account's own posts
            reply_to = str(tweet.get("in_reply_to_status_id_str") or "")
            items.append(
                Conversation(
                    remote_id=str(tweet.get("id_str") or ""),
                    kind="reply" if reply_to else "mention",
                    text=str(tweet.get("text") or ""),
                    author_name=str(user.get("name") or ""),
                    author_handle="@" + str(user.get("screen_name") or ""),
                    created_at=_twitter_time(tweet.get("created_at")),
                    in_reply_to=reply_to,
                    post_remote_id=reply_to,
                    raw=tweet,
                    account_remote_id=account,
                )
            )
        return WebhookAnswer(delivery=delivery_id(request), items=tuple(items))

    # --- credentials ------------------------------------------------------------------------
    @classmethod
    def oauth_app(cls) -> OAuthApp | None:
        client_id = getattr(settings, "KERYX_X_CLIENT_ID", "")
        if not client_id:
            return None
        return OAuthApp(client_id=client_id, client_secret=settings.KERYX_X_CLIENT_SECRET)

    def _app(self) -> OAuthApp:
        app = self.oauth_app()
        if app is None:
            raise Rejected(_("X is not set up on this Keryx: set KERYX_X_CLIENT_ID."))
        return app

    def refresh_credentials(self) -> ConnectedAccount | None:
        """Exchange the refresh token (it rotates: the new one replaces it at once)."""
        refresh = str(self.account.credentials.get("refresh_token", ""))
        if not refresh:
            return None
        app = self._app()
        token = XClient().exchange(
            {"grant_type": "refresh_token", "refresh_token": refresh},
            client_id=app.client_id,
            client_secret=app.client_secret,
        )
        credentials = _credentials(token, previous=self.account.credentials)
        expires = expires_at(token)
        self.renewed(credentials, expires)
        return ConnectedAccount(
            remote_id=self.account.remote_id,
            name=self.account.handle,
            handle=self.account.handle,
            credentials=credentials,
            token_expires_at=expires,
        )

    def verify(self) -> ConnectedAccount:
        return _account(self.client.me(), dict(self.account.credentials), None)

    def revoke(self) -> None:
        app = self._app()
        self.client.revoke(client_id=app.client_id, client_secret=app.client_secret)

    @classmethod
    def authorize_url(
        cls,
        *,
        redirect_uri: str,
        state: str,
        base_url: str = "",
        app: OAuthApp | None = None,
    ) -> Authorization:
        app = app or cls.oauth_app()
        if app is None:
            raise Rejected(_("X is not set up on this Keryx: set KERYX_X_CLIENT_ID."))
        verifier = new_code_verifier()
        url = with_query(
            AUTHORIZE,
            {
                "response_type": "code",
                "client_id": app.client_id,
                "redirect_uri": redirect_uri,
                "scope": SCOPES,
                "state": state,
                "code_challenge": code_challenge(verifier),
                "code_challenge_method": "S256",
            },
        )
        return Authorization(url=url, state=state, code_verifier=verifier)

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
        app = app or cls.oauth_app()
        if app is None:
            raise Rejected(_("X is not set up on this Keryx: set KERYX_X_CLIENT_ID."))
        token = XClient().exchange(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": authorization.code_verifier,
            },
            client_id=app.client_id,
            client_secret=app.client_secret,
        )
        credentials = _credentials(token, previous={})
        me = XClient(credentials["access_token"]).me()
        return [_account(me, credentials, expires_at(token))]


def _credentials(token: dict[str, Any], *, previous: dict[str, Any]) -> dict[str, Any]:
    return {
        "access_token": token["access_token"],
        # X rotates refresh tokens; keep the old one only if no new one came.
        "refresh_token": token.get("refresh_token") or previous.get("refresh_token", ""),
        "scope": token.get("scope", previous.get("scope", "")),
    }


def _account(
    me: dict[str, Any], credentials: dict[str, Any], expires: dt.datetime | None
) -> ConnectedAccount:
    return ConnectedAccount(
        remote_id=str(me["id"]),
        name=str(me.get("name") or me.get("username") or ""),
        handle="@" + str(me.get("username") or ""),
        profile_url=f"https://x.com/{me.get('username')}",
        avatar_url=str(me.get("profile_image_url") or ""),
        credentials=credentials,
        token_expires_at=expires,
    )


def _twitter_time(value: Any) -> dt.datetime:
    """``Wed Oct 10 20:19:24 +0000 2018`` (v1.1 payloads in Account Activity)."""
    try:
        return dt.datetime.strptime(str(value), "%a %b %d %H:%M:%S %z %Y")
    except ValueError:
        return dt.datetime.now(dt.UTC)


CONNECTOR = XConnector
