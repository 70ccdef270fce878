"""Connected accounts: connect, check, refresh, disconnect — and the connector for one.

The publishing pipeline calls :func:`connector_for_account` (tokens renewed during a call are
stored here) and :func:`account_refresh_if_expiring` before publishing; when a call raises
``AuthExpired`` it calls :func:`account_mark_reconnect_needed`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from keryx.accounts.access import Access
from keryx.accounts.models import User
from keryx.accounts.roles import Perm, Role
from keryx.core.domain.audit import audit_record
from keryx.core.errors import ValidationFailed
from keryx.core.http import AuthExpired, OutboundError, Unavailable
from keryx.networks.base import AccountState, ConnectedAccount, Connector
from keryx.networks.models import AccountStatus, NetworkAccount
from keryx.networks.registry import connector_class

logger = logging.getLogger(__name__)

# Refresh a token this long before it expires (X's last two hours; a margin for the queue).
REFRESH_MARGIN = dt.timedelta(minutes=30)
# Warn people this long before a token that cannot renew itself expires (Meta's 60 days).
EXPIRY_WARNING = dt.timedelta(days=7)


def account_state(account: NetworkAccount) -> AccountState:
    return AccountState(
        network=account.network,
        remote_id=account.remote_id,
        handle=account.handle,
        base_url=account.base_url,
        credentials=dict(account.credentials or {}),
        server_limits=dict(account.server_limits or {}),
    )


def connector_for_account(account: NetworkAccount) -> Connector:
    """The account's connector; tokens it renews by itself during a call are saved."""

    def save(credentials: dict[str, Any], expires_at: dt.datetime | None) -> None:
        _store_credentials(account, credentials, expires_at)

    return connector_class(account.network)(account_state(account), on_credentials=save)


def _store_credentials(
    account: NetworkAccount, credentials: dict[str, Any], expires_at: dt.datetime | None
) -> None:
    account.credentials = credentials
    account.token_expires_at = expires_at
    account.save(update_fields=["credentials", "token_expires_at", "updated_at"])


# --- connecting ----------------------------------------------------------------------------


@transaction.atomic
def account_save_connected(
    *, access: Access, network: str, connected: ConnectedAccount
) -> NetworkAccount:
    """Store an account the user authorised (new, or the same remote account reconnected)."""
    access.require(Perm.NETWORKS_CONNECT)
    account = (
        NetworkAccount.objects.select_for_update()
        .filter(
            workspace=access.workspace,
            network=network,
            remote_id=connected.remote_id,
            base_url=connected.base_url,
        )
        .first()
    )
    created = account is None
    if account is None:
        account = NetworkAccount(workspace=access.workspace, network=network)
    account.remote_id = connected.remote_id
    account.base_url = connected.base_url
    account.name = connected.name[:200] or connected.handle[:200] or network
    account.handle = connected.handle[:200]
    account.profile_url = connected.profile_url
    account.avatar_url = connected.avatar_url
    account.credentials = dict(connected.credentials)
    account.token_expires_at = connected.token_expires_at
    account.server_limits = dict(connected.server_limits)
    account.status = AccountStatus.CONNECTED
    account.status_message = ""
    account.connected_by = access.user
    account.last_checked_at = timezone.now()
    account.full_clean(exclude=["credentials"], validate_constraints=False)
    account.save()
    audit_record(
        action="network_account.connect" if created else "network_account.reconnect",
        actor=access.user,
        workspace=access.workspace,
        obj=account,
        changes={"network": network, "handle": account.handle},
    )
    return account


def account_connect_form(
    *, access: Access, network: str, data: Mapping[str, str]
) -> NetworkAccount:
    """Connect with what the user typed (Bluesky handle + app password, webhook URL)."""
    access.require(Perm.NETWORKS_CONNECT)
    try:
        cls = connector_class(network)
    except LookupError as exc:
        raise ValidationFailed(fields={"network": [_("Choose a network.")]}) from exc
    if cls.capabilities.connect != "form":
        raise ValidationFailed(
            fields={
                "network": [
                    _("%(network)s is connected by signing in there.") % {"network": cls.label}
                ]
            }
        )
    try:
        connected = cls.connect_form(data=data)
    except OutboundError as exc:
        reason = connect_error(exc)
        raise ValidationFailed(
            _("The account was not connected. %(reason)s") % {"reason": reason},
            fields={"__all__": [reason]},
        ) from exc
    return account_save_connected(access=access, network=network, connected=connected)


def connect_error(exc: OutboundError) -> str:
    """What to tell someone whose connection failed: the network's answer, and what to do
    when that is to sign in again (the publishing hints do not apply here)."""
    if isinstance(exc, AuthExpired):
        return exc.user_message
    if isinstance(exc, Unavailable):
        return _("%(reason)s Try again in a moment.") % {"reason": exc.message}
    return exc.message


# --- health --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Health:
    # connected | expiring | unreachable | reconnect_needed | disconnected | not_linked
    state: str
    label: str
    detail: str
    days_left: int | None = None


def account_health(account: NetworkAccount, *, now: dt.datetime | None = None) -> Health:
    now = now or timezone.now()
    if account.status == AccountStatus.DISCONNECTED:
        return Health("disconnected", _("Disconnected"), _("Connect it again to publish here."))
    if account.status == AccountStatus.RECONNECT_NEEDED:
        return Health(
            "reconnect_needed",
            _("Reconnect needed"),
            account.status_message
            or _("Keryx can no longer publish here. Press Reconnect and sign in again."),
        )
    if not account.credentials and not account.remote_id:  # the demo's accounts: a name only
        return Health(
            "not_linked",
            _("Not linked"),
            _(
                "This account has no keys (a demo account), so nothing is published to it. "
                "Press Reconnect to link it to the real account."
            ),
        )
    if account.status_message:  # the last check could not reach the network
        return Health("unreachable", _("Not reachable"), account.status_message)
    expires = account.token_expires_at
    renews = _renews_itself(account.network)
    if expires is None or renews:
        return Health("connected", _("Connected"), _("Renews itself.") if renews else "")
    days = max(0, (expires - now).days)
    if expires - now <= EXPIRY_WARNING:
        return Health(
            "expiring",
            _expires(days),
            _("Reconnect before then to keep publishing."),
            days,
        )
    return Health("connected", _expires(days), "", days)


def _expires(days: int) -> str:
    return ngettext("Expires in %(days)d day", "Expires in %(days)d days", days) % {"days": days}


def _renews_itself(network: str) -> bool:
    try:
        return connector_class(network).capabilities.refresh
    except LookupError:
        return False


# --- checking, refreshing, flagging ----------------------------------------------------------


def account_check(*, access: Access, account: NetworkAccount) -> NetworkAccount:
    """Ask the network whether the credentials still work; update the account's details."""
    access.require(Perm.NETWORKS_CONNECT)
    try:
        seen = connector_for_account(account).verify()
    except AuthExpired as exc:
        account_mark_reconnect_needed(account=account, message=exc.user_message)
        return account
    except OutboundError as exc:
        account.status_message = connect_error(exc)[:500]
        account.last_checked_at = timezone.now()
        account.save(update_fields=["status_message", "last_checked_at", "updated_at"])
        return account
    account.name = seen.name[:200] or account.name
    account.handle = seen.handle[:200] or account.handle
    account.avatar_url = seen.avatar_url or account.avatar_url
    account.profile_url = seen.profile_url or account.profile_url
    if seen.server_limits:
        account.server_limits = dict(seen.server_limits)
    account.status = AccountStatus.CONNECTED
    account.status_message = ""
    account.last_checked_at = timezone.now()
    account.save(
        update_fields=[
            "name",
            "handle",
            "avatar_url",
            "profile_url",
            "server_limits",
            "status",
            "status_message",
            "last_checked_at",
            "updated_at",
        ]
    )
    return account


def account_refresh_if_expiring(
    account: NetworkAccount, *, margin: dt.timedelta = REFRESH_MARGIN
) -> bool:
    """Renew the account's token when it expires within ``margin`` (for the pipeline, before
    publishing; and the periodic job). Returns True when new credentials were stored.

    ``AuthExpired`` flags the account *reconnect needed* and notifies its owners and
    managers; transient errors are left for the next try (and raised, so a caller about to
    publish knows)."""
    if account.status != AccountStatus.CONNECTED or account.token_expires_at is None:
        return False
    if account.token_expires_at - timezone.now() > margin:
        return False
    connector = connector_for_account(account)
    try:
        fresh = connector.refresh_credentials()
    except AuthExpired as exc:
        account_mark_reconnect_needed(account=account, message=exc.user_message)
        return False
    if fresh is None:
        return False
    _store_credentials(account, dict(fresh.credentials), fresh.token_expires_at)
    return True


def accounts_refresh_expiring(*, margin: dt.timedelta = REFRESH_MARGIN) -> int:
    """Renew every connected account's token that expires within ``margin`` (the periodic
    job; safe to run twice). Returns how many were renewed; a network that is down now is
    tried again at the next run."""
    due = NetworkAccount.objects.filter(
        status=AccountStatus.CONNECTED,
        token_expires_at__isnull=False,
        token_expires_at__lte=timezone.now() + margin,
    ).select_related("workspace")
    renewed = 0
    for account in due:
        if not _renews_itself(account.network):
            continue
        try:
            renewed += account_refresh_if_expiring(account, margin=margin)
        except OutboundError as exc:
            logger.info("renewing %s failed for now: %s", account, exc.detail or exc.message)
    return renewed


@transaction.atomic
def account_mark_reconnect_needed(*, account: NetworkAccount, message: str) -> None:
    """The network no longer accepts the credentials: flag the account and tell the
    workspace's owners and managers what to do (once, not at every failed call)."""
    from keryx.notifications.domain.notify import notify_in_their_language

    changed = account.status != AccountStatus.RECONNECT_NEEDED
    account.status = AccountStatus.RECONNECT_NEEDED
    account.status_message = message[:500]
    account.last_checked_at = timezone.now()
    account.save(update_fields=["status", "status_message", "last_checked_at", "updated_at"])
    if not changed:
        return
    audit_record(
        action="network_account.reconnect_needed",
        actor=None,
        workspace=account.workspace,
        obj=account,
        changes={"message": message[:500]},
    )
    recipients = User.objects.filter(
        memberships__workspace=account.workspace,
        memberships__role__in=[Role.OWNER, Role.MANAGER],
    ).distinct()
    notify_in_their_language(
        recipients=recipients,
        kind="network_account.reconnect_needed",
        words=lambda: (
            _("Reconnect %(account)s") % {"account": str(account)},
            _(
                "%(message)s Nothing is published to this account until someone reconnects it "
                "under Settings → Connected accounts."
            )
            % {"message": message},
        ),
        url=reverse("networks:accounts", kwargs={"workspace": account.workspace.slug}),
        workspace=account.workspace,
    )


def account_disconnect(*, access: Access, account: NetworkAccount) -> NetworkAccount:
    """Forget the credentials (asking the network to revoke them, best effort). The account
    row stays, so its posts and their numbers keep their history."""
    access.require(Perm.NETWORKS_CONNECT)
    if account.status != AccountStatus.DISCONNECTED:
        try:
            connector_for_account(account).revoke()
        except OutboundError as exc:
            logger.info("revoking %s failed: %s", account, exc.detail or exc.message)
    with transaction.atomic():
        return _forget(access, account)


def _forget(access: Access, account: NetworkAccount) -> NetworkAccount:
    account.credentials = {}
    account.token_expires_at = None
    account.status = AccountStatus.DISCONNECTED
    account.status_message = ""
    account.save(
        update_fields=["credentials", "token_expires_at", "status", "status_message", "updated_at"]
    )
    audit_record(
        action="network_account.disconnect",
        actor=access.user,
        workspace=access.workspace,
        obj=account,
    )
    return account
