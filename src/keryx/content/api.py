"""API: posts and variants with their checks, approvals and comments, media, the library."""

from __future__ import annotations

import base64
import binascii
import io
import json
from typing import IO, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from keryx.accounts.roles import Perm
from keryx.api.pagination import Page
from keryx.api.permissions import access_for, needs
from keryx.content import queries
from keryx.content.domain import library, media, review
from keryx.content.domain.checks import Attached, check_draft, policy_of
from keryx.content.domain.mediafix import media_fix_for_network, variant_media_fix
from keryx.content.domain.posts import (
    MediaChoice,
    PostInput,
    VariantInput,
    post_create,
    post_delete,
    post_duplicate,
    post_update,
)
from keryx.content.models import MediaItem
from keryx.content.presenters import check_dict, media_dict, post_dict, post_summary
from keryx.content.schemas import (
    CheckIn,
    CheckOut,
    CommentIn,
    CommentOut,
    DuplicateIn,
    FixIn,
    HashtagSetIn,
    HashtagSetOut,
    KeywordListIn,
    KeywordListOut,
    MediaChoiceIn,
    MediaOut,
    MediaPatch,
    MediaUploadIn,
    NoteIn,
    PlaceholderOut,
    PolicyIn,
    PolicyOut,
    PostIn,
    PostOut,
    PostPatch,
    PostSummaryOut,
    RenderIn,
    RenderOut,
    TemplateIn,
    TemplateOut,
    TemplatePatch,
    ThemeOut,
    VariantIn,
)
from keryx.content.themes import GUIDES
from keryx.core.errors import NotFound, ValidationFailed
from keryx.networks.models import NetworkAccount
from keryx.networks.rules import NETWORK_KEYS
from keryx.seminars import queries as seminar_queries
from keryx.seminars.models import Session, Speaker

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
def posts_approve(request: HttpRequest, workspace: str, post_id: int, payload: NoteIn) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_APPROVE)
    post = queries.post_in(access, post_id)
    return post_dict(review.post_approve(access=access, post=post, note=payload.note))


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
    """The check the composer shows live: the same JSON as ``keryx compose check``."""
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
    check = check_draft(
        account=account, text=payload.text, attached=attached, policy=policy_of(access.workspace)
    )
    return check_dict(check)


# --- media ----------------------------------------------------------------------------------


@router.get(
    W + "/media",
    response=list[MediaOut],
    operation_id="content_media_list",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
@paginate(Page)
def media_list(request: HttpRequest, workspace: str, seminar_id: int | None = None) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    return [media_dict(m) for m in queries.media_in(access, seminar_id=seminar_id)]


UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "alt_text": {"type": "string"},
                        "seminar_id": {"type": "integer"},
                        "focal_x": {"type": "number"},
                        "focal_y": {"type": "number"},
                    },
                }
            },
            "application/json": {"schema": MediaUploadIn.json_schema()},
        },
    }
}


def _float(value: Any, default: float) -> float:
    try:
        return min(max(float(value), 0.0), 1.0)
    except (TypeError, ValueError):
        return default


@router.post(
    W + "/media",
    response={201: MediaOut},
    operation_id="content_media_upload",
    openapi_extra={**needs(Perm.CONTENT_EDIT), **UPLOAD_BODY},
)
def media_upload(request: HttpRequest, workspace: str) -> Any:
    """Upload a file as multipart (``file``) or as JSON with ``content_base64``."""
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    if (request.content_type or "").startswith("multipart/"):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed(fields={"file": [_("Choose a file to upload.")]})
        data: dict[str, Any] = dict(request.POST.items())
        handle: IO[bytes] = upload.file  # type: ignore[assignment]
        size, name = upload.size or 0, upload.name or ""
    else:
        try:
            body = json.loads(request.body or b"{}")
            parsed = MediaUploadIn(**body)
            raw = base64.b64decode(parsed.content_base64, validate=True)
        except (ValueError, TypeError, binascii.Error) as exc:
            raise ValidationFailed(
                fields={
                    "content_base64": [
                        _(
                            "Send the file as multipart (file) or as JSON with filename and content_base64."
                        )
                    ]
                }
            ) from exc
        data = parsed.dict()
        handle, size, name = io.BytesIO(raw), len(raw), parsed.filename
    seminar = None
    if data.get("seminar_id"):
        seminar = seminar_queries.seminar_in(access, int(data["seminar_id"]))
    item = media.media_upload(
        access=access,
        handle=handle,
        size=size,
        name=name,
        alt_text=str(data.get("alt_text") or ""),
        seminar=seminar,
        focal_x=_float(data.get("focal_x"), 0.5),
        focal_y=_float(data.get("focal_y"), 0.5),
    )
    return Status(201, media_dict(item))


MEDIA = W + "/media/{media_id}"


@router.get(
    MEDIA,
    response=MediaOut,
    operation_id="content_media_get",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
def media_get(request: HttpRequest, workspace: str, media_id: int) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    return media_dict(queries.media_item_in(access, media_id))


@router.patch(
    MEDIA,
    response=MediaOut,
    operation_id="content_media_update",
    openapi_extra=needs(Perm.CONTENT_EDIT),
)
def media_update(request: HttpRequest, workspace: str, media_id: int, payload: MediaPatch) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    item = queries.media_item_in(access, media_id)
    fields = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return media_dict(media.media_update(access=access, item=item, fields=fields))


@router.delete(
    MEDIA,
    response={204: None},
    operation_id="content_media_delete",
    openapi_extra=needs(Perm.CONTENT_EDIT),
)
def media_delete(request: HttpRequest, workspace: str, media_id: int) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    media.media_delete(access=access, item=queries.media_item_in(access, media_id))
    return Status(204, None)


@router.post(
    MEDIA + "/fix",
    response={201: MediaOut},
    operation_id="content_media_fix",
    openapi_extra=needs(Perm.CONTENT_EDIT),
)
def media_fix(request: HttpRequest, workspace: str, media_id: int, payload: FixIn) -> Any:
    """A copy the network accepts (cropped, resized, recompressed); the original is kept."""
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    item: MediaItem = queries.media_item_in(access, media_id)
    if payload.network not in NETWORK_KEYS:
        raise ValidationFailed(
            fields={"network": [_("Choose one of: %(n)s.") % {"n": ", ".join(NETWORK_KEYS)}]}
        )
    return Status(
        201, media_dict(media_fix_for_network(access=access, item=item, network=payload.network))
    )


# --- library --------------------------------------------------------------------------------


@router.get(
    W + "/content/themes",
    response=list[ThemeOut],
    operation_id="content_themes_list",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
def themes_list(request: HttpRequest, workspace: str) -> Any:
    access_for(request, workspace, Perm.CONTENT_VIEW)
    return [
        {
            "key": g.key,
            "label": str(g.label),
            "purpose": str(g.purpose),
            "structure": [str(s) for s in g.structure],
            "phases": [str(p) for p in g.phases],
        }
        for g in GUIDES.values()
    ]


@router.get(
    W + "/content/placeholders",
    response=list[PlaceholderOut],
    operation_id="content_placeholders_list",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
def placeholders_list(request: HttpRequest, workspace: str) -> Any:
    access_for(request, workspace, Perm.CONTENT_VIEW)
    return [
        {"name": "{" + name + "}", "description": str(desc)}
        for name, (desc, _fn) in library.PLACEHOLDERS.items()
    ]


def _template(t: Any) -> dict[str, Any]:
    return {
        "id": t.pk,
        "name": t.name,
        "theme": t.theme,
        "campaign_phase": t.campaign_phase,
        "language": t.language,
        "body": t.body,
        "hashtag_set_id": t.hashtag_set_id,
        "placeholders": library.placeholders_in(t.body),
    }


@router.get(
    W + "/templates",
    response=list[TemplateOut],
    operation_id="content_templates_list",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
@paginate(Page)
def templates_list(request: HttpRequest, workspace: str) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    return [_template(t) for t in queries.templates_in(access)]


@router.post(
    W + "/templates",
    response={201: TemplateOut},
    operation_id="content_templates_create",
    openapi_extra=needs(Perm.CONTENT_EDIT),
)
def templates_create(request: HttpRequest, workspace: str, payload: TemplateIn) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    fields = {
        k: ("" if v is None and k in {"theme", "campaign_phase"} else v)
        for k, v in payload.dict().items()
    }
    return Status(201, _template(library.template_save(access=access, fields=fields)))


TEMPLATE = W + "/templates/{template_id}"


@router.get(
    TEMPLATE,
    response=TemplateOut,
    operation_id="content_templates_get",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
def templates_get(request: HttpRequest, workspace: str, template_id: int) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    return _template(queries.template_in(access, template_id))


@router.patch(
    TEMPLATE,
    response=TemplateOut,
    operation_id="content_templates_update",
    openapi_extra=needs(Perm.CONTENT_EDIT),
)
def templates_update(
    request: HttpRequest, workspace: str, template_id: int, payload: TemplatePatch
) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    template = queries.template_in(access, template_id)
    fields = payload.dict(exclude_unset=True)
    return _template(library.template_save(access=access, fields=fields, template=template))


@router.delete(
    TEMPLATE,
    response={204: None},
    operation_id="content_templates_delete",
    openapi_extra=needs(Perm.CONTENT_EDIT),
)
def templates_delete(request: HttpRequest, workspace: str, template_id: int) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    library.template_delete(access=access, template=queries.template_in(access, template_id))
    return Status(204, None)


@router.post(
    TEMPLATE + "/render",
    response=RenderOut,
    operation_id="content_templates_render",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
def templates_render(
    request: HttpRequest, workspace: str, template_id: int, payload: RenderIn
) -> Any:
    """The template filled for a seminar (and a speaker or session) in a language."""
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    template = queries.template_in(access, template_id)
    seminar = seminar_queries.seminar_in(access, payload.seminar_id)
    speaker = (
        seminar_queries.child_in(seminar, Speaker, payload.speaker_id)
        if payload.speaker_id
        else None
    )
    session = (
        seminar_queries.child_in(seminar, Session, payload.session_id)
        if payload.session_id
        else None
    )
    if payload.language:
        library.ensure_valid_language(payload.language)
    fill = library.template_render(
        template=template,
        seminar=seminar,
        speaker=speaker,
        session=session,
        language=payload.language,
    )
    return {"text": fill.text, "missing": fill.missing}


@router.get(
    W + "/hashtag-sets",
    response=list[HashtagSetOut],
    operation_id="content_hashtag_sets_list",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
@paginate(Page)
def hashtag_sets_list(request: HttpRequest, workspace: str) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    return queries.hashtag_sets_in(access)


@router.post(
    W + "/hashtag-sets",
    response={201: HashtagSetOut},
    operation_id="content_hashtag_sets_create",
    openapi_extra=needs(Perm.CONTENT_EDIT),
)
def hashtag_sets_create(request: HttpRequest, workspace: str, payload: HashtagSetIn) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    return Status(
        201,
        library.hashtag_set_save(access=access, name=payload.name, hashtags=payload.hashtags),
    )


@router.put(
    W + "/hashtag-sets/{set_id}",
    response=HashtagSetOut,
    operation_id="content_hashtag_sets_update",
    openapi_extra=needs(Perm.CONTENT_EDIT),
)
def hashtag_sets_update(
    request: HttpRequest, workspace: str, set_id: int, payload: HashtagSetIn
) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    item = queries.hashtag_set_in(access, set_id)
    return library.hashtag_set_save(
        access=access, name=payload.name, hashtags=payload.hashtags, item=item
    )


@router.delete(
    W + "/hashtag-sets/{set_id}",
    response={204: None},
    operation_id="content_hashtag_sets_delete",
    openapi_extra=needs(Perm.CONTENT_EDIT),
)
def hashtag_sets_delete(request: HttpRequest, workspace: str, set_id: int) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    library.hashtag_set_delete(access=access, item=queries.hashtag_set_in(access, set_id))
    return Status(204, None)


@router.get(
    W + "/keyword-lists",
    response=list[KeywordListOut],
    operation_id="content_keyword_lists_list",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
@paginate(Page)
def keyword_lists_list(request: HttpRequest, workspace: str) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    return queries.keyword_lists_in(access)


@router.post(
    W + "/keyword-lists",
    response={201: KeywordListOut},
    operation_id="content_keyword_lists_create",
    openapi_extra=needs(Perm.CONTENT_EDIT),
)
def keyword_lists_create(request: HttpRequest, workspace: str, payload: KeywordListIn) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    library.ensure_valid_language(payload.language)
    return Status(
        201,
        library.keyword_list_save(
            access=access, name=payload.name, keywords=payload.keywords, language=payload.language
        ),
    )


@router.put(
    W + "/keyword-lists/{list_id}",
    response=KeywordListOut,
    operation_id="content_keyword_lists_update",
    openapi_extra=needs(Perm.CONTENT_EDIT),
)
def keyword_lists_update(
    request: HttpRequest, workspace: str, list_id: int, payload: KeywordListIn
) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    library.ensure_valid_language(payload.language)
    item = queries.keyword_list_in(access, list_id)
    return library.keyword_list_save(
        access=access,
        name=payload.name,
        keywords=payload.keywords,
        language=payload.language,
        item=item,
    )


@router.delete(
    W + "/keyword-lists/{list_id}",
    response={204: None},
    operation_id="content_keyword_lists_delete",
    openapi_extra=needs(Perm.CONTENT_EDIT),
)
def keyword_lists_delete(request: HttpRequest, workspace: str, list_id: int) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_EDIT)
    library.keyword_list_delete(access=access, item=queries.keyword_list_in(access, list_id))
    return Status(204, None)


# --- approval policy ------------------------------------------------------------------------


def _policy(policy: Any) -> dict[str, Any]:
    return {
        "required_approvals": policy.required_approvals,
        "approver_ids": sorted(policy.approvers.values_list("pk", flat=True)) if policy.pk else [],
        "instagram_max_hashtags": policy.instagram_max_hashtags,
    }


@router.get(
    W + "/content/policy",
    response=PolicyOut,
    operation_id="content_policy_get",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
def policy_get(request: HttpRequest, workspace: str) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    return _policy(policy_of(access.workspace))


@router.patch(
    W + "/content/policy",
    response=PolicyOut,
    operation_id="content_policy_update",
    openapi_extra=needs(Perm.CONTENT_APPROVE),
)
def policy_update(request: HttpRequest, workspace: str, payload: PolicyIn) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_APPROVE)
    policy = review.policy_update(
        access=access,
        required_approvals=payload.required_approvals,
        approver_ids=payload.approver_ids,
        instagram_max_hashtags=payload.instagram_max_hashtags,
    )
    return _policy(policy)
