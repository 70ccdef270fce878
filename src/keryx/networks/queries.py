"""Reads of connected accounts, always scoped to the workspace."""

from __future__ import annotations

from django.db.models import QuerySet

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.errors import NotFound
from keryx.networks.models import AccountStatus, NetworkAccount


def accounts_in(access: Access) -> QuerySet[NetworkAccount]:
    access.require(Perm.NETWORKS_VIEW)
    return NetworkAccount.objects.filter(workspace=access.workspace).order_by(
        "network", "name", "id"
    )


def account_in(access: Access, account_id: int) -> NetworkAccount:
    account = accounts_in(access).filter(pk=account_id).first()
    if account is None:
        raise NotFound()
    return account


def publishable_accounts_in(access: Access) -> QuerySet[NetworkAccount]:
    """The accounts a post can go to now (for the composer)."""
    return accounts_in(access).filter(status=AccountStatus.CONNECTED)
