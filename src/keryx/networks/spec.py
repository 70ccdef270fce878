"""What a network says about itself: one :class:`NetworkSpec` per package, in
``keryx/networks/<key>/spec.py`` (``SPEC``), read by :mod:`keryx.networks.registry`.

Everything another app needs to know about a network is here, declared once: its text and
media rules, its publishing limits (quota, concurrency; idempotency comes from the
capabilities), its capabilities (which writes and reads it has), how an account's own limits
become check options, its connect form, colour, preview cut-off, share link and best-time
defaults, and its read quotas. No code outside ``keryx/networks/<key>/`` branches on a
network's key: it asks the spec (docs/decisions/0560-one-spec-per-network.md).

A spec module imports only data (its ``rules.py`` and this module); the connector and its
client import the spec, never the other way round, so listing the networks stays cheap.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from keryx.networks.base import Capabilities
from keryx.networks.rules import CheckOptions, NetworkRules

# (weekday 0 = Monday, from hour, to hour) in the account's local time.
Window = tuple[int, int, int]
ShareLink = Callable[[str, str], str]  # (page url, title) -> the network's share address
OptionsFor = Callable[[Mapping[str, Any], "AccountPolicy"], CheckOptions]

_WEEKDAYS = range(0, 5)
GENERIC_BEST_TIMES: tuple[Window, ...] = tuple(
    [(d, 9, 12) for d in _WEEKDAYS] + [(d, 17, 19) for d in _WEEKDAYS]
)


@dataclass(frozen=True)
class AccountPolicy:
    """The workspace's own choices that change a network's limits (its content policy)."""

    instagram_max_hashtags: int | None = None


@dataclass(frozen=True)
class PublishLimits:
    """How many publishes may run at once (every account of the network together; None: no
    cap) and how many posts one account may publish per window (None: no quota)."""

    concurrency: int | None = 8
    quota: int | None = None
    quota_window_hours: float = 24


@dataclass(frozen=True)
class ReadQuota:
    """A read the network meters: at most ``limit`` per ``window_hours`` per account (or
    per workspace, for X's monthly cap). ``unique``: only distinct keys count (Instagram
    counts unique hashtags, not searches)."""

    kind: str  # the read: "hashtag_search", "keyword_search", "read"
    limit: int
    window_hours: float
    unique: bool = False
    # Reads cost money (X's pay-per-use API): off until the workspace turns them on.
    opt_in: bool = False
    source: str = ""
    # The paged reads it meters (each request is one use; a ``unique`` quota counts the
    # read's scope, the hashtag, once).
    reads: tuple[str, ...] = ("search",)


@dataclass(frozen=True)
class ConnectForm:
    """How an account is connected: ``oauth`` (a redirect), ``server`` (a redirect to the
    server the user names, Mastodon) or ``form`` (what the user types: a Bluesky app
    password, a webhook URL). ``form_class`` is the Django form's dotted path; the connect
    page builds each network's form section from this declaration alone."""

    kind: str = "oauth"
    form_class: str = ""
    # Which of the account's fields fill the form again when it is reconnected (never a
    # secret): form field -> "handle" | "base_url" | "name".
    reconnect_initial: Mapping[str, str] = field(default_factory=dict)
    # What the connect page shows with the form (lazy translations): a line of help above
    # it and the submit button's words (default: "Connect <network>").
    help: str | Promise = ""
    submit: str | Promise = ""


def _no_options(limits: Mapping[str, Any], policy: AccountPolicy) -> CheckOptions:
    return CheckOptions()


def server_limit(limits: Mapping[str, Any], name: str) -> int | None:
    """``name`` at the top of an account's ``server_limits`` or where Mastodon's instance API
    puts it (``configuration.statuses.<name>``); None unless a positive whole number."""
    value: Any = limits.get(name)
    if value is None:
        statuses = limits.get("configuration", {})
        statuses = statuses.get("statuses", {}) if isinstance(statuses, Mapping) else {}
        value = statuses.get(name) if isinstance(statuses, Mapping) else None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


@dataclass(frozen=True)
class NetworkSpec:
    key: str
    name: str | Promise
    order: int
    rules: NetworkRules
    capabilities: Capabilities
    limits: PublishLimits = PublishLimits()
    colour: str = "#6b7280"
    # A short mark for compact places (the calendar's entries): "IG", "in", "X".
    mark: str = ""
    # Where the feed hides the rest of a post behind "see more" (graphemes); None: never.
    see_more_at: int | None = None
    share_link: ShareLink | None = None
    best_times: tuple[Window, ...] = GENERIC_BEST_TIMES
    connect: ConnectForm = ConnectForm()
    check_options: OptionsFor = _no_options
    read_quotas: tuple[ReadQuota, ...] = ()
    # The settings holding the secret the network signs its webhooks with.
    webhook_secret: tuple[str, ...] = ()
    # A public social network people have handles on (a speaker's @handle, tracked-link
    # channels); False for a webhook or the test network.
    social: bool = True
    # Listed in the interface; False for the test network (benchmarks and tests only).
    listed: bool = True

    def options_for(
        self, server_limits: Mapping[str, Any] | None, policy: AccountPolicy | None = None
    ) -> CheckOptions:
        limits = server_limits if isinstance(server_limits, Mapping) else {}
        return self.check_options(limits, policy or AccountPolicy())

    def read_quota(self, kind: str) -> ReadQuota | None:
        return next((q for q in self.read_quotas if q.kind == kind), None)


def rules_with(rules: NetworkRules, capabilities: Capabilities) -> NetworkRules:
    """The rules with what the capabilities declare (first comment, threads, link cards,
    idempotency), so the composer's checks and the connector read one declaration."""
    return dataclasses.replace(
        rules,
        supports_first_comment=capabilities.first_comment,
        supports_threads=capabilities.thread,
        supports_link_cards=capabilities.link_preview,
        supports_idempotency_key=capabilities.idempotency,
    )
