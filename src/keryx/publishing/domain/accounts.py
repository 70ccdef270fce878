"""What the pipeline needs from a connected account, from the networks app: the connector
(which stores tokens it renews during a call), fresh credentials before publishing, and the
"reconnect needed" flag with its one notification to owners and managers."""

from __future__ import annotations

from keryx.networks.base import Connector
from keryx.networks.domain.accounts import (
    account_mark_reconnect_needed,
    account_refresh_if_expiring,
    connector_for_account,
)
from keryx.networks.models import NetworkAccount

__all__ = [
    "account_connector",
    "account_mark_reconnect_needed",
    "account_refresh_if_expiring",
]


def account_connector(account: NetworkAccount) -> Connector:
    return connector_for_account(account)
