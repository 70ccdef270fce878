"""Bluesky, as Keryx knows it: one declaration the registry reads."""

from __future__ import annotations

from urllib.parse import quote

from keryx.networks.base import Capabilities
from keryx.networks.bluesky.rules import RULES
from keryx.networks.spec import ConnectForm, NetworkSpec, PublishLimits, rules_with

CAPABILITIES = Capabilities(
    images=4,
    alt_text=True,
    link_preview=True,
    thread=True,
    refresh=True,
    connect="form",
    # The client lets the PDS choose each record key, so a retried create is not recognised:
    # no idempotency (docs/decisions/0561-capabilities-declared-once.md).
    idempotency=False,
    # Reading back through the account's PDS, which proxies app.bsky.* to its AppView
    # (docs/networks/README.md#reading-back): getPosts counts (metrics), getPostThread
    # (comments), listNotifications (mentions, replies, quotes), searchPosts (search), the
    # root post's threadgate hiddenReplies (hide, at most 300 a thread), deleteRecord of the
    # account's own replies (delete_comment), getProfile counts (audience).
    comments=True,
    mentions=True,
    search=True,
    hide=True,
    delete_comment=True,
    delete_others_comments=False,
    audience=True,
)

SPEC = NetworkSpec(
    key="bluesky",
    name="Bluesky",
    order=70,
    rules=rules_with(RULES, CAPABILITIES),
    capabilities=CAPABILITIES,
    # A PDS allows 5,000 points an hour and a created record costs 3: 1,666 posts an hour.
    limits=PublishLimits(concurrency=8, quota=1666, quota_window_hours=1),
    colour="#0f73e6",
    mark="B",
    share_link=lambda url, title: "https://bsky.app/intent/compose?text=" + quote(f"{title} {url}"),
    best_times=tuple([(d, 9, 12) for d in range(5)] + [(d, 17, 20) for d in range(5)]),
    connect=ConnectForm(
        "form",
        "keryx.networks.forms.BlueskyForm",
        reconnect_initial={"handle": "handle", "pds_url": "base_url"},
    ),
)
