"""The one interface every network connector implements.

A connector is built for one connected account (its credentials, server and limits) and
talks to the network only through its own ``client.py``, which uses
:class:`keryx.core.http.OutboundClient` and maps the network's error payloads to the typed
errors below. The publishing pipeline, the inbox and analytics call only this interface.

Each connector declares what it can do (:class:`Capabilities`) as data; the shared contract
suite (tests/networks/contract.py) holds every connector to the same behaviour:

- ``publish`` refuses, before any request, what the connector declares it cannot do
  (:meth:`Connector.refuse_unsupported`), so nothing is silently dropped;
- every failure is one of the typed errors; ``Unconfirmed`` whenever a write may have reached
  the network, and the connector never repeats such a write by itself.

Connectors never touch the database: a connector that renews its tokens during a call hands
the new credentials to ``on_credentials`` (the networks domain stores them encrypted).
"""

from __future__ import annotations

import abc
import datetime as dt
import hashlib
import html
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keryx.core.http import (
    AuthExpired,
    OutboundError,
    RateLimited,
    Rejected,
    Unavailable,
    Unconfirmed,
)

__all__ = [
    "AccountState",
    "Audience",
    "AuthExpired",
    "Authorization",
    "BadSignature",
    "Capabilities",
    "ConnectedAccount",
    "Connector",
    "Conversation",
    "MediaFile",
    "Metrics",
    "OAuthApp",
    "Page",
    "PublishRequest",
    "Published",
    "RateLimited",
    "Rejected",
    "Unavailable",
    "Unconfirmed",
    "Unsupported",
    "WebhookAnswer",
    "WebhookRequest",
    "content_fingerprint",
    "plain_text",
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
    # A content fingerprint the reconciler can look for on the network
    # (:func:`content_fingerprint` of the text).
    fingerprint: str = ""
    # The language of the text (ISO 639-1), for networks that take it (Mastodon, Bluesky).
    language: str = ""


_TAGS = re.compile(r"<[^>]+>")
_URLS = re.compile(r"https?://\S+|\b[\w.-]+\.[a-z]{2,}/\S*", re.IGNORECASE)
_BREAKS = re.compile(r"<br\s*/?>|</p>", re.IGNORECASE)


def plain_text(markup: str) -> str:
    """Text from a network's HTML (Mastodon statuses): tags dropped, entities undone."""
    return html.unescape(_TAGS.sub("", _BREAKS.sub("\n", markup))).strip()


def content_fingerprint(text: str) -> str:
    """A fingerprint of a post's words that survives what networks do to a post: HTML
    markup (Mastodon), shortened or rewritten links (X's t.co), whitespace, case, Unicode
    normalisation. The pipeline sends ``content_fingerprint(variant.text)`` in
    :class:`PublishRequest`; ``find_published`` compares it with the posts it reads back."""
    plain = html.unescape(_TAGS.sub("", _BREAKS.sub(" ", text)))
    plain = _URLS.sub("", unicodedata.normalize("NFKC", plain))
    words = "".join(plain.casefold().split())
    return "kx-" + hashlib.sha256(words.encode("utf-8")).hexdigest()[:20]


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
    # A field the network does not give stays None (never 0): "not known" is not "none".
    video_views: int | None = None
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
    # Which account it is for, when one delivery carries several (a Meta webhook).
    account_remote_id: str = ""


class Unsupported(OutboundError):
    """The network has no such read or action (or the connector does not declare it): raised
    before any request."""

    code = "unsupported"


@dataclass(frozen=True)
class Page:
    """One page of a paged read. ``cursor`` is where the next page starts, to be passed back
    as is (the sync layer stores it, so a sweep killed halfway resumes there); empty when
    this page was the last."""

    items: tuple[Conversation, ...] = ()
    cursor: str = ""

    @property
    def last(self) -> bool:
        return not self.cursor


@dataclass(frozen=True)
class Audience:
    """The account's audience as the network tells it (None where it does not)."""

    followers: int | None = None
    following: int | None = None
    posts: int | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class WebhookRequest:
    """An inbound request from a network, as the connector needs it (no Django objects)."""

    method: str
    headers: Mapping[str, str]  # lower-case names
    query: Mapping[str, str]
    body: bytes = b""


@dataclass(frozen=True)
class WebhookAnswer:
    """What to answer the network (a handshake's challenge, or 200), and what it delivered:
    ``delivery`` identifies the delivery (stored once), ``items`` the comments or mentions in
    it, ``handshake`` True for a subscription check that carries no data."""

    status: int = 200
    body: str = ""
    content_type: str = "text/plain"
    delivery: str = ""
    items: tuple[Conversation, ...] = ()
    handshake: bool = False


class BadSignature(OutboundError):
    """An inbound webhook whose signature does not match: refused and logged, never stored."""

    code = "bad_signature"


@dataclass(frozen=True)
class Authorization:
    """Where to send the user to authorise Keryx, and what to keep until they come back."""

    url: str
    state: str
    code_verifier: str = ""
    # Whatever else the connector needs back at the callback (kept server-side, encrypted).
    extra: dict[str, Any] = field(default_factory=dict)


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


@dataclass(frozen=True)
class Capabilities:
    """What a connector can do, declared as data (the composer, the pipeline and the contract
    suite read it; nothing else branches on a network's key). Text and media *limits* are the
    rules engineer's data in ``networks/<key>/rules.py``."""

    images: int = 0  # most images in one post (0: none)
    video: bool = False
    alt_text: bool = False  # image descriptions are sent to the network
    link_preview: bool = False  # the network shows a card for ``PublishRequest.link``
    first_comment: bool = False
    thread: bool = False  # ``PublishRequest.thread`` published as replies to the first post
    reply: bool = True
    delete: bool = True
    metrics: bool = True
    conversations: bool = True
    direct_messages: bool = False
    find_published: bool = True  # the reconciler can look a post up by its fingerprint
    idempotency: bool = False  # the network de-duplicates writes by ``idempotency_key``
    idempotency_window: int = 0  # …for this many seconds (Mastodon keeps keys an hour)
    refresh: bool = False  # credentials expire and are renewed by ``refresh_credentials``
    connect: str = "oauth"  # "oauth" (redirect) or "form" (handle + password, URL + secret)
    pkce: bool = False  # the OAuth flow uses PKCE (S256)
    # Reading back (docs/networks/README.md#reading-back): each is a method of the connector
    # that raises ``Unsupported`` when False.
    comments: bool = False  # fetch_comments(post, cursor)
    mentions: bool = False  # fetch_mentions(cursor)
    hide: bool = False  # hide(comment) on the network
    delete_comment: bool = False  # delete_comment(comment)
    # …anyone's comment under our posts (Facebook, Instagram); False: only our own replies
    # (Bluesky: a record can be deleted only from the repository that holds it).
    delete_others_comments: bool = True
    search: bool = False  # search(query, cursor)
    audience: bool = False  # fetch_audience()
    webhooks: bool = False  # handle_webhook(request): signed push from the network

    def reads(self) -> tuple[str, ...]:
        """The read capabilities this network has, by name."""
        names = ("comments", "mentions", "hide", "delete_comment", "search", "audience")
        return tuple(n for n in (*names, "metrics", "webhooks") if getattr(self, n))


@dataclass(frozen=True)
class OAuthApp:
    """The developer app Keryx authorises as: from settings (X, Meta, LinkedIn) or registered
    on the fly with the server (Mastodon)."""

    client_id: str
    client_secret: str = ""
    base_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


READ_NAMES = {
    "comments": gettext_lazy("comments"),
    "mentions": gettext_lazy("mentions"),
    "search": gettext_lazy("search"),
    "hide": gettext_lazy("hiding of comments"),
    "delete_comment": gettext_lazy("deleting of comments"),
    "audience": gettext_lazy("audience numbers"),
}

CredentialsSaver = Callable[[dict[str, Any], "dt.datetime | None"], None]


class Connector(abc.ABC):
    """One network. Subclasses set ``key``, ``label`` and ``capabilities`` and implement the
    methods below."""

    key: ClassVar[str]
    label: ClassVar[str] = ""
    capabilities: ClassVar[Capabilities] = Capabilities()

    def __init__(
        self, account: AccountState, *, on_credentials: CredentialsSaver | None = None
    ) -> None:
        self.account = account
        # Called with (credentials, expires_at) when the connector renewed its tokens itself.
        self.on_credentials = on_credentials

    # --- checking ---------------------------------------------------------------------------
    def text_with_link(self, request: PublishRequest) -> str:
        """The text to send: the request's link appended where this network shows no card
        for it (``keryx.networks.rules.text_as_sent``, which the checks count too)."""
        from keryx.networks.rules import get_rules, text_as_sent

        return text_as_sent(get_rules(self.key), request.text, request.link, len(request.media))

    def validate(self, request: PublishRequest) -> Any:
        """The network's rules (``keryx.networks.rules.check_variant``: the same checks the
        composer shows live), with this account's own limits (:meth:`check_options`).
        Returns the rules' ``TextCheck`` (``valid``, ``errors``, ``warnings``, ``facets``)."""
        from keryx.networks.rules import MediaInfo, check_variant

        media = [
            MediaInfo(
                kind="video"
                if m.mime.startswith("video/")
                else ("gif" if m.mime == "image/gif" else "image"),
                mime=m.mime,
                width=m.width or 0,
                height=m.height or 0,
                bytes=m.bytes or 0,
                alt_text=m.alt_text,
            )
            for m in request.media
        ]
        return check_variant(
            self.key, request.text, media, options=self.check_options(), link=request.link
        )

    def check_options(self) -> Any:
        """The rules' ``CheckOptions`` for this account (a Mastodon server's own limits):
        the spec's ``options_for``, the same code path the composer's checks take."""
        from keryx.networks.registry import spec

        return spec(self.key).options_for(self.account.server_limits)

    def unsupported(self, request: PublishRequest) -> list[str]:
        """What in ``request`` this connector cannot publish, in words for people."""
        caps = self.capabilities
        name = self.label or self.key
        problems: list[str] = []
        images = [m for m in request.media if m.mime.startswith("image/")]
        videos = [m for m in request.media if m.mime.startswith("video/")]
        others = sorted({m.mime for m in request.media if m not in images and m not in videos})
        if len(images) > caps.images:
            problems.append(
                _("%(network)s takes at most %(most)d images in a post; this one has %(count)d.")
                % {"network": name, "most": caps.images, "count": len(images)}
            )
        if videos and not caps.video:
            problems.append(_("Keryx cannot publish video to %(network)s.") % {"network": name})
        if others:
            problems.append(
                _("%(network)s cannot take files of type %(types)s.")
                % {"network": name, "types": ", ".join(others)}
            )
        if request.first_comment and not caps.first_comment:
            problems.append(_("%(network)s has no first comment.") % {"network": name})
        if request.thread and not caps.thread:
            problems.append(_("Keryx cannot publish a thread to %(network)s.") % {"network": name})
        return problems

    def refuse_unsupported(self, request: PublishRequest) -> None:
        """Raise ``Rejected`` (before any request) for what the connector cannot do."""
        problems = self.unsupported(request)
        if problems:
            raise Rejected(" ".join(problems))

    def renewed(self, credentials: dict[str, Any], expires_at: dt.datetime | None) -> None:
        """Report tokens the connector renewed by itself during a call."""
        if self.on_credentials is not None:
            self.on_credentials(credentials, expires_at)

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
    def fetch_metrics(self, remote_ids: Sequence[str]) -> dict[str, Metrics]:
        """Numbers for many posts in as few requests as the network allows (one per batch
        where it takes a batch). A number the network does not give is None, never 0."""

    @abc.abstractmethod
    def fetch_conversations(self, since: dt.datetime | None) -> list[Conversation]: ...

    def unsupported_read(self, capability: str) -> Unsupported:
        return Unsupported(
            _("%(network)s has no %(read)s that Keryx can read.")
            % {"network": self.label or self.key, "read": READ_NAMES.get(capability, capability)}
        )

    def fetch_comments(self, post_remote_id: str, cursor: str = "") -> Page:
        """Comments and replies under one of the account's posts, one page at a time."""
        raise self.unsupported_read("comments")

    def fetch_mentions(self, cursor: str = "") -> Page:
        """Posts that mention the account, newest first, one page at a time."""
        raise self.unsupported_read("mentions")

    def search(self, query: str, cursor: str = "") -> Page:
        """Public posts matching ``query`` (a hashtag or words, as the network searches)."""
        raise self.unsupported_read("search")

    def hide(self, remote_id: str, *, hidden: bool = True) -> None:
        """Hide (or show again) a comment under the account's post."""
        raise self.unsupported_read("hide")

    def delete_comment(self, remote_id: str) -> None:
        raise self.unsupported_read("delete_comment")

    def fetch_audience(self) -> Audience:
        raise self.unsupported_read("audience")

    @classmethod
    def handle_webhook(
        cls, request: WebhookRequest, *, secret: str, verify_token: str = ""
    ) -> WebhookAnswer:
        """Answer the network's handshake, or check a delivery's signature and read what it
        carries. Raises ``BadSignature`` for a delivery that is not the network's."""
        raise Unsupported(_("%(network)s sends no webhooks to Keryx.") % {"network": cls.label})

    # --- credentials ------------------------------------------------------------------------
    def refresh_credentials(self) -> ConnectedAccount | None:
        """New credentials if they were refreshed, None if nothing needed doing.
        Raises ``AuthExpired`` when the account must be reconnected."""
        return None

    @abc.abstractmethod
    def verify(self) -> ConnectedAccount:
        """Check that the credentials work and return the account as the network sees it now
        (the health check). Raises ``AuthExpired`` when they do not."""

    def revoke(self) -> None:
        """Best effort: tell the network to forget Keryx's token (on disconnect)."""
        return None

    @classmethod
    def oauth_app(cls) -> OAuthApp | None:
        """The developer app from settings, or None when it is not configured."""
        return None

    @classmethod
    def register_app(cls, *, base_url: str, redirect_uri: str) -> OAuthApp:
        """Register Keryx with a server that has one app per instance (Mastodon)."""
        raise Rejected(_("%(network)s has no app registration.") % {"network": cls.label})

    @classmethod
    def authorize_url(
        cls,
        *,
        redirect_uri: str,
        state: str,
        base_url: str = "",
        app: OAuthApp | None = None,
    ) -> Authorization:
        """Where to send the user; the connector makes the PKCE verifier when it uses one."""
        raise Rejected(
            _("%(network)s accounts are connected with a form.") % {"network": cls.label}
        )

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
        """Exchange the code for tokens; one or more accounts (a user's Facebook Pages)."""
        raise Rejected(
            _("%(network)s accounts are connected with a form.") % {"network": cls.label}
        )

    @classmethod
    def connect_form(cls, *, data: Mapping[str, str]) -> ConnectedAccount:
        """Connect with what the user typed (Bluesky handle + app password, webhook URL)."""
        raise Rejected(
            _("%(network)s accounts are connected by signing in.") % {"network": cls.label}
        )
