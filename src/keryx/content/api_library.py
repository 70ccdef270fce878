"""API: the media library (uploads, per-network problems, fixes), templates, hashtag sets,
keyword lists, themes and the approval policy. Mounted under the content router."""

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
from keryx.content.domain.checks import policy_of
from keryx.content.domain.mediafix import media_fix_for_network
from keryx.content.models import MediaItem
from keryx.content.presenters import media_dict
from keryx.content.schemas import (
    FixIn,
    HashtagSetIn,
    HashtagSetOut,
    KeywordListIn,
    KeywordListOut,
    MediaOut,
    MediaPatch,
    MediaUploadIn,
    PlaceholderOut,
    PolicyIn,
    PolicyOut,
    RenderIn,
    RenderOut,
    TemplateIn,
    TemplateOut,
    TemplatePatch,
    ThemeOut,
)
from keryx.content.themes import GUIDES
from keryx.core.errors import ValidationFailed
from keryx.networks.rules import NETWORK_KEYS
from keryx.seminars import queries as seminar_queries
from keryx.seminars.models import Session, Speaker

router = Router(tags=["content"])
W = "/workspaces/{workspace}"


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
