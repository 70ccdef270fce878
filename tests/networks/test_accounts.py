"""Connected accounts through the views and the domain: who may see and connect, form errors,
the OAuth callback's checks, choosing among several accounts, health, refreshing before expiry
and the reconnect-needed notice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import respx
from django.test import Client
from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.networks.base import ConnectedAccount
from keryx.networks.domain.accounts import (
    account_connect_form,
    account_health,
    account_refresh_if_expiring,
    account_save_connected,
)
from keryx.networks.domain.oauth import authorization_start
from keryx.networks.models import AccountStatus, NetworkAccount, PendingAuthorization
from keryx.notifications.models import Notification
from tests.factories import make_member
from tests.networks.contract import Route, install

pytestmark = pytest.mark.django_db

WEBHOOK = {
    "name": "Slack #σεμινάρια",
    "url": "https://hooks.slack.com/services/T0/B0/x",
    "style": "slack",
    "secret": "",
}


def _page(workspace: Any) -> str:
    return f"/w/{workspace.slug}/settings/accounts/"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "status"),
    [("owner", 200), ("manager", 200), ("editor", 200), ("analyst", 200), ("viewer", 403)],
)
def test_accounts_page_is_for_roles_that_may_see_networks(
    role: str, status: int, workspace: Any, user: Any
) -> None:
    person = user if role == "owner" else make_member(workspace, role)
    response = _client(person).get(_page(workspace))
    assert response.status_code == status
    if status == 200:
        can_connect = role in {"owner", "manager"}
        assert ("Connect an account" in response.content.decode()) is can_connect


def test_editor_cannot_connect(workspace: Any) -> None:
    editor = make_member(workspace, "editor")
    response = _client(editor).post(_page(workspace) + "connect/webhook/form/", WEBHOOK)
    assert response.status_code == 403
    assert NetworkAccount.objects.count() == 0


def test_webhook_form_connects_and_keeps_the_url_secret(workspace: Any, user: Any) -> None:
    response = _client(user).post(_page(workspace) + "connect/webhook/form/", WEBHOOK)
    assert response.status_code == 302
    account = NetworkAccount.objects.get()
    assert (account.network, account.name, account.base_url) == (
        "webhook",
        "Slack #σεμινάρια",
        "https://hooks.slack.com",
    )
    assert account.credentials["url"] == WEBHOOK["url"]
    page = _client(user).get(_page(workspace)).content.decode()
    assert "Slack #σεμινάρια" in page
    assert "/services/T0/B0/x" not in page  # the secret part of the URL is never shown


def test_bad_input_is_shown_on_the_form_and_nothing_typed_is_lost(
    workspace: Any, user: Any
) -> None:
    response = _client(user).post(
        _page(workspace) + "connect/webhook/form/",
        {**WEBHOOK, "url": "http://10.0.0.5/hook", "style": "generic", "secret": "short"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Use an https:// address" in body
    assert 'value="Slack #σεμινάρια"' in body
    assert 'value="http://10.0.0.5/hook"' in body
    assert NetworkAccount.objects.count() == 0


def test_private_addresses_are_refused_even_over_https(workspace: Any, user: Any) -> None:
    access = workspace_access(user, workspace, Perm.NETWORKS_CONNECT)
    from keryx.core.errors import ValidationFailed

    for url in ("https://127.0.0.1/hook", "https://localhost/hook", "https://[::1]/x"):
        with pytest.raises(ValidationFailed) as info:
            account_connect_form(access=access, network="webhook", data={**WEBHOOK, "url": url})
        assert "inside your own network" in info.value.fields["__all__"][0]


def _pending(user: Any, workspace: Any, **data: Any) -> PendingAuthorization:
    return PendingAuthorization.objects.create(
        state="state-1",
        workspace=workspace,
        user=user,
        network="x",
        redirect_uri="https://keryx.example/networks/oauth/callback/",
        data={"code_verifier": "v" * 64, **data},
        expires_at=timezone.now() + dt.timedelta(minutes=15),
    )


def test_callback_refuses_another_users_state(workspace: Any, user: Any) -> None:
    _pending(user, workspace)
    stranger = make_member(workspace, "manager")
    response = _client(stranger).get("/networks/oauth/callback/?state=state-1&code=abc")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert PendingAuthorization.objects.get().used_at is None


def test_callback_refuses_an_expired_or_used_state(workspace: Any, user: Any) -> None:
    pending = _pending(user, workspace)
    pending.expires_at = timezone.now() - dt.timedelta(seconds=1)
    pending.save()
    client = _client(user)
    response = client.get("/networks/oauth/callback/?state=state-1&code=abc", follow=True)
    assert "This sign-in link has expired or was already used" in response.content.decode()


def test_callback_with_a_refusal_says_so(workspace: Any, user: Any, settings: Any) -> None:
    settings.KERYX_X_CLIENT_ID = "client"
    _pending(user, workspace)
    response = _client(user).get(
        "/networks/oauth/callback/?state=state-1&error=access_denied", follow=True
    )
    assert "X did not authorise Keryx (access_denied)" in response.content.decode()
    assert PendingAuthorization.objects.get().used_at is not None  # a state works once


def test_choosing_among_several_accounts(workspace: Any, user: Any) -> None:
    candidates = [
        {"remote_id": "p1", "name": "Σελίδα Σεμιναρίων", "handle": "", "credentials": {"t": 1}},
        {"remote_id": "p2", "name": "Άλλη σελίδα", "handle": "", "credentials": {"t": 2}},
    ]
    pending = _pending(user, workspace, candidates=candidates)
    client = _client(user)
    url = _page(workspace) + f"choose/{pending.pk}/"
    page = client.get(url).content.decode()
    assert "Σελίδα Σεμιναρίων" in page and "Άλλη σελίδα" in page
    assert client.post(url, {"accounts": ["p1"]}).status_code == 302
    account = NetworkAccount.objects.get()
    assert (account.remote_id, account.name, account.credentials) == (
        "p1",
        "Σελίδα Σεμιναρίων",
        {"t": 1},
    )
    assert client.get(url).status_code == 404  # the candidates are gone


def test_x_without_app_keys_explains_what_to_set(workspace: Any, user: Any) -> None:
    access = workspace_access(user, workspace, Perm.NETWORKS_CONNECT)
    from keryx.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as info:
        authorization_start(access=access, network="x")
    assert "docs/networks/x.md" in info.value.message


def test_x_authorization_keeps_state_and_verifier_server_side(
    workspace: Any, user: Any, settings: Any
) -> None:
    settings.KERYX_X_CLIENT_ID = "client-id"
    settings.KERYX_BASE_URL = "https://keryx.example"
    access = workspace_access(user, workspace, Perm.NETWORKS_CONNECT)
    url = authorization_start(access=access, network="x")
    pending = PendingAuthorization.objects.get()
    assert url.startswith("https://x.com/i/oauth2/authorize?")
    assert f"state={pending.state}" in url
    assert "redirect_uri=https%3A%2F%2Fkeryx.example%2Fnetworks%2Foauth%2Fcallback%2F" in url
    assert len(pending.data["code_verifier"]) >= 43
    assert pending.data["code_verifier"] not in url  # only its challenge travels


def _x_account(workspace: Any, user: Any, *, expires_in: dt.timedelta) -> NetworkAccount:
    access = workspace_access(user, workspace, Perm.NETWORKS_CONNECT)
    return account_save_connected(
        access=access,
        network="x",
        connected=ConnectedAccount(
            remote_id="2244994945",
            name="X Dev",
            handle="@TwitterDev",
            credentials={"access_token": "old", "refresh_token": "refresh-1"},
            token_expires_at=timezone.now() + expires_in,
        ),
    )


def test_refresh_if_expiring_stores_the_rotated_tokens(
    workspace: Any, user: Any, settings: Any
) -> None:
    settings.KERYX_X_CLIENT_ID = "client-id"
    account = _x_account(workspace, user, expires_in=dt.timedelta(minutes=10))
    with respx.mock(assert_all_mocked=True) as router:
        install(
            router, "x", [Route("POST", "https://api.x.com/2/oauth2/token", "token_refreshed.json")]
        )
        assert account_refresh_if_expiring(account) is True
    account.refresh_from_db()
    assert account.credentials["refresh_token"] == "new-refresh-token"
    assert account.token_expires_at > timezone.now() + dt.timedelta(minutes=110)
    assert account_health(account).label == "Connected"


def test_a_token_far_from_expiry_is_left_alone(workspace: Any, user: Any) -> None:
    account = _x_account(workspace, user, expires_in=dt.timedelta(hours=2))
    with respx.mock(assert_all_mocked=True) as router:
        assert account_refresh_if_expiring(account) is False
        assert router.calls.call_count == 0


def test_a_revoked_refresh_token_flags_the_account_and_tells_owners_and_managers(
    workspace: Any, user: Any, settings: Any
) -> None:
    settings.KERYX_X_CLIENT_ID = "client-id"
    manager = make_member(workspace, "manager")
    editor = make_member(workspace, "editor")
    account = _x_account(workspace, user, expires_in=dt.timedelta(minutes=5))
    with respx.mock(assert_all_mocked=True) as router:
        install(
            router, "x", [Route("POST", "https://api.x.com/2/oauth2/token", "token_invalid.json")]
        )
        assert account_refresh_if_expiring(account) is False
        assert account_refresh_if_expiring(account) is False  # flagged: no second call
        assert router.calls.call_count == 1
    account.refresh_from_db()
    assert account.status == AccountStatus.RECONNECT_NEEDED
    assert "Value passed for the token was invalid." in account.status_message
    notified = set(
        Notification.objects.filter(kind="network_account.reconnect_needed").values_list(
            "recipient__email", flat=True
        )
    )
    assert notified == {user.email, manager.email}
    assert editor.email not in notified
    health = account_health(account)
    assert (health.state, health.label) == ("reconnect_needed", "Reconnect needed")


def test_health_counts_the_days_to_expiry(workspace: Any, user: Any) -> None:
    access = workspace_access(user, workspace, Perm.NETWORKS_CONNECT)
    now = timezone.now()
    account = account_save_connected(
        access=access,
        network="webhook",
        connected=ConnectedAccount(
            remote_id="w", name="Hook", token_expires_at=now + dt.timedelta(days=5, hours=1)
        ),
    )
    health = account_health(account, now=now)
    assert (health.state, health.label, health.days_left) == ("expiring", "Expires in 5 days", 5)
    account.token_expires_at = now + dt.timedelta(days=40, hours=1)
    assert account_health(account, now=now).label == "Expires in 40 days"


def test_the_periodic_job_renews_only_what_is_due(workspace: Any, user: Any, settings: Any) -> None:
    from keryx.networks.tasks import refresh_expiring_tokens

    settings.KERYX_X_CLIENT_ID = "client-id"
    due = _x_account(workspace, user, expires_in=dt.timedelta(minutes=10))
    access = workspace_access(user, workspace, Perm.NETWORKS_CONNECT)
    later = account_save_connected(
        access=access,
        network="x",
        connected=ConnectedAccount(
            remote_id="783214",
            name="X",
            credentials={"access_token": "a", "refresh_token": "r"},
            token_expires_at=timezone.now() + dt.timedelta(hours=2),
        ),
    )
    with respx.mock(assert_all_mocked=True) as router:
        install(
            router, "x", [Route("POST", "https://api.x.com/2/oauth2/token", "token_refreshed.json")]
        )
        refresh_expiring_tokens.call_local()
        assert router.calls.call_count == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.credentials["access_token"] == "new-access-token"
    assert later.credentials["access_token"] == "a"


def test_api_connects_a_webhook_and_never_returns_credentials(api: Client, workspace: Any) -> None:
    base = f"/api/v1/workspaces/{workspace.slug}/network-accounts"
    created = api.post(base, {"network": "webhook", **WEBHOOK}, content_type="application/json")
    assert created.status_code == 201
    listed = api.get(base).json()
    (item,) = listed["items"]
    assert (item["network"], item["name"], item["health"]["state"]) == (
        "webhook",
        "Slack #σεμινάρια",
        "connected",
    )
    assert "credentials" not in item
    assert "hooks.slack.com/services" not in api.get(base).content.decode()
    refused = api.post(
        base,
        {"network": "webhook", **WEBHOOK, "url": "https://127.0.0.1/x"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"]["__all__"] == [
        "This address points inside your own network; use a public one. For local testing, "
        "whoever runs Keryx can allow http:// and private addresses with the setting "
        "KERYX_ALLOW_PRIVATE_URLS=true (see the README)."
    ]


def test_the_demo_accounts_say_they_are_not_linked(workspace: Any) -> None:
    account = NetworkAccount.objects.create(
        workspace=workspace, network="bluesky", name="Demo", handle="demo.bsky.social"
    )
    health = account_health(account)
    assert (health.state, health.label) == ("not_linked", "Not linked")
    assert "Reconnect" in health.detail


def test_connect_forms_come_from_each_networks_spec(workspace: Any, user: Any) -> None:
    """The connect page has no section per network written in its template: each network
    whose spec declares a connect form gets one, with the spec's help and button."""
    from pathlib import Path

    from keryx.networks.registry import all_specs

    template = Path(__file__).resolve().parents[2] / (
        "src/keryx/networks/templates/networks/accounts.html"
    )
    source = template.read_text(encoding="utf-8")
    declared = [s for s in all_specs() if s.connect.form_class]
    assert declared
    for found in declared:
        assert found.key not in source, found.key

    page = _client(user).get(_page(workspace)).content.decode()
    for found in declared:
        assert f'id="connect-{found.key}"' in page
        assert str(found.connect.submit or f"Connect {found.name}") in page
        if found.connect.help:
            assert str(found.connect.help) in page
    assert page.index('id="connect-mastodon"') < page.index('id="connect-bluesky"')
