"""What the pipeline needs from a connected account: its connector, fresh credentials, and
the "reconnect needed" flag."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from importlib import import_module

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.networks.base import AccountState, Connector
from keryx.networks.models import AccountStatus, NetworkAccount
from keryx.networks.registry import connector_for

REFRESH_AHEAD = dt.timedelta(minutes=10)


def account_state(account: NetworkAccount) -> AccountState:
    return AccountState(
        network=account.network,
        remote_id=account.remote_id,
        handle=account.handle,
        base_url=account.base_url,
        credentials=dict(account.credentials or {}),
        server_limits=dict(account.server_limits or {}),
    )


def account_connector(account: NetworkAccount) -> Connector:
    return connector_for(account_state(account))


@lru_cache(maxsize=1)
def _networks_refresh() -> Callable[[NetworkAccount], NetworkAccount] | None:
    try:
        module = import_module("keryx.networks.domain.accounts")
    except ModuleNotFoundError:
        return None
    found: Callable[[NetworkAccount], NetworkAccount] | None = getattr(
        module, "account_refresh_if_expiring", None
    )
    return found


def account_refresh_if_expiring(account: NetworkAccount) -> NetworkAccount:
    """Refresh the account's token when it expires within ten minutes.

    The networks app owns this (``keryx.networks.domain.accounts.account_refresh_if_expiring``);
    until it exists, this small version calls the connector directly. AuthExpired propagates.
    """
    refresh = _networks_refresh()
    if refresh is not None:
        return refresh(account)
    expires = account.token_expires_at
    if expires is None or expires > timezone.now() + REFRESH_AHEAD:
        return account
    fresh = account_connector(account).refresh_credentials()
    if fresh is None:
        return account
    account.credentials = fresh.credentials
    account.token_expires_at = fresh.token_expires_at
    account.save(update_fields=["credentials", "token_expires_at", "updated_at"])
    return account


@transaction.atomic
def account_flag_reconnect(*, account_id: int, message: str) -> bool:
    """Mark the account "reconnect needed"; True when this call changed it (notify once)."""
    changed = NetworkAccount.objects.filter(pk=account_id, status=AccountStatus.CONNECTED).update(
        status=AccountStatus.RECONNECT_NEEDED,
        status_message=(message or _("The network no longer accepts Keryx's access."))[:500],
        updated_at=timezone.now(),
    )
    return bool(changed)
