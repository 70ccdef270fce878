"""API: tracked links, their QR codes and clicks, and the funnel of a seminar."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import paginate

from keryx.accounts.roles import Perm
from keryx.api.pagination import Page
from keryx.api.permissions import access_for, needs
from keryx.links import queries
from keryx.links.domain.links import (
    LinkData,
    tracked_link_create,
    tracked_link_delete,
    tracked_link_update,
)
from keryx.links.enums import Touch
from keryx.links.funnel import funnel_of
from keryx.links.qr import FORMATS, qr_image
from keryx.links.schemas import ClicksOut, FunnelOut, LinkIn, LinkOut, LinkPatch
from keryx.seminars.queries import seminar_in

router = Router(tags=["links"])
SEMINAR = "/workspaces/{workspace}/seminars/{seminar_id}"
LINK = "/workspaces/{workspace}/links/{link_id}"

_QR_RESPONSES = {
    "responses": {
        "200": {
            "description": "The QR code of the short link.",
            "content": {"image/svg+xml": {}, "image/png": {}},
        }
    }
}


@router.get(
    f"{SEMINAR}/links",
    response=list[LinkOut],
    operation_id="links_list",
    openapi_extra=needs(Perm.LINKS_VIEW),
)
@paginate(Page)
def links_list(request: HttpRequest, workspace: str, seminar_id: int) -> Any:
    access = access_for(request, workspace, Perm.LINKS_VIEW)
    return queries.links_of(access, seminar_in(access, seminar_id))


@router.post(
    f"{SEMINAR}/links",
    response={201: LinkOut},
    operation_id="links_create",
    openapi_extra=needs(Perm.LINKS_EDIT),
)
def links_create(request: HttpRequest, workspace: str, seminar_id: int, payload: LinkIn) -> Any:
    access = access_for(request, workspace, Perm.LINKS_EDIT)
    seminar = seminar_in(access, seminar_id)
    link = tracked_link_create(access=access, seminar=seminar, data=LinkData(**payload.dict()))
    return Status(201, queries.link_in(access, link.pk))


@router.get(LINK, response=LinkOut, operation_id="links_get", openapi_extra=needs(Perm.LINKS_VIEW))
def links_get(request: HttpRequest, workspace: str, link_id: int) -> Any:
    access = access_for(request, workspace, Perm.LINKS_VIEW)
    return queries.link_in(access, link_id)


@router.patch(
    LINK, response=LinkOut, operation_id="links_update", openapi_extra=needs(Perm.LINKS_EDIT)
)
def links_update(request: HttpRequest, workspace: str, link_id: int, payload: LinkPatch) -> Any:
    access = access_for(request, workspace, Perm.LINKS_EDIT)
    link = queries.link_in(access, link_id)
    tracked_link_update(access=access, link=link, data=LinkData(**payload.dict(exclude_unset=True)))
    return queries.link_in(access, link_id)


@router.delete(
    LINK, response={204: None}, operation_id="links_delete", openapi_extra=needs(Perm.LINKS_EDIT)
)
def links_delete(request: HttpRequest, workspace: str, link_id: int) -> Any:
    access = access_for(request, workspace, Perm.LINKS_EDIT)
    tracked_link_delete(access=access, link=queries.link_in(access, link_id))
    return Status(204, None)


@router.get(
    f"{LINK}/qr",
    operation_id="links_qr",
    openapi_extra={**needs(Perm.LINKS_VIEW), **_QR_RESPONSES},
)
def links_qr(
    request: HttpRequest, workspace: str, link_id: int, format: Literal["svg", "png"] = "svg"
) -> HttpResponse:
    access = access_for(request, workspace, Perm.LINKS_VIEW)
    link = queries.link_in(access, link_id)
    response = HttpResponse(qr_image(link.short_url, format), content_type=FORMATS[format])
    response["Content-Disposition"] = f'attachment; filename="keryx-{link.code}.{format}"'
    return response


@router.get(
    f"{LINK}/clicks",
    response=ClicksOut,
    operation_id="links_clicks",
    openapi_extra=needs(Perm.LINKS_VIEW),
)
def links_clicks(request: HttpRequest, workspace: str, link_id: int) -> Any:
    access = access_for(request, workspace, Perm.LINKS_VIEW)
    link = queries.link_in(access, link_id)
    return {
        "link_id": link.pk,
        "code": link.code,
        "human_clicks": link.human_clicks,  # type: ignore[attr-defined]
        "unique_visitors": link.unique_visitors,  # type: ignore[attr-defined]
        "preview_clicks": link.preview_clicks,  # type: ignore[attr-defined]
        "bot_clicks": link.bot_clicks,  # type: ignore[attr-defined]
        "untracked_clicks": link.untracked_clicks,  # type: ignore[attr-defined]
        "days": queries.clicks_by_day(link, time_zone=link.seminar.time_zone),
        "referrers": queries.top_referrers(link),
        "agents": queries.top_agents(link),
    }


@router.get(
    f"{SEMINAR}/funnel",
    response=FunnelOut,
    operation_id="funnel_get",
    openapi_extra=needs(Perm.LINKS_VIEW),
)
def funnel_get(
    request: HttpRequest, workspace: str, seminar_id: int, touch: Touch = Touch.LAST
) -> Any:
    access = access_for(request, workspace, Perm.LINKS_VIEW)
    return funnel_of(access, seminar_in(access, seminar_id), touch=touch).as_dict()
