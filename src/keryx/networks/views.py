"""Settings → Connected accounts: see each account's health, connect (OAuth redirect or a
form), check, reconnect and disconnect."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.errors import KeryxError, NotFound
from keryx.networks import queries
from keryx.networks.domain import oauth
from keryx.networks.domain.accounts import (
    account_check,
    account_connect_form,
    account_disconnect,
    account_health,
)
from keryx.networks.domain.reading import account_reads_set, reading_summary
from keryx.networks.forms import ChooseAccountsForm
from keryx.networks.registry import (
    available_connectors,
    connector_class,
    find_spec,
    network_keys,
    spec,
)
from keryx.web.access import area, raise_http
from keryx.web.forms import apply_error


def _oauth_networks() -> list[dict[str, Any]]:
    """The networks connected by redirect, and whether this Keryx has their app keys."""
    found = []
    for cls in available_connectors():
        if spec(cls.key).connect.kind != "oauth":
            continue
        found.append({"key": cls.key, "label": cls.label, "ready": cls.oauth_app() is not None})
    return found


def _form_class(network: str) -> type[forms.Form] | None:
    """The form a network is connected with (its spec's ``connect.form_class``), if any."""
    found = find_spec(network)
    if found is None or not found.connect.form_class:
        return None
    form_class: type[forms.Form] = import_string(found.connect.form_class)
    return form_class


def _paid(account: Any) -> bool:
    """Reads of this account cost money (X): the page offers to turn them on."""
    found = find_spec(account.network)
    return found is not None and any(q.opt_in for q in found.read_quotas)


def _connect_kind(network: str) -> str:
    found = find_spec(network)
    return found.connect.kind if found is not None else ""


def _connect_forms() -> dict[str, forms.Form]:
    """An empty connect form for each network that has one (Mastodon's server, Bluesky,
    a webhook), by network key."""
    return {
        key: form_class() for key in network_keys() if (form_class := _form_class(key)) is not None
    }


# Where each kind of connect form is sent (the spec's ``connect.kind``).
FORM_ACTIONS = {"server": "networks:connect_oauth", "form": "networks:connect_form"}


def _connect_sections(forms_: dict[str, forms.Form]) -> list[dict[str, Any]]:
    """One section of the connect page per network connected with a form, in the registry's
    order, built from its spec alone (``connect``: the form, its help, its button)."""
    sections = []
    for key, form in forms_.items():
        declared = spec(key)
        sections.append(
            {
                "key": key,
                "order": declared.order,
                "label": declared.name,
                "form": form,
                "action": FORM_ACTIONS[declared.connect.kind],
                "help": declared.connect.help,
                "submit": declared.connect.submit,
            }
        )
    return sorted(sections, key=lambda section: section["order"])


def _reconnect_forms(request: HttpRequest, accounts: list[Any]) -> dict[str, forms.Form]:
    """``?reconnect=<id>``: that account's connect form, open and filled in with what Keryx
    already knows (never a secret)."""
    raw = request.GET.get("reconnect", "")
    account = next((a for a in accounts if str(a.pk) == raw), None)
    form_class = _form_class(account.network) if account is not None else None
    if account is None or form_class is None or spec(account.network).connect.kind != "form":
        return {}
    known = {
        "handle": account.handle.lstrip("@"),
        "base_url": account.base_url,
        "name": account.name,
    }
    initial = {
        field: known[source]
        for field, source in spec(account.network).connect.reconnect_initial.items()
    }
    return {account.network: form_class(initial=initial)}


def _page(
    request: HttpRequest, access: Access, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    accounts = list(queries.accounts_in(access).select_related("connected_by"))
    reconnect = {} if bound else _reconnect_forms(request, accounts)
    forms_ = {**_connect_forms(), **reconnect, **(bound or {})}
    return render(
        request,
        "networks/accounts.html",
        {
            "access": access,
            "tab": "accounts",
            "rows": [
                (a, account_health(a), _connect_kind(a.network), reading_summary(a), _paid(a))
                for a in accounts
            ],
            "can_connect": access.can(Perm.NETWORKS_CONNECT),
            "oauth_networks": _oauth_networks(),
            "connect_sections": _connect_sections(forms_),
            "open": next(iter(bound or reconnect), ""),
        },
        status=422 if bound else 200,
    )


@area(Perm.NETWORKS_VIEW, key="settings")
def accounts(request: HttpRequest, access: Access) -> HttpResponse:
    return _page(request, access)


@require_POST
@area(Perm.NETWORKS_CONNECT, key="settings")
def connect_oauth(request: HttpRequest, access: Access, network: str) -> HttpResponse:
    """Start the redirect to the network (Mastodon: after its server's address)."""
    form_class = _form_class(network) if find_spec(network) is not None else None
    server = form_class is not None and spec(network).connect.kind == "server"
    form = form_class(request.POST) if server and form_class is not None else None
    if form is not None and not form.is_valid():
        return _page(request, access, {network: form})
    base_url = form.cleaned_data["base_url"] if form is not None else ""
    try:
        url = oauth.authorization_start(access=access, network=network, base_url=base_url)
    except KeryxError as exc:
        if form is None:
            details = [m for field in exc.fields.values() for m in field]
            messages.error(request, " ".join([exc.message, *details]))
            return redirect("networks:accounts", workspace=access.workspace.slug)
        apply_error(form, exc)
        return _page(request, access, {network: form})
    # A page that moves on by itself rather than a redirect: the CSP's form-action 'self'
    # rightly stops a form from redirecting to another site.
    return render(
        request,
        "networks/redirect.html",
        {
            "access": access,
            "url": url,
            "host": urlsplit(url).hostname or url,
            "network": connector_class(network).label,
        },
    )


@require_POST
@area(Perm.NETWORKS_CONNECT, key="settings")
def connect_form(request: HttpRequest, access: Access, network: str) -> HttpResponse:
    form_class = _form_class(network)
    if form_class is None or spec(network).connect.kind != "form":
        raise_http(NotFound())
        raise NotFound()
    form = form_class(request.POST)
    if form.is_valid():
        try:
            account = account_connect_form(access=access, network=network, data=form.cleaned_data)
        except KeryxError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Connected %(account)s.") % {"account": account})
            return redirect("networks:accounts", workspace=access.workspace.slug)
    return _page(request, access, {network: form})


@require_POST
@area(Perm.NETWORKS_CONNECT, key="settings")
def check(request: HttpRequest, access: Access, account_id: int) -> HttpResponse:
    account = account_check(access=access, account=queries.account_in(access, account_id))
    health = account_health(account)
    text = f"{account}: {health.label}. {health.detail}".strip()
    (messages.success if health.state == "connected" else messages.warning)(request, text)
    return redirect("networks:accounts", workspace=access.workspace.slug)


@require_POST
@area(Perm.NETWORKS_CONNECT, key="settings")
def reads(request: HttpRequest, access: Access, account_id: int) -> HttpResponse:
    """Turn paid reads (X) on or off, with a cap per 30 days."""
    account = queries.account_in(access, account_id)
    raw_cap = request.POST.get("monthly_cap", "").strip()
    try:
        account_reads_set(
            access=access,
            account=account,
            enabled=request.POST.get("enabled") == "1",
            monthly_cap=int(raw_cap) if raw_cap.isdigit() else None,
        )
    except KeryxError as exc:
        details = [m for field in exc.fields.values() for m in field]
        messages.error(request, " ".join([exc.message, *details]).strip())
    else:
        messages.success(
            request, _("Saved the reading settings of %(account)s.") % {"account": account}
        )
    return redirect("networks:accounts", workspace=access.workspace.slug)


@require_POST
@area(Perm.NETWORKS_CONNECT, key="settings")
def disconnect(request: HttpRequest, access: Access, account_id: int) -> HttpResponse:
    account = account_disconnect(access=access, account=queries.account_in(access, account_id))
    messages.success(request, _("Disconnected %(account)s.") % {"account": account})
    return redirect("networks:accounts", workspace=access.workspace.slug)


@require_GET
@login_required
def oauth_callback(request: HttpRequest) -> HttpResponse:
    """The one address every network sends the user back to. Not under a workspace (the
    developer apps register one fixed address): the workspace comes from the server-side
    state, and the same access check as every other view is made in the domain."""
    try:
        pending, connected = oauth.authorization_complete(
            user=request.user,  # type: ignore[arg-type]
            state=request.GET.get("state", ""),
            code=request.GET.get("code", ""),
            error=request.GET.get("error_description") or request.GET.get("error", ""),
        )
    except NotFound as exc:
        messages.error(request, exc.message)
        return redirect("web:home")
    except KeryxError as exc:
        messages.error(request, exc.message)
        slug = oauth.workspace_slug_of(user=request.user, state=request.GET.get("state", ""))  # type: ignore[arg-type]
        if not slug:
            return redirect("web:home")
        return redirect("networks:accounts", workspace=slug)
    if not connected:
        return redirect("networks:choose", workspace=pending.workspace.slug, pending_id=pending.pk)
    messages.success(
        request,
        _("Connected %(accounts)s.") % {"accounts": ", ".join(str(a) for a in connected)},
    )
    return redirect("networks:accounts", workspace=pending.workspace.slug)


@area(Perm.NETWORKS_CONNECT, key="settings")
def choose(request: HttpRequest, access: Access, pending_id: int) -> HttpResponse:
    pending = oauth.pending_choice_in(access, pending_id)
    candidates = oauth.candidates_of(pending)
    form = ChooseAccountsForm(
        request.POST or None,
        choices=[(c.remote_id, f"{c.name} {c.handle}".strip()) for c in candidates],
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = oauth.authorization_choose(
                access=access, pending=pending, remote_ids=form.cleaned_data["accounts"]
            )
        except KeryxError as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request,
                _("Connected %(accounts)s.") % {"accounts": ", ".join(str(a) for a in saved)},
            )
            return redirect("networks:accounts", workspace=access.workspace.slug)
    return render(
        request,
        "networks/choose.html",
        {"access": access, "tab": "accounts", "form": form, "pending": pending},
    )
