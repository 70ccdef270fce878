"""The one interface every network connector implements.

A connector is built for one connected account (its credentials, server and limits) and
talks to the network only through its own ``client.py``, which uses
:class:`keryx.core.http.OutboundClient` and maps the network's error payloads to the typed
errors below. The publishing pipeline, the inbox and analytics call only this interface.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from keryx.core.http import AuthExpired, RateLimited, Rejected, Unavailable, Unconfirmed

__all__ = [
    "AccountState",
    "AuthExpired",
    "Authorization",
    "ConnectedAccount",
    "Connector",
    "Conversation",
    "MediaFile",
    "Metrics",
    "PublishRequest",
    "Published",
    "RateLimited",
    "Rejected",
    "Unavailable",
    "Unconfirmed",
]


@dataclass(frozen=True)
class AccountState:
    """What a connector needs to know about the account it acts for (no ORM objects)."""

    network: str
    remote_id: str = ""
    handle: str = ""
    base_url: str = ""
    credentials: dict[str, Any] = field(default_factory=dict)
    server_limits: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MediaFile:
    path: Path
    mime: str
    alt_text: str = ""
    width: int | None = None
    height: int | None = None
    bytes: int | None = None


@dataclass(frozen=True)
class PublishRequest:
    text: str
    media: Sequence[MediaFile] = ()
    link: str = ""
    first_comment: str = ""
    # Further posts published as replies to the first (a thread), where the network has them.
    thread: Sequence[str] = ()
    # Sent as the network's idempotency key where it takes one (Mastodon's Idempotency-Key).
    idempotency_key: str = ""
    # A content fingerprint the reconciler can look for on the network.
    fingerprint: str = ""


@dataclass(frozen=True)
class Published:
    remote_id: str
    url: str = ""
    published_at: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Metrics:
    likes: int | None = None
    shares: int | None = None
    comments: int | None = None
    impressions: int | None = None
    reach: int | None = None
    clicks: int | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Conversation:
    """A comment, mention, reply or direct message read from a network."""

    remote_id: str
    kind: str  # "comment" | "mention" | "reply" | "message"
    text: str
    author_name: str
    author_handle: str
    created_at: dt.datetime
    url: str = ""
    in_reply_to: str = ""
    post_remote_id: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Authorization:
    """Where to send the user to authorise Keryx, and what to keep until they come back."""

    url: str
    state: str
    code_verifier: str = ""


@dataclass(frozen=True)
class ConnectedAccount:
    """An account the user authorised: what to store on ``NetworkAccount``."""

    remote_id: str
    name: str
    handle: str = ""
    profile_url: str = ""
    avatar_url: str = ""
    base_url: str = ""
    credentials: dict[str, Any] = field(default_factory=dict)
    token_expires_at: dt.datetime | None = None
    server_limits: dict[str, Any] = field(default_factory=dict)


class Connector(abc.ABC):
    """One network. Subclasses set ``key`` and implement the methods below."""

    key: ClassVar[str]

    def __init__(self, account: AccountState) -> None:
        self.account = account

    # --- writing ----------------------------------------------------------------------------
    @abc.abstractmethod
    def publish(self, request: PublishRequest) -> Published:
        """Publish, or raise a typed error. Must not publish twice for one idempotency key
        where the network supports keys; raises ``Unconfirmed`` when it cannot know."""

    @abc.abstractmethod
    def find_published(self, fingerprint: str, *, since: dt.datetime) -> Published | None:
        """The post with this content fingerprint published since ``since``, if any
        (the reconciler settles unconfirmed publishes with it)."""

    @abc.abstractmethod
    def delete(self, remote_id: str) -> None: ...

    @abc.abstractmethod
    def reply(self, remote_id: str, text: str) -> Published: ...

    # --- reading ----------------------------------------------------------------------------
    @abc.abstractmethod
    def fetch_metrics(self, remote_ids: Sequence[str]) -> dict[str, Metrics]: ...

    @abc.abstractmethod
    def fetch_conversations(self, since: dt.datetime | None) -> list[Conversation]: ...

    # --- credentials ------------------------------------------------------------------------
    def refresh_credentials(self) -> ConnectedAccount | None:
        """New credentials if they were refreshed, None if nothing needed doing."""
        return None

    @classmethod
    def authorize_url(cls, *, redirect_uri: str, state: str) -> Authorization:
        raise Rejected(f"{cls.key} accounts are connected with a form, not a redirect.")

    @classmethod
    def complete_authorization(
        cls, *, redirect_uri: str, code: str, authorization: Authorization, base_url: str = ""
    ) -> list[ConnectedAccount]:
        raise Rejected(f"{cls.key} accounts are connected with a form, not a redirect.")
