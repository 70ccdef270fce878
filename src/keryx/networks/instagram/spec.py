"""Instagram, as Keryx knows it: one declaration the registry reads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from keryx.networks.base import Capabilities
from keryx.networks.instagram.rules import RULES
from keryx.networks.rules import CheckOptions
from keryx.networks.spec import (
    AccountPolicy,
    ConnectForm,
    NetworkSpec,
    PublishLimits,
    ReadQuota,
    rules_with,
)

CAPABILITIES = Capabilities(
    images=10,  # a carousel (rules.py: 10)
    alt_text=True,
    first_comment=True,
    connect="oauth",
    # Reading back: /{ig-media-id}/comments, replies, hide, delete, /tags mentions, hashtag
    # search (recent media), /insights, webhooks.
    comments=True,
    mentions=True,
    hide=True,
    delete_comment=True,
    search=True,
    audience=True,
    webhooks=True,
)


def check_options(limits: Mapping[str, Any], policy: AccountPolicy) -> CheckOptions:
    return CheckOptions(instagram_max_hashtags=policy.instagram_max_hashtags)


SPEC = NetworkSpec(
    key="instagram",
    name="Instagram",
    order=20,
    rules=rules_with(RULES, CAPABILITIES),
    capabilities=CAPABILITIES,
    # ig-user/media_publish: "can only publish 50 posts within a 24 hour moving period".
    limits=PublishLimits(concurrency=4, quota=50, quota_window_hours=24),
    colour="#c13584",
    mark="IG",
    see_more_at=125,
    best_times=tuple([(d, 10, 13) for d in (1, 2, 3)] + [(d, 18, 20) for d in range(5)]),
    connect=ConnectForm("oauth"),
    webhook_secret=("KERYX_META_APP_SECRET",),
    check_options=check_options,
    read_quotas=(
        # ig-hashtag-search: "You can query a maximum of 30 unique hashtags on behalf of an
        # Instagram Business or Creator Account within a rolling, 7 day period."
        ReadQuota(
            "hashtag_search",
            30,
            7 * 24,
            unique=True,
            source="developers.facebook.com/docs/instagram-platform/instagram-graph-api/"
            "reference/ig-hashtag-search",
        ),
    ),
)
