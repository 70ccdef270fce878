"""Threads, as Keryx knows it: one declaration the registry reads."""

from __future__ import annotations

from urllib.parse import quote

from keryx.networks.base import Capabilities
from keryx.networks.spec import ConnectForm, NetworkSpec, PublishLimits, ReadQuota, rules_with
from keryx.networks.threads.rules import RULES

CAPABILITIES = Capabilities(
    images=20,  # a carousel (rules.py: 20)
    alt_text=True,
    link_preview=True,  # link_attachment on text posts
    first_comment=True,
    thread=True,
    refresh=True,
    connect="oauth",
    comments=True,
    mentions=True,
    hide=True,
    search=True,
    # Reading back (declared above): /{media-id}/replies, manage_reply (hide), mentions,
    # keyword_search;
    # metrics from /{media-id}/insights.
)

SPEC = NetworkSpec(
    key="threads",
    name="Threads",
    order=50,
    rules=rules_with(RULES, CAPABILITIES),
    capabilities=CAPABILITIES,
    # Threads API: 250 API-published posts per 24-hour moving period.
    limits=PublishLimits(concurrency=4, quota=250, quota_window_hours=24),
    colour="#3d3d3d",
    mark="@",
    share_link=lambda url, title: (
        "https://www.threads.net/intent/post?text=" + quote(f"{title} {url}")
    ),
    best_times=tuple((d, 9, 12) for d in (1, 2, 3, 4)),
    connect=ConnectForm("oauth"),
    webhook_secret=("KERYX_THREADS_APP_SECRET",),
    read_quotas=(
        # Keyword search: "a maximum of 2,200 queries within a rolling 24 hour period".
        ReadQuota(
            "keyword_search",
            2200,
            24,
            source="developers.facebook.com/docs/threads/keyword-search",
        ),
    ),
)
