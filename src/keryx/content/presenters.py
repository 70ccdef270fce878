"""Posts, variants, checks and media as plain data for the API and the pages."""

from __future__ import annotations

from typing import Any

from keryx.content.domain.checks import media_info, policy_of, post_checks
from keryx.content.domain.mediafix import fixable
from keryx.content.domain.review import approvals_so_far
from keryx.content.models import ContentPolicy, MediaItem, Post, PostMedia, VariantMedia
from keryx.networks.rules import NETWORK_KEYS, TextCheck, check_media, get_rules


def check_dict(check: TextCheck) -> dict[str, Any]:
    return {**check.as_dict(), "unit": check.unit}


def attached_dict(link: PostMedia | VariantMedia) -> dict[str, Any]:
    return {
        "media_id": link.media_id,
        "alt_text": link.alt_text,
        "url": link.media.file.url,
        "mime": link.media.mime,
        "width": link.media.width,
        "height": link.media.height,
    }


def post_dict(post: Post, *, policy: ContentPolicy | None = None) -> dict[str, Any]:
    policy = policy or policy_of(post.workspace)
    checks = post_checks(post)
    variants = []
    for variant in post.variants.select_related("account").prefetch_related("media_links__media"):
        variants.append(
            {
                "id": variant.pk,
                "account_id": variant.account_id,
                "account_name": str(variant.account.handle or variant.account.name),
                "network": variant.network,
                "text": variant.source_text,
                "text_edited": variant.text_edited,
                "media_edited": variant.media_edited,
                "first_comment": variant.source_first_comment,
                "link_url": variant.source_link_url,
                "published_text": variant.text,
                "published_first_comment": variant.first_comment,
                "published_link_url": variant.link_url,
                "status": variant.status,
                "scheduled_at": variant.scheduled_at,
                "media": [attached_dict(link) for link in variant.media_links.all()],
                "check": check_dict(checks[variant.pk]),
            }
        )
    return {
        "id": post.pk,
        "seminar_id": post.seminar_id,
        "campaign_phase": post.campaign_phase,
        "theme": post.theme,
        "language": post.language,
        "master_text": post.master_text,
        "link_url": post.link_url,
        "status": post.status,
        "revision": post.revision,
        "author": post.author.email if post.author else None,
        "created_at": post.created_at,
        "updated_at": post.updated_at,
        "media": [attached_dict(link) for link in post.media_links.select_related("media")],
        "variants": variants,
        "valid": all(c.valid for c in checks.values()),
        "approvals": len(approvals_so_far(post)),
        "approvals_needed": policy.required_approvals,
    }


def post_summary(post: Post) -> dict[str, Any]:
    return {
        "id": post.pk,
        "seminar_id": post.seminar_id,
        "campaign_phase": post.campaign_phase,
        "theme": post.theme,
        "master_text": post.master_text,
        "status": post.status,
        "networks": sorted({v.network for v in post.variants.all()}),
        "updated_at": post.updated_at,
    }


def media_networks(item: MediaItem) -> list[dict[str, Any]]:
    """How each network would take this file on its own (with the item's own alt text)."""
    result = []
    info = media_info(item, item.alt_text)
    for network in NETWORK_KEYS:
        problems = check_media(network, [info])
        result.append(
            {
                "network": network,
                "name": get_rules(network).name,
                "errors": [p.as_dict() for p in problems if p.severity == "error"],
                "warnings": [p.as_dict() for p in problems if p.severity == "warning"],
                "fixable": item.kind == "image" and bool(fixable(problems)),
            }
        )
    return result


def media_dict(item: MediaItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "name": item.name,
        "kind": item.kind,
        "mime": item.mime,
        "width": item.width,
        "height": item.height,
        "bytes": item.bytes,
        "duration_s": item.duration_s,
        "alt_text": item.alt_text,
        "focal_x": item.focal_x,
        "focal_y": item.focal_y,
        "url": item.file.url,
        "original_id": item.original_id,
        "fix": item.fix,
        "seminar_id": item.seminar_id,
        "created_at": item.created_at,
        "networks": media_networks(item),
    }
