"""Connecting an account through the network's OAuth redirect.

1. :func:`authorization_start` keeps a :class:`PendingAuthorization` (state, PKCE verifier,
   server) and returns the network's authorisation address;
2. the network sends the user back to the one callback address with ``code`` and ``state``;
   :func:`authorization_complete` checks that the state is this user's, unused and fresh,
   exchanges the code and stores the account (or, when the network gives several — a user's
   Facebook Pages — keeps them for :func:`authorization_choose`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access, workspace_access
from keryx.accounts.models import User
from keryx.accounts.roles import Perm
from keryx.core.errors import NotFound, ValidationFailed
from keryx.core.http import OutboundError, check_public_url
from keryx.networks.base import Authorization, ConnectedAccount, Connector, OAuthApp
from keryx.networks.domain.accounts import account_save_connected, connect_error
from keryx.networks.models import NetworkAccount, PendingAuthorization, ServerApp
from keryx.networks.oauth import new_state
from keryx.networks.registry import connector_class

PENDING_LIFETIME = dt.timedelta(minutes=15)


def callback_url() -> str:
    """The one redirect address every developer app registers (docs/networks/*.md)."""
    return settings.KERYX_BASE_URL + reverse("networks:oauth_callback")


def _oauth_connector(network: str) -> type[Connector]:
    try:
        cls = connector_class(network)
    except LookupError as exc:
        raise ValidationFailed(fields={"network": [_("Choose a network.")]}) from exc
    if cls.capabilities.connect != "oauth":
        raise ValidationFailed(
            fields={
                "network": [_("%(network)s is connected with a form.") % {"network": cls.label}]
            }
        )
    return cls


def _normalise_server(base_url: str) -> str:
    base_url = base_url.strip()
    if base_url and "://" not in base_url:
        base_url = "https://" + base_url
    return base_url.rstrip("/")


def _app_for(cls: type[Connector], base_url: str, redirect_uri: str) -> OAuthApp:
    """The developer app: from settings, or registered with the server once and kept."""
    if not base_url:
        app = cls.oauth_app()
        if app is None:
            raise ValidationFailed(
                _(
                    "%(network)s is not set up on this Keryx yet: the administrator must create "
                    "a developer app and set its keys (see docs/networks/%(key)s.md)."
                )
                % {"network": cls.label, "key": cls.key}
            )
        return app
    stored = ServerApp.objects.filter(
        network=cls.key, base_url=base_url, redirect_uri=redirect_uri
    ).first()
    if stored is not None:
        return OAuthApp(stored.client_id, stored.client_secret, base_url)
    app = cls.register_app(base_url=base_url, redirect_uri=redirect_uri)
    ServerApp.objects.get_or_create(
        network=cls.key,
        base_url=base_url,
        redirect_uri=redirect_uri,
        defaults={"client_id": app.client_id, "client_secret": app.client_secret},
    )
    return app


def authorization_start(*, access: Access, network: str, base_url: str = "") -> str:
    """Where to send the user's browser to authorise Keryx."""
    access.require(Perm.NETWORKS_CONNECT)
    cls = _oauth_connector(network)
    redirect_uri = callback_url()
    base_url = _normalise_server(base_url)
    try:
        if base_url or cls.key == "mastodon":
            if not base_url:
                raise ValidationFailed(fields={"base_url": [_("Enter your server's address.")]})
            check_public_url(base_url)
        app = _app_for(cls, base_url, redirect_uri)
        state = new_state()
        authorization = cls.authorize_url(
            redirect_uri=redirect_uri, state=state, base_url=base_url, app=app
        )
    except OutboundError as exc:
        field = "base_url" if base_url else "__all__"
        raise ValidationFailed(fields={field: [connect_error(exc)]}) from exc
    PendingAuthorization.objects.create(
        state=state,
        workspace=access.workspace,
        user=access.user,
        network=cls.key,
        base_url=base_url,
        redirect_uri=redirect_uri,
        data={"code_verifier": authorization.code_verifier, "extra": authorization.extra},
        expires_at=timezone.now() + PENDING_LIFETIME,
    )
    return authorization.url


def _pending_for(user: User, state: str) -> PendingAuthorization:
    pending = (
        PendingAuthorization.objects.select_related("workspace")
        .filter(state=state, user=user)
        .first()
    )
    if pending is None or pending.used_at is not None or pending.expires_at < timezone.now():
        raise NotFound(
            _("This sign-in link has expired or was already used. Start connecting again.")
        )
    return pending


def workspace_slug_of(*, user: User, state: str) -> str:
    """The workspace an authorisation was started in (to go back to after a failure)."""
    pending = PendingAuthorization.objects.filter(state=state, user=user).first()
    return pending.workspace.slug if pending is not None else ""


def authorization_complete(
    *, user: User, state: str, code: str, error: str = ""
) -> tuple[PendingAuthorization, list[NetworkAccount]]:
    """Finish the redirect: one account is stored at once; several are kept to choose from
    (the second item is then empty and ``pending.data["candidates"]`` lists them)."""
    with transaction.atomic():
        pending = _pending_for(user, state)
        pending.used_at = timezone.now()
        pending.save(update_fields=["used_at"])
    access = workspace_access(user, pending.workspace, Perm.NETWORKS_CONNECT)
    cls = _oauth_connector(pending.network)
    if error or not code:
        raise ValidationFailed(
            _("%(network)s did not authorise Keryx (%(error)s). Nothing was connected.")
            % {"network": cls.label, "error": error or _("no code")}
        )
    authorization = Authorization(
        url="",
        state=state,
        code_verifier=str(pending.data.get("code_verifier", "")),
        extra=dict(pending.data.get("extra") or {}),
    )
    try:
        app = _app_for(cls, pending.base_url, pending.redirect_uri)
        accounts = cls.complete_authorization(
            redirect_uri=pending.redirect_uri,
            code=code,
            authorization=authorization,
            base_url=pending.base_url,
            app=app,
        )
    except OutboundError as exc:
        raise ValidationFailed(
            _("The account was not connected. %(reason)s") % {"reason": connect_error(exc)}
        ) from exc
    if len(accounts) == 1:
        return pending, [
            account_save_connected(access=access, network=cls.key, connected=accounts[0])
        ]
    if not accounts:
        raise ValidationFailed(
            _("%(network)s gave Keryx no account to publish to.") % {"network": cls.label}
        )
    pending.data = {**pending.data, "candidates": [_plain(a) for a in accounts]}
    pending.expires_at = timezone.now() + PENDING_LIFETIME
    pending.save(update_fields=["data", "expires_at"])
    return pending, []


def _plain(account: ConnectedAccount) -> dict[str, Any]:
    data = asdict(account)
    if account.token_expires_at is not None:
        data["token_expires_at"] = account.token_expires_at.isoformat()
    return data


def candidates_of(pending: PendingAuthorization) -> list[ConnectedAccount]:
    found = []
    for item in pending.data.get("candidates") or []:
        item = dict(item)
        if item.get("token_expires_at"):
            item["token_expires_at"] = dt.datetime.fromisoformat(item["token_expires_at"])
        found.append(ConnectedAccount(**item))
    return found


def pending_choice_in(access: Access, pending_id: int) -> PendingAuthorization:
    pending = PendingAuthorization.objects.filter(
        pk=pending_id, workspace=access.workspace, user=access.user
    ).first()
    if pending is None or not pending.data.get("candidates"):
        raise NotFound()
    if pending.expires_at < timezone.now():
        raise NotFound(_("This choice has expired. Start connecting again."))
    return pending


@transaction.atomic
def authorization_choose(
    *, access: Access, pending: PendingAuthorization, remote_ids: list[str]
) -> list[NetworkAccount]:
    """Store the accounts the user chose among those the network gave."""
    access.require(Perm.NETWORKS_CONNECT)
    chosen = [c for c in candidates_of(pending) if c.remote_id in set(remote_ids)]
    if not chosen:
        raise ValidationFailed(fields={"accounts": [_("Choose at least one account.")]})
    saved = [
        account_save_connected(access=access, network=pending.network, connected=c) for c in chosen
    ]
    pending.data = {}
    pending.save(update_fields=["data"])
    return saved
