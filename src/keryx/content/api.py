"""API: posts and variants with their checks, approvals and comments (media and the library
are in api_library.py, mounted under this router)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from keryx.accounts.roles import Perm
from keryx.api.pagination import Page
from keryx.api.permissions import access_for, needs
from keryx.content import queries
from keryx.content.api_library import router as library_router
from keryx.content.domain import review
from keryx.content.domain.checks import Attached, check_draft, policy_of
from keryx.content.domain.mediafix import variant_media_fix
from keryx.content.domain.posts import (
    MediaChoice,
    PostInput,
    VariantInput,
    post_create,
    post_delete,
    post_duplicate,
    post_update,
)
from keryx.content.domain.publishable import publishable_text
from keryx.content.presenters import check_dict, post_dict, post_summary
from keryx.content.schemas import (
    ApproveIn,
    CheckIn,
    CheckOut,
    CommentIn,
    CommentOut,
    DuplicateIn,
    MediaChoiceIn,
    NoteIn,
    PostIn,
    PostOut,
    PostPatch,
    PostSummaryOut,
    VariantIn,
)
from keryx.core.errors import NotFound, ValidationFailed
from keryx.networks.models import NetworkAccount
from keryx.networks.rules import NETWORK_KEYS
from keryx.seminars import queries as seminar_queries

router = Router(tags=["content"])
W = "/workspaces/{workspace}"
POST = W + "/posts/{post_id}"


def _choices(items: list[MediaChoiceIn] | None) -> list[MediaChoice] | None:
    if items is None:
        return None
    return [MediaChoice(media_id=i.media_id, alt_text=i.alt_text) for i in items]


def _variants(items: list[VariantIn]) -> list[VariantInput]:
    return [
        VariantInput(
            account_id=v.account_id,
            text=v.text,
            edited=v.edited,
            first_comment=v.first_comment,
            link_url=v.link_url,
            media=_choices(v.media),
        )
        for v in items
    ]


# --- posts ----------------------------------------------------------------------------------


@router.get(
    W + "/posts",
    response=list[PostSummaryOut],
    operation_id="content_posts_list",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
@paginate(Page)
def posts_list(
    request: HttpRequest, workspace: str, seminar_id: int | None = None, status: str = ""
) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    return [post_summary(p) for p in queries.posts_in(access, seminar_id=seminar_id, status=status)]


@router.post(
    W + "/posts",
    response={201: PostOut},
    operation_id="content_posts_create",
    openapi_extra=needs(Perm.CONTENT_EDIT),
)
def posts_create(request: HttpRequest, workspace: str, payload: PostIn) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    seminar = seminar_queries.seminar_in(access, payload.seminar_id)
    fields: dict[str, Any] = {"master_text": payload.master_text, "link_url": payload.link_url}
    for key in ("campaign_phase", "theme", "language"):
        if getattr(payload, key) is not None:
            fields[key] = getattr(payload, key)
    post = post_create(
        access=access,
        seminar=seminar,
        data=PostInput(
            fields=fields,
            media=_choices(payload.media),
            account_ids=payload.account_ids,
            variants=_variants(payload.variants),
            template_id=payload.template_id,
        ),
    )
    return Status(201, post_dict(post))


@router.get(
    POST, response=PostOut, operation_id="content_posts_get", openapi_extra=needs(Perm.CONTENT_VIEW)
)
def posts_get(request: HttpRequest, workspace: str, post_id: int) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    return post_dict(queries.post_in(access, post_id))


@router.patch(
    POST,
    response=PostOut,
    operation_id="content_posts_update",
    openapi_extra=needs(Perm.CONTENT_EDIT),
)
def posts_update(request: HttpRequest, workspace: str, post_id: int, payload: PostPatch) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    post = queries.post_in(access, post_id)
    given = payload.dict(exclude_unset=True)
    fields: dict[str, Any] = {
        k: given[k]
        for k in ("campaign_phase", "theme", "language", "master_text", "link_url")
        if k in given and given[k] is not None
    }
    if payload.seminar_id is not None:
        fields["seminar"] = seminar_queries.seminar_in(access, payload.seminar_id)
    post = post_update(
        access=access,
        post=post,
        data=PostInput(
            fields=fields,
            media=_choices(payload.media),
            account_ids=payload.account_ids,
            variants=_variants(payload.variants),
            sync_variants=payload.update_variants,
            expected_version=payload.version,
        ),
    )
    return post_dict(post)


@router.delete(
    POST,
    response={204: None},
    operation_id="content_posts_delete",
    openapi_extra=needs(Perm.CONTENT_EDIT),
)
def posts_delete(request: HttpRequest, workspace: str, post_id: int) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    post_delete(access=access, post=queries.post_in(access, post_id))
    return Status(204, None)


@router.post(
    POST + "/duplicate",
    response={201: PostOut},
    operation_id="content_posts_duplicate",
    openapi_extra=needs(Perm.CONTENT_EDIT),
)
def posts_duplicate(
    request: HttpRequest, workspace: str, post_id: int, payload: DuplicateIn
) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    post = queries.post_in(access, post_id)
    seminar = seminar_queries.seminar_in(access, payload.seminar_id)
    return Status(201, post_dict(post_duplicate(access=access, post=post, seminar=seminar)))


@router.post(
    POST + "/submit",
    response=PostOut,
    operation_id="content_posts_submit",
    openapi_extra=needs(Perm.CONTENT_EDIT),
)
def posts_submit(request: HttpRequest, workspace: str, post_id: int) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    return post_dict(review.post_submit(access=access, post=queries.post_in(access, post_id)))


@router.post(
    POST + "/approve",
    response=PostOut,
    operation_id="content_posts_approve",
    openapi_extra=needs(Perm.CONTENT_APPROVE),
)
def posts_approve(request: HttpRequest, workspace: str, post_id: int, payload: ApproveIn) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_APPROVE)
    post = queries.post_in(access, post_id)
    return post_dict(
        review.post_approve(access=access, post=post, note=payload.note, revision=payload.revision)
    )


@router.post(
    POST + "/request-changes",
    response=PostOut,
    operation_id="content_posts_request_changes",
    openapi_extra=needs(Perm.CONTENT_APPROVE),
)
def posts_request_changes(
    request: HttpRequest, workspace: str, post_id: int, payload: NoteIn
) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_APPROVE)
    post = queries.post_in(access, post_id)
    return post_dict(review.post_request_changes(access=access, post=post, note=payload.note))


def _comment(comment: Any) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "author": comment.author.email if comment.author else None,
        "body": comment.body,
        "mentions": sorted(u.email for u in comment.mentions.all()),
        "created_at": comment.created_at,
    }


@router.get(
    POST + "/comments",
    response=list[CommentOut],
    operation_id="content_comments_list",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
@paginate(Page)
def comments_list(request: HttpRequest, workspace: str, post_id: int) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    return [_comment(c) for c in queries.comments_of(queries.post_in(access, post_id))]


@router.post(
    POST + "/comments",
    response={201: CommentOut},
    operation_id="content_comments_create",
    openapi_extra=needs(Perm.CONTENT_EDIT),
)
def comments_create(request: HttpRequest, workspace: str, post_id: int, payload: CommentIn) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    post = queries.post_in(access, post_id)
    return Status(201, _comment(review.comment_add(access=access, post=post, body=payload.body)))


@router.post(
    POST + "/variants/{variant_id}/media/{media_id}/fix",
    response={201: PostOut},
    operation_id="content_variant_media_fix",
    openapi_extra=needs(Perm.CONTENT_EDIT),
)
def variant_media_fix_op(
    request: HttpRequest, workspace: str, post_id: int, variant_id: int, media_id: int
) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    post = queries.post_in(access, post_id)
    variant = queries.variant_in(post, variant_id)
    variant_media_fix(access=access, variant=variant, item=queries.media_item_in(access, media_id))
    return Status(201, post_dict(queries.post_in(access, post_id)))


@router.post(
    W + "/compose/check",
    response=CheckOut,
    operation_id="content_check",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
def compose_check(request: HttpRequest, workspace: str, payload: CheckIn) -> Any:
    """The check the composer shows live, of the text as it will be published (plain links
    counted as tracked links): the same JSON as ``keryx compose check``."""
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    if payload.account_id is not None:
        account = queries.accounts_in(access).filter(pk=payload.account_id).first()
        if account is None:
            raise NotFound()
    elif payload.network in NETWORK_KEYS:
        account = NetworkAccount(workspace=access.workspace, network=payload.network)
    else:
        raise ValidationFailed(
            fields={"network": [_("Choose one of: %(n)s.") % {"n": ", ".join(NETWORK_KEYS)}]}
        )
    items = {
        m.pk: m for m in queries.media_in(access).filter(pk__in=[c.media_id for c in payload.media])
    }
    attached = [
        Attached(media=items[c.media_id], alt_text=c.alt_text)
        for c in payload.media
        if c.media_id in items
    ]
    text = publishable_text(payload.text, network=account.network)
    check = check_draft(
        account=account,
        text=text,
        attached=attached,
        policy=policy_of(access.workspace),
        link=publishable_text(payload.link_url.strip(), network=account.network),
    )
    return check_dict(check)


router.add_router("", library_router)
