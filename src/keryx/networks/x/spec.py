"""X, as Keryx knows it: one declaration the registry reads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from keryx.networks.base import Capabilities
from keryx.networks.rules import CheckOptions
from keryx.networks.spec import (
    AccountPolicy,
    ConnectForm,
    NetworkSpec,
    PublishLimits,
    ReadQuota,
    rules_with,
    server_limit,
)
from keryx.networks.x.rules import RULES

CAPABILITIES = Capabilities(
    images=4,
    video=True,
    alt_text=True,
    link_preview=True,
    thread=True,
    refresh=True,
    connect="oauth",
    pkce=True,
    mentions=True,
    hide=True,
    search=True,
    # Reading back (pay per use): mentions, hidden replies, recent search, public metrics,
    # the Account Activity webhook's CRC.
    webhooks=True,
)


def check_options(limits: Mapping[str, Any], policy: AccountPolicy) -> CheckOptions:
    # 25,000 for Premium accounts (long posts), as the account's verify answer says.
    return CheckOptions(x_max_weighted_length=server_limit(limits, "max_weighted_length"))


SPEC = NetworkSpec(
    key="x",
    name="X",
    order=40,
    rules=rules_with(RULES, CAPABILITIES),
    capabilities=CAPABILITIES,
    # POST /2/tweets: 100 per 24 h per user on the Basic tier.
    limits=PublishLimits(concurrency=4, quota=100, quota_window_hours=24),
    colour="#14171a",
    mark="X",
    share_link=lambda url, title: (
        "https://x.com/intent/tweet?" + urlencode({"text": title, "url": url})
    ),
    best_times=tuple((d, 9, 12) for d in (1, 2, 3)),
    connect=ConnectForm("oauth"),
    webhook_secret=("KERYX_X_CONSUMER_SECRET",),
    check_options=check_options,
    read_quotas=(
        # Reads are billed per post read: off until the workspace turns them on, and then at
        # most this many reads in 30 days (KERYX_X_MONTHLY_READS overrides it).
        ReadQuota(
            "read",
            10_000,
            30 * 24,
            opt_in=True,
            source="docs.x.com/x-api/getting-started/pricing",
            reads=("mentions", "comments", "search"),
        ),
    ),
)
