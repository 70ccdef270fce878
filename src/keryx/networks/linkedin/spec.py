"""LinkedIn, as Keryx knows it: one declaration the registry reads."""

from __future__ import annotations

from urllib.parse import quote

from keryx.networks.base import Capabilities
from keryx.networks.linkedin.rules import RULES
from keryx.networks.spec import ConnectForm, NetworkSpec, PublishLimits, rules_with

CAPABILITIES = Capabilities(
    images=20,  # a multi-image post (rules.py: 20)
    alt_text=True,
    first_comment=True,
    refresh=True,  # where LinkedIn grants refresh tokens
    connect="oauth",
    comments=True,
    # Reading back: socialActions/{urn}/comments (comments=True above),
    # organizationalEntityShareStatistics; the comment webhook's challenge.
    webhooks=True,
)

SPEC = NetworkSpec(
    key="linkedin",
    name="LinkedIn",
    order=30,
    rules=rules_with(RULES, CAPABILITIES),
    capabilities=CAPABILITIES,
    # Posts API: 150 member posts a day (application limits are far higher).
    limits=PublishLimits(concurrency=4, quota=150, quota_window_hours=24),
    colour="#0a66c2",
    mark="in",
    see_more_at=210,  # about three lines
    share_link=lambda url, title: (
        "https://www.linkedin.com/sharing/share-offsite/?url=" + quote(url)
    ),
    best_times=tuple([(d, 8, 11) for d in (1, 2, 3)] + [(d, 12, 13) for d in (1, 2, 3)]),
    connect=ConnectForm("oauth"),
    webhook_secret=("KERYX_LINKEDIN_CLIENT_SECRET",),
)
