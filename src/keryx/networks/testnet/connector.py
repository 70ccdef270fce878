"""The test network's connector. Refuses to work unless KERYX_ENABLE_TEST_NETWORK is on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone

from keryx.networks.base import (
    AccountState,
    ConnectedAccount,
    Connector,
    Conversation,
    CredentialsSaver,
    Metrics,
    Page,
    Published,
    PublishRequest,
    Rejected,
)
from keryx.networks.testnet.client import TestNetClient
from keryx.networks.testnet.spec import SPEC


def _published(post: dict[str, object]) -> Published:
    created = str(post.get("created_at") or "")
    try:
        when: dt.datetime | None = dt.datetime.fromisoformat(created)
    except ValueError:
        when = None
    return Published(remote_id=str(post["id"]), url=str(post.get("url") or ""), published_at=when)


class TestNetConnector(Connector):
    key = "testnet"
    label = "Test network"
    capabilities = SPEC.capabilities

    def __init__(
        self, account: AccountState, *, on_credentials: CredentialsSaver | None = None
    ) -> None:
        if not getattr(settings, "KERYX_ENABLE_TEST_NETWORK", False):
            raise Rejected("The test network is switched off (KERYX_ENABLE_TEST_NETWORK).")
        super().__init__(account, on_credentials=on_credentials)
        timeout = float(account.server_limits.get("timeout_seconds") or 10.0)
        self.client = TestNetClient(
            base_url=account.base_url,
            token=str(account.credentials.get("access_token", "")),
            timeout=timeout,
        )

    def publish(self, request: PublishRequest) -> Published:
        self.refuse_unsupported(request)
        payload = {
            "text": request.text,
            "link": request.link,
            "first_comment": request.first_comment,
            "thread": list(request.thread),
            "media": [m.path.name for m in request.media],
            "fingerprint": request.fingerprint,
        }
        return _published(self.client.create_post(payload, idempotency_key=request.idempotency_key))

    def verify(self) -> ConnectedAccount:
        """An authenticated read: a refused token answers 401, which is ``AuthExpired``."""
        self.client.find(fingerprint="", since=timezone.now())
        return ConnectedAccount(
            remote_id=self.account.remote_id,
            name=self.account.handle or self.label,
            handle=self.account.handle,
            base_url=self.account.base_url,
            credentials=dict(self.account.credentials),
        )

    def find_published(self, fingerprint: str, *, since: dt.datetime) -> Published | None:
        posts = self.client.find(fingerprint=fingerprint, since=since)
        return _published(posts[0]) if posts else None

    def delete(self, remote_id: str) -> None:
        self.client.delete(remote_id)

    def reply(self, remote_id: str, text: str) -> Published:
        return _published(self.client.create_post({"text": text, "in_reply_to": remote_id}))

    def fetch_metrics(self, remote_ids: Sequence[str]) -> dict[str, Metrics]:
        result = {}
        for remote_id in remote_ids:
            data = self.client.metrics(remote_id)
            result[remote_id] = Metrics(
                likes=data.get("likes"),
                shares=data.get("shares"),
                comments=data.get("comments"),
                impressions=data.get("impressions"),
                raw=data,
            )
        return result

    def fetch_conversations(self, since: dt.datetime | None) -> list[Conversation]:
        return []

    def fetch_comments(self, post_remote_id: str, cursor: str = "") -> Page:
        """The post's comments, a page at a time, oldest first (the cursor is the server's)."""
        data = self.client.comments(post_remote_id, cursor=cursor)
        items = tuple(
            Conversation(
                remote_id=str(c["id"]),
                kind="comment",
                text=str(c.get("text") or ""),
                author_name=str(c.get("author") or ""),
                author_handle="@" + str(c.get("author") or ""),
                created_at=dt.datetime.fromisoformat(str(c["created_at"])),
                in_reply_to=post_remote_id,
                post_remote_id=post_remote_id,
                raw=c,
            )
            for c in data.get("comments", [])
        )
        return Page(items, cursor=str(data.get("next") or ""))

    def refresh_credentials(self) -> ConnectedAccount | None:
        refresh = str(self.account.credentials.get("refresh_token", ""))
        if not refresh:
            return None
        data = self.client.refresh(refresh)
        return ConnectedAccount(
            remote_id=self.account.remote_id,
            name=self.account.handle or self.account.remote_id,
            handle=self.account.handle,
            base_url=self.account.base_url,
            credentials={**self.account.credentials, "access_token": data["access_token"]},
            token_expires_at=timezone.now() + dt.timedelta(seconds=int(data["expires_in"])),
        )


CONNECTOR = TestNetConnector
