"""Reads of posts, media and the content library, always scoped to the user's workspace."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, Prefetch, QuerySet

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.content.domain.review import approval_refusal
from keryx.content.models import (
    Comment,
    HashtagSet,
    KeywordList,
    MediaItem,
    Post,
    PostMedia,
    Review,
    Template,
    Variant,
    VariantMedia,
)
from keryx.core.errors import NotFound
from keryx.networks.models import NetworkAccount
from keryx.networks.rules import NETWORK_KEYS

M = TypeVar("M", bound=Model)


def _one(qs: QuerySet[M], pk: int) -> M:
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj


def posts_in(
    access: Access, *, seminar_id: int | None = None, status: str | None = None
) -> QuerySet[Post]:
    access.require(Perm.CONTENT_VIEW)
    qs = Post.objects.filter(workspace=access.workspace).select_related("seminar", "author")
    if seminar_id is not None:
        qs = qs.filter(seminar_id=seminar_id)
    if status:
        qs = qs.filter(status=status)
    return qs.prefetch_related(
        Prefetch(
            "variants",
            queryset=Variant.objects.select_related("account").prefetch_related(
                Prefetch("media_links", queryset=VariantMedia.objects.select_related("media"))
            ),
        ),
        Prefetch("media_links", queryset=PostMedia.objects.select_related("media")),
    ).order_by("-updated_at", "-id")


def post_in(access: Access, post_id: int) -> Post:
    return _one(posts_in(access), post_id)


def variant_in(post: Post, variant_id: int) -> Variant:
    return _one(post.variants.select_related("account", "post__workspace"), variant_id)


def comments_of(post: Post) -> QuerySet[Comment]:
    return post.comments.select_related("author").prefetch_related("mentions")


def reviews_of(post: Post) -> QuerySet[Review]:
    return post.reviews.select_related("reviewer")


def accounts_in(access: Access) -> QuerySet[NetworkAccount]:
    access.require(Perm.CONTENT_VIEW)
    return NetworkAccount.objects.filter(
        workspace=access.workspace, network__in=NETWORK_KEYS
    ).order_by("network", "name")


def media_in(access: Access, *, seminar_id: int | None = None) -> QuerySet[MediaItem]:
    access.require(Perm.CONTENT_VIEW)
    qs = MediaItem.objects.filter(workspace=access.workspace).select_related("original")
    if seminar_id is not None:
        qs = qs.filter(seminar_id=seminar_id)
    return qs


def media_item_in(access: Access, media_id: int) -> MediaItem:
    return _one(media_in(access), media_id)


def templates_in(access: Access) -> QuerySet[Template]:
    access.require(Perm.CONTENT_VIEW)
    return Template.objects.filter(workspace=access.workspace).select_related("hashtag_set")


def template_in(access: Access, template_id: int) -> Template:
    return _one(templates_in(access), template_id)


def hashtag_sets_in(access: Access) -> QuerySet[HashtagSet]:
    access.require(Perm.CONTENT_VIEW)
    return HashtagSet.objects.filter(workspace=access.workspace)


def hashtag_set_in(access: Access, pk: int) -> HashtagSet:
    return _one(hashtag_sets_in(access), pk)


def keyword_lists_in(access: Access) -> QuerySet[KeywordList]:
    access.require(Perm.CONTENT_VIEW)
    return KeywordList.objects.filter(workspace=access.workspace)


def keyword_list_in(access: Access, pk: int) -> KeywordList:
    return _one(keyword_lists_in(access), pk)


def posts_waiting_for(access: Access, *, limit: int = 100) -> list[Post]:
    """Posts in review that ``access.user`` may approve now: not their own, not approved by
    them in this version, and they are among the workspace's approvers. Oldest request first.
    Empty for a role that does not approve."""
    if not access.can(Perm.CONTENT_APPROVE):
        return []
    candidates = (
        posts_in(access, status="in_review")
        .exclude(author=access.user)
        .order_by("submitted_at", "id")[:limit]
    )
    return [post for post in candidates if not approval_refusal(access, post)]
