"""API: connected network accounts (list, connect form-based ones, check, disconnect)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from keryx.accounts.roles import Perm
from keryx.api.pagination import Page
from keryx.api.permissions import access_for, needs
from keryx.networks import queries
from keryx.networks.domain.accounts import account_check, account_connect_form, account_disconnect
from keryx.networks.schemas import ConnectIn, NetworkAccountOut

router = Router(tags=["networks"])
ACCOUNTS = "/workspaces/{workspace}/network-accounts"


@router.get(
    ACCOUNTS,
    response=list[NetworkAccountOut],
    operation_id="network_accounts_list",
    openapi_extra=needs(Perm.NETWORKS_VIEW),
)
@paginate(Page)
def network_accounts_list(request: HttpRequest, workspace: str) -> Any:
    return queries.accounts_in(access_for(request, workspace, Perm.NETWORKS_VIEW))


@router.get(
    ACCOUNTS + "/{account_id}",
    response=NetworkAccountOut,
    operation_id="network_accounts_get",
    openapi_extra=needs(Perm.NETWORKS_VIEW),
)
def network_accounts_get(request: HttpRequest, workspace: str, account_id: int) -> Any:
    return queries.account_in(access_for(request, workspace, Perm.NETWORKS_VIEW), account_id)


@router.post(
    ACCOUNTS,
    response={201: NetworkAccountOut},
    operation_id="network_accounts_connect",
    openapi_extra=needs(Perm.NETWORKS_CONNECT),
)
def network_accounts_connect(request: HttpRequest, workspace: str, payload: ConnectIn) -> Any:
    access = access_for(request, workspace, Perm.NETWORKS_CONNECT)
    data = payload.dict(exclude={"network"})
    return Status(201, account_connect_form(access=access, network=payload.network, data=data))


@router.post(
    ACCOUNTS + "/{account_id}/check",
    response=NetworkAccountOut,
    operation_id="network_accounts_check",
    openapi_extra=needs(Perm.NETWORKS_CONNECT),
)
def network_accounts_check(request: HttpRequest, workspace: str, account_id: int) -> Any:
    access = access_for(request, workspace, Perm.NETWORKS_CONNECT)
    return account_check(access=access, account=queries.account_in(access, account_id))


@router.delete(
    ACCOUNTS + "/{account_id}",
    response=NetworkAccountOut,
    operation_id="network_accounts_disconnect",
    openapi_extra=needs(Perm.NETWORKS_CONNECT),
)
def network_accounts_disconnect(request: HttpRequest, workspace: str, account_id: int) -> Any:
    access = access_for(request, workspace, Perm.NETWORKS_CONNECT)
    return account_disconnect(access=access, account=queries.account_in(access, account_id))
