"""The follow-up content calendar: the team plans the posts that keep the seminar's audience
going after it. A follow-up is an ordinary post of the seminar in the "Thank you" campaign
phase, made by the content app's own ``post_create``, so it goes through the composer's
checks, approvals and publishing like any other (decision 0864)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.community.models import Community
from keryx.content.domain.posts import PostInput, post_create
from keryx.content.enums import CampaignPhase
from keryx.content.models import Post, Variant
from keryx.core.errors import ValidationFailed

FOLLOW_UP = CampaignPhase.THANK_YOU


def followup_create(
    *, access: Access, community: Community, text: str, account_ids: Sequence[int]
) -> Post:
    """A draft follow-up post with the text for the chosen accounts; the composer opens on it
    for media, checks, approval and scheduling."""
    access.require(Perm.CONTENT_EDIT)
    text = text.strip()
    if not text:
        raise ValidationFailed(fields={"master_text": [_("Write what the post should say.")]})
    return post_create(
        access=access,
        seminar=community.seminar,
        data=PostInput(
            fields={"master_text": text, "campaign_phase": FOLLOW_UP},
            account_ids=list(account_ids),
        ),
    )


def followups_of(access: Access, community: Community) -> QuerySet[Post]:
    """The seminar's follow-up posts with their variants, earliest planned first."""
    access.require(Perm.CONTENT_VIEW)
    return (
        Post.objects.filter(
            workspace=access.workspace, seminar_id=community.seminar_id, campaign_phase=FOLLOW_UP
        )
        .prefetch_related(
            Prefetch(
                "variants",
                queryset=Variant.objects.select_related("account").order_by(
                    "scheduled_at", "network"
                ),
            )
        )
        .order_by("-created_at")
    )
