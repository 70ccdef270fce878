"""Facebook, as Keryx knows it: one declaration the registry reads."""

from __future__ import annotations

from urllib.parse import quote

from keryx.networks.base import Capabilities
from keryx.networks.facebook.rules import RULES
from keryx.networks.spec import ConnectForm, NetworkSpec, PublishLimits, rules_with

CAPABILITIES = Capabilities(
    images=10,  # unpublished photos attached to one feed post (rules.py: 10)
    link_preview=True,
    first_comment=True,
    connect="oauth",
    # Reading back: /{post-id}/comments, ?hide, DELETE /{comment-id}, /insights, /{page-id}/tagged
    # (mentions), feed and mention webhooks.
    comments=True,
    mentions=True,
    hide=True,
    delete_comment=True,
    webhooks=True,
)

SPEC = NetworkSpec(
    key="facebook",
    name="Facebook",
    order=10,
    rules=rules_with(RULES, CAPABILITIES),
    capabilities=CAPABILITIES,
    # Facebook Pages publish no fixed number for feed posts; Graph API rate limits apply.
    limits=PublishLimits(concurrency=4),
    colour="#1877f2",
    mark="f",
    see_more_at=480,  # about 480 characters in the web feed (decision 0305)
    share_link=lambda url, title: "https://www.facebook.com/sharer/sharer.php?u=" + quote(url),
    best_times=tuple((d, 9, 12) for d in (1, 2, 3, 4)),
    connect=ConnectForm("oauth"),
    webhook_secret=("KERYX_META_APP_SECRET",),
)
