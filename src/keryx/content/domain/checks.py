"""Variants checked against their network's rules: the same code the publisher runs.

Nothing here counts text or judges media itself; it only turns what the composer holds
(a variant, or what the user is typing) into the arguments of
:func:`keryx.networks.rules.check_variant`, including the per-account settings that change a
network's limits (a Mastodon instance's ``max_characters``, the workspace's Instagram hashtag
cap).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from keryx.accounts.models import Workspace
from keryx.content.models import ContentPolicy, MediaItem, Post, Variant
from keryx.networks.models import NetworkAccount
from keryx.networks.registry import find_spec, spec
from keryx.networks.rules import CheckOptions, MediaInfo, TextCheck, check_variant
from keryx.networks.spec import AccountPolicy


@dataclass(frozen=True)
class Attached:
    """One attachment as the check sees it: the library item and this network's alt text."""

    media: MediaItem
    alt_text: str


def policy_of(workspace: Workspace) -> ContentPolicy:
    """The workspace's content policy (defaults until someone changes it)."""
    policy = ContentPolicy.objects.filter(workspace=workspace).first()
    return policy if policy is not None else ContentPolicy(workspace=workspace)


def options_for(account: NetworkAccount, policy: ContentPolicy) -> CheckOptions:
    """The account's own limits as check options: its network's spec decides (the same code
    path ``Connector.validate`` takes), with the workspace's policy."""
    return spec(account.network).options_for(
        account.server_limits,
        AccountPolicy(instagram_max_hashtags=policy.instagram_max_hashtags),
    )


def media_info(media: MediaItem, alt_text: str) -> MediaInfo:
    return MediaInfo(
        kind=media.kind,  # type: ignore[arg-type]
        mime=media.mime,
        width=media.width or 0,
        height=media.height or 0,
        bytes=media.bytes,
        duration_s=media.duration_s,
        alt_text=alt_text,
    )


def check_draft(
    *,
    account: NetworkAccount,
    text: str,
    attached: Sequence[Attached],
    policy: ContentPolicy,
    link: str = "",
) -> TextCheck:
    """Check what is being typed for ``account`` (nothing needs to be saved); ``link`` is the
    variant's link card, which some networks get in the text."""
    return check_variant(
        account.network,
        text,
        [media_info(a.media, a.alt_text) for a in attached],
        options=options_for(account, policy),
        link=link,
    )


def attached_of(variant: Variant) -> list[Attached]:
    return [
        Attached(media=link.media, alt_text=link.alt_text) for link in variant.media_links.all()
    ]


def variant_check(variant: Variant, *, policy: ContentPolicy | None = None) -> TextCheck:
    """The check of a saved variant; the publisher calls this right before sending."""
    return check_draft(
        account=variant.account,
        text=variant.text,
        attached=attached_of(variant),
        policy=policy or policy_of(variant.post.workspace),
        link=variant.link_url or variant.post.link_url,
    )


def post_checks(post: Post) -> dict[int, TextCheck]:
    """Every variant's check, by variant id."""
    policy = policy_of(post.workspace)
    variants = post.variants.select_related("account").prefetch_related("media_links__media")
    return {v.pk: variant_check(v, policy=policy) for v in variants}


def network_supports_first_comment(network: str) -> bool:
    found = find_spec(network)
    return found is not None and found.capabilities.first_comment


def first_errors(checks: Iterable[TextCheck]) -> list[str]:
    return [p.message for check in checks for p in check.errors]
