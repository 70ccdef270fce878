"""API: the signed-in user, personal tokens, workspaces and their members."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from keryx.accounts.access import memberships_of
from keryx.accounts.domain import tokens, users, workspaces
from keryx.accounts.models import ApiToken, Membership
from keryx.accounts.roles import Perm, Role
from keryx.accounts.schemas import (
    MemberIn,
    MemberOut,
    MemberPatch,
    MeOut,
    MePatch,
    TokenCreated,
    TokenIn,
    TokenOut,
    WorkspaceIn,
    WorkspaceOut,
    WorkspacePatch,
)
from keryx.api.auth import api_user
from keryx.api.pagination import Page
from keryx.api.permissions import ANY_USER, access_for, needs

router = Router(tags=["accounts"])


def _workspace_out(membership: Membership) -> dict[str, Any]:
    ws = membership.workspace
    return {
        "id": ws.pk,
        "name": ws.name,
        "slug": ws.slug,
        "default_language": ws.default_language,
        "default_time_zone": ws.default_time_zone,
        "role": membership.role,
    }


def _member_out(m: Membership) -> dict[str, Any]:
    return {
        "id": m.pk,
        "email": m.user.email,
        "full_name": m.user.full_name,
        "role": m.role,
        "created_at": m.created_at,
    }


@router.get("/me", response=MeOut, operation_id="me_get", openapi_extra=needs(ANY_USER))
def me_get(request: HttpRequest) -> Any:
    return api_user(request)


@router.patch("/me", response=MeOut, operation_id="me_update", openapi_extra=needs(ANY_USER))
def me_update(request: HttpRequest, payload: MePatch) -> Any:
    user = api_user(request)
    if payload.language is not None:
        users.user_set_language(user=user, language=payload.language)
    return users.user_update_profile(
        user=user, full_name=payload.full_name, time_zone=payload.time_zone
    )


@router.get(
    "/me/tokens", response=list[TokenOut], operation_id="tokens_list", openapi_extra=needs(ANY_USER)
)
def tokens_list(request: HttpRequest) -> Any:
    return ApiToken.objects.filter(user=api_user(request))


@router.post(
    "/me/tokens",
    response={201: TokenCreated},
    operation_id="tokens_create",
    openapi_extra=needs(ANY_USER),
)
def tokens_create(request: HttpRequest, payload: TokenIn) -> Any:
    token, raw = tokens.token_create(
        user=api_user(request), name=payload.name, expires_at=payload.expires_at
    )
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": raw})


@router.post(
    "/me/tokens/{token_id}/revoke",
    response=TokenOut,
    operation_id="tokens_revoke",
    openapi_extra=needs(ANY_USER),
)
def tokens_revoke(request: HttpRequest, token_id: int) -> Any:
    return tokens.token_revoke(user=api_user(request), token_id=token_id)


@router.get(
    "/workspaces",
    response=list[WorkspaceOut],
    operation_id="workspaces_list",
    openapi_extra=needs(ANY_USER),
)
@paginate(Page)
def workspaces_list(request: HttpRequest) -> Any:
    return [_workspace_out(m) for m in memberships_of(api_user(request))]


@router.post(
    "/workspaces",
    response={201: WorkspaceOut},
    operation_id="workspaces_create",
    openapi_extra=needs(ANY_USER),
)
def workspaces_create(request: HttpRequest, payload: WorkspaceIn) -> Any:
    user = api_user(request)
    ws = workspaces.workspace_create(owner=user, **payload.dict())
    return Status(
        201,
        _workspace_out(Membership.objects.select_related("workspace").get(workspace=ws, user=user)),
    )


@router.get(
    "/workspaces/{workspace}",
    response=WorkspaceOut,
    operation_id="workspaces_get",
    openapi_extra=needs(Perm.WORKSPACE_VIEW),
)
def workspaces_get(request: HttpRequest, workspace: str) -> Any:
    access = access_for(request, workspace, Perm.WORKSPACE_VIEW)
    return {**_workspace_out(Membership(workspace=access.workspace, role=access.role))}


@router.patch(
    "/workspaces/{workspace}",
    response=WorkspaceOut,
    operation_id="workspaces_update",
    openapi_extra=needs(Perm.WORKSPACE_MANAGE),
)
def workspaces_update(request: HttpRequest, workspace: str, payload: WorkspacePatch) -> Any:
    access = access_for(request, workspace, Perm.WORKSPACE_MANAGE)
    ws = workspaces.workspace_update(access=access, **payload.dict(exclude_none=True))
    return _workspace_out(Membership(workspace=ws, role=access.role))


@router.get(
    "/workspaces/{workspace}/members",
    response=list[MemberOut],
    operation_id="members_list",
    openapi_extra=needs(Perm.MEMBERS_VIEW),
)
@paginate(Page)
def members_list(request: HttpRequest, workspace: str) -> Any:
    access = access_for(request, workspace, Perm.MEMBERS_VIEW)
    return [_member_out(m) for m in access.workspace.memberships.select_related("user")]


@router.post(
    "/workspaces/{workspace}/members",
    response={201: MemberOut},
    operation_id="members_add",
    openapi_extra=needs(Perm.MEMBERS_MANAGE),
)
def members_add(request: HttpRequest, workspace: str, payload: MemberIn) -> Any:
    access = access_for(request, workspace, Perm.MEMBERS_MANAGE)
    membership, _created = workspaces.membership_add(
        access=access, email=payload.email, role=payload.role
    )
    return Status(201, _member_out(membership))


@router.patch(
    "/workspaces/{workspace}/members/{member_id}",
    response=MemberOut,
    operation_id="members_update",
    openapi_extra=needs(Perm.MEMBERS_MANAGE),
)
def members_update(
    request: HttpRequest, workspace: str, member_id: int, payload: MemberPatch
) -> Any:
    access = access_for(request, workspace, Perm.MEMBERS_MANAGE)
    return _member_out(
        workspaces.membership_change_role(
            access=access, membership_id=member_id, role=Role(payload.role)
        )
    )


@router.delete(
    "/workspaces/{workspace}/members/{member_id}",
    response={204: None},
    operation_id="members_remove",
    openapi_extra=needs(Perm.MEMBERS_MANAGE),
)
def members_remove(request: HttpRequest, workspace: str, member_id: int) -> Any:
    access = access_for(request, workspace, Perm.MEMBERS_MANAGE)
    workspaces.membership_remove(access=access, membership_id=member_id)
    return Status(204, None)
