"""Mastodon, on any server: Keryx registers itself with the server (one app per server),
the user authorises it with OAuth (PKCE), and every status carries an ``Idempotency-Key``."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.utils.dateparse import parse_datetime
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
    Rejected,
    content_fingerprint,
    plain_text,
)
from keryx.networks.mastodon.client import SCOPES, MastodonClient
from keryx.networks.mastodon.spec import SPEC
from keryx.networks.oauth import code_challenge, new_code_verifier, with_query

IDEMPOTENCY_WINDOW = SPEC.capabilities.idempotency_window


def _when(value: Any) -> dt.datetime:
    parsed = parse_datetime(str(value or "")) if value else None
    return parsed or dt.datetime.fromtimestamp(0, tz=dt.UTC)


def server_limits(instance: dict[str, Any]) -> dict[str, Any]:
    """The limits the composer checks against, from ``GET /api/v2/instance``."""
    config = instance.get("configuration") or {}
    statuses = config.get("statuses") or {}
    media = config.get("media_attachments") or {}
    limits = {
        "max_characters": statuses.get("max_characters"),
        "max_media_attachments": statuses.get("max_media_attachments"),
        "characters_reserved_per_url": statuses.get("characters_reserved_per_url"),
        "supported_mime_types": media.get("supported_mime_types"),
        "description_limit": media.get("description_limit"),
        "image_size_limit": media.get("image_size_limit"),
        "video_size_limit": media.get("video_size_limit"),
        "version": instance.get("version"),
    }
    return {k: v for k, v in limits.items() if v is not None}


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) else None


def _account(data: dict[str, Any], base_url: str) -> ConnectedAccount:
    return ConnectedAccount(
        remote_id=str(data["id"]),
        name=str(data.get("display_name") or data.get("username") or ""),
        handle=f"@{data.get('acct') or data.get('username')}@{MastodonClient(base_url).server}",
        profile_url=str(data.get("url") or ""),
        avatar_url=str(data.get("avatar") or ""),
        base_url=base_url.rstrip("/"),
    )


def _published(status: dict[str, Any]) -> Published:
    return Published(
        remote_id=str(status["id"]),
        url=str(status.get("url") or status.get("uri") or ""),
        published_at=_when(status.get("created_at")),
    )


class MastodonConnector(Connector):
    key = "mastodon"
    label = "Mastodon"
    capabilities = SPEC.capabilities

    @property
    def client(self) -> MastodonClient:
        return MastodonClient(
            self.account.base_url, str(self.account.credentials.get("access_token", ""))
        )

    def unsupported(self, request: PublishRequest) -> list[str]:
        problems = super().unsupported(request)
        most = self.account.server_limits.get("max_media_attachments")
        if isinstance(most, int) and len(request.media) > most and not problems:
            problems.append(
                _("This Mastodon server takes at most %(most)d attachments in a post.")
                % {"most": most}
            )
        return problems

    # --- writing ----------------------------------------------------------------------------
    def _status(
        self,
        text: str,
        *,
        key: str,
        key_is_kept: bool,
        reply_to: str = "",
        media_ids: Sequence[str] = (),
        language: str = "",
    ) -> dict[str, Any]:
        params: dict[str, Any] = {"status": text, "visibility": "public"}
        if media_ids:
            params["media_ids[]"] = list(media_ids)
        if reply_to:
            params["in_reply_to_id"] = reply_to
        if language:
            params["language"] = language
        return self.client.post_status(params, idempotency_key=key, key_is_kept=key_is_kept)

    def publish(self, request: PublishRequest) -> Published:
        self.refuse_unsupported(request)
        client = self.client
        media_ids = [
            str(client.upload_media(path=m.path, mime=m.mime, description=m.alt_text)["id"])
            for m in request.media
        ]
        text = self.text_with_link(request)
        # Every status carries a key; only the pipeline's own key survives its retries.
        key = request.idempotency_key or uuid.uuid4().hex
        kept = bool(request.idempotency_key)
        first = self._status(
            text, key=key, key_is_kept=kept, media_ids=media_ids, language=request.language
        )
        published = _published(first)
        if not request.thread:
            return published
        # The first post is out: a failing reply is reported, never raised (raising would
        # make the pipeline publish the first post again).
        previous, replies, error = str(first["id"]), [], ""
        for index, part in enumerate(request.thread, start=1):
            try:
                status = self._status(
                    part,
                    key=f"{key}:{index}",
                    key_is_kept=kept,
                    reply_to=previous,
                    language=request.language,
                )
            except Exception as exc:
                error = str(getattr(exc, "message", "") or exc)
                break
            previous = str(status["id"])
            replies.append(previous)
        return Published(
            remote_id=published.remote_id,
            url=published.url,
            published_at=published.published_at,
            extra={"thread_ids": replies, "thread_error": error},
        )

    def find_published(self, fingerprint: str, *, since: dt.datetime) -> Published | None:
        client = self.client
        for status in client.account_statuses(self.account.remote_id):
            if _when(status.get("created_at")) < since:
                continue
            if content_fingerprint(str(status.get("content", ""))) == fingerprint:
                return _published(status)
        return None

    def delete(self, remote_id: str) -> None:
        self.client.delete_status(remote_id)

    def reply(self, remote_id: str, text: str) -> Published:
        return _published(
            self._status(text, key=uuid.uuid4().hex, key_is_kept=False, reply_to=remote_id)
        )

    # --- reading ----------------------------------------------------------------------------
    def fetch_metrics(self, remote_ids: Sequence[str]) -> dict[str, Metrics]:
        if not remote_ids:
            return {}
        result = {}
        for status in self.client.statuses(list(remote_ids)):
            result[str(status["id"])] = Metrics(
                likes=int(status.get("favourites_count") or 0),
                shares=int(status.get("reblogs_count") or 0),
                comments=int(status.get("replies_count") or 0),
                raw={
                    k: status.get(k) for k in ("favourites_count", "reblogs_count", "replies_count")
                },
            )
        return result

    def fetch_conversations(self, since: dt.datetime | None) -> list[Conversation]:
        found: list[Conversation] = []
        max_id = ""
        for _page in range(10):
            page = self.client.notifications(max_id=max_id)
            for note in page:
                created = _when(note.get("created_at"))
                if since is not None and created < since:
                    return found
                status = note.get("status") or {}
                account = note.get("account") or {}
                reply_to = str(status.get("in_reply_to_id") or "")
                mine = str(status.get("in_reply_to_account_id") or "") == self.account.remote_id
                found.append(
                    Conversation(
                        remote_id=str(status.get("id") or note["id"]),
                        kind="reply" if reply_to and mine else "mention",
                        text=plain_text(str(status.get("content") or "")),
                        author_name=str(account.get("display_name") or account.get("username")),
                        author_handle="@" + str(account.get("acct") or ""),
                        created_at=created,
                        url=str(status.get("url") or ""),
                        in_reply_to=reply_to,
                        post_remote_id=reply_to if mine else "",
                        raw=note,
                    )
                )
            if not page:
                break
            max_id = str(page[-1]["id"])
        return found

    # --- reading back -----------------------------------------------------------------------
    PAGE_SIZE = 40

    def _item(self, status: dict[str, Any], kind: str, post_remote_id: str = "") -> Conversation:
        author = status.get("account") or {}
        reply_to = str(status.get("in_reply_to_id") or "")
        return Conversation(
            remote_id=str(status.get("id") or ""),
            kind=kind,
            text=plain_text(str(status.get("content") or "")),
            author_name=str(author.get("display_name") or author.get("username") or ""),
            author_handle="@" + str(author.get("acct") or ""),
            created_at=_when(status.get("created_at")),
            url=str(status.get("url") or ""),
            in_reply_to=reply_to,
            post_remote_id=post_remote_id,
            raw=status,
        )

    def fetch_mentions(self, cursor: str = "") -> Page:
        """Mention notifications, newest first; the cursor is the ``max_id`` of the next
        page (docs.joinmastodon.org/methods/notifications/#get)."""
        notes = self.client.notifications(max_id=cursor, limit=self.PAGE_SIZE)
        items = []
        for note in notes:
            status = note.get("status") or {}
            reply_to = str(status.get("in_reply_to_id") or "")
            mine = str(status.get("in_reply_to_account_id") or "") == self.account.remote_id
            items.append(
                self._item(
                    status, "reply" if reply_to and mine else "mention", reply_to if mine else ""
                )
            )
        more = len(notes) >= self.PAGE_SIZE
        return Page(tuple(items), cursor=str(notes[-1]["id"]) if notes and more else "")

    def fetch_comments(self, post_remote_id: str, cursor: str = "") -> Page:
        """Every reply below the post, in one page (the status context is not paged)."""
        context = self.client.context(post_remote_id)
        descendants = context.get("descendants") or []
        return Page(tuple(self._item(s, "comment", post_remote_id) for s in descendants))

    def search(self, query: str, cursor: str = "") -> Page:
        """A hashtag's timeline on the account's server, newest first."""
        tag = query.strip().lstrip("#")
        if not tag:
            return Page()
        statuses = self.client.tag_timeline(tag, max_id=cursor, limit=self.PAGE_SIZE)
        more = len(statuses) >= self.PAGE_SIZE
        return Page(
            tuple(self._item(s, "search") for s in statuses),
            cursor=str(statuses[-1]["id"]) if statuses and more else "",
        )

    def fetch_audience(self) -> Audience:
        data = self.client.verify_credentials()
        return Audience(
            followers=_count(data.get("followers_count")),
            following=_count(data.get("following_count")),
            posts=_count(data.get("statuses_count")),
        )

    # --- credentials ------------------------------------------------------------------------
    def verify(self) -> ConnectedAccount:
        client = self.client
        account = _account(client.verify_credentials(), self.account.base_url)
        return replace(
            account,
            credentials=dict(self.account.credentials),
            server_limits=server_limits(client.instance()),
        )

    def revoke(self) -> None:
        creds = self.account.credentials
        self.client.revoke(
            client_id=str(creds.get("client_id", "")),
            client_secret=str(creds.get("client_secret", "")),
        )

    @classmethod
    def register_app(cls, *, base_url: str, redirect_uri: str) -> OAuthApp:
        data = MastodonClient(base_url).register_app(
            client_name="Keryx", redirect_uri=redirect_uri, website=settings.KERYX_BASE_URL
        )
        return OAuthApp(
            client_id=str(data["client_id"]),
            client_secret=str(data["client_secret"]),
            base_url=base_url.rstrip("/"),
        )

    @classmethod
    def authorize_url(
        cls,
        *,
        redirect_uri: str,
        state: str,
        base_url: str = "",
        app: OAuthApp | None = None,
    ) -> Authorization:
        if app is None or not base_url:
            raise Rejected(_("Enter the address of your Mastodon server."))
        verifier = new_code_verifier()
        url = with_query(
            f"{base_url.rstrip('/')}/oauth/authorize",
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
        if app is None or not base_url:
            raise Rejected(_("Enter the address of your Mastodon server."))
        token = MastodonClient(base_url).exchange_code(
            client_id=app.client_id,
            client_secret=app.client_secret,
            redirect_uri=redirect_uri,
            code=code,
            verifier=authorization.code_verifier,
        )
        client = MastodonClient(base_url, str(token["access_token"]))
        account = _account(client.verify_credentials(), base_url)
        credentials = {
            "access_token": token["access_token"],
            "scope": token.get("scope", SCOPES),
            "client_id": app.client_id,
            "client_secret": app.client_secret,
        }
        return [
            replace(
                account, credentials=credentials, server_limits=server_limits(client.instance())
            )
        ]


CONNECTOR = MastodonConnector
