"""Mastodon, as Keryx knows it: one declaration the registry reads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from keryx.networks.base import Capabilities
from keryx.networks.mastodon.rules import RULES
from keryx.networks.rules import CheckOptions
from keryx.networks.spec import (
    AccountPolicy,
    ConnectForm,
    NetworkSpec,
    PublishLimits,
    rules_with,
    server_limit,
)

IDEMPOTENCY_WINDOW = 3600  # Mastodon keeps idempotency keys for up to an hour

CAPABILITIES = Capabilities(
    images=4,
    video=True,
    alt_text=True,
    link_preview=True,
    thread=True,
    idempotency=True,
    idempotency_window=IDEMPOTENCY_WINDOW,
    connect="oauth",
    pkce=True,
    # Reading back: notifications (mentions), status context (replies), tag timelines,
    # statuses by id (counts).
    comments=True,
    mentions=True,
    search=True,
    audience=True,
)


def check_options(limits: Mapping[str, Any], policy: AccountPolicy) -> CheckOptions:
    """The instance's own limits (``configuration.statuses``), read when connecting."""
    return CheckOptions(
        mastodon_max_characters=server_limit(limits, "max_characters"),
        mastodon_characters_reserved_per_url=server_limit(limits, "characters_reserved_per_url"),
    )


SPEC = NetworkSpec(
    key="mastodon",
    name="Mastodon",
    order=60,
    rules=rules_with(RULES, CAPABILITIES),
    capabilities=CAPABILITIES,
    # Mastodon's default: 300 statuses per 3 hours per account.
    limits=PublishLimits(concurrency=8, quota=300, quota_window_hours=3),
    colour="#5b4fe0",
    mark="M",
    best_times=tuple([(d, 9, 12) for d in range(5)] + [(d, 17, 19) for d in range(5)]),
    connect=ConnectForm(
        "server",
        "keryx.networks.forms.MastodonForm",
        help=_("Keryx sends you to your server to sign in and allow it to post."),
        submit=_("Continue to the server"),
    ),
    check_options=check_options,
)
