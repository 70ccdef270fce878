"""Mastodon over real HTTP, against ``mastodon_mock`` (PyPI mastodon-mock 0.6.1), the closest
installable peer: Keryx registers itself with the server, the user authorises it (the mock's
own authorisation page, answered as a browser would), then the connector publishes with an
image and a description, and the ``Idempotency-Key`` is exercised as it matters: a publish
whose answer never came back is sent again with the same key and the server keeps one status.
The lost answer is made by a small proxy (``lossy_proxy.py``): mastodon_mock's own latency
fault delays before its handler, which is then cancelled, so with it nothing would be created.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from PIL import Image

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.core.http import AuthExpired, RateLimited, Rejected, Unavailable, Unconfirmed
from keryx.networks.base import MediaFile, PublishRequest
from keryx.networks.domain.accounts import connector_for_account
from keryx.networks.domain.oauth import authorization_complete, authorization_start
from keryx.networks.models import NetworkAccount, ServerApp

# isort: split
from tests.networks.mastodon.lossy_proxy import lossy_proxy
from tests.support.mastodon import MOCK_USER, run_mastodon_mock


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with run_mastodon_mock() as base_url:
        yield base_url


def _connect(server: str, user: Any, workspace: Any) -> NetworkAccount:
    """What the browser does: Keryx's redirect, the server's page, the way back."""
    access = workspace_access(user, workspace, Perm.NETWORKS_CONNECT)
    url = authorization_start(access=access, network="mastodon", base_url=server)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert url.startswith(f"{server}/oauth/authorize?")
    assert query["code_challenge_method"] == "S256"
    page = httpx.get(url, timeout=10)
    assert page.status_code == 200 and MOCK_USER.username in page.text
    chosen = httpx.post(
        f"{server}/oauth/authorize",
        data={
            "username": MOCK_USER.username,
            "redirect_uri": query["redirect_uri"],
            "client_id": query["client_id"],
            "scope": query["scope"],
            "state": query["state"],
        },
        timeout=10,
    )
    assert chosen.status_code == 302
    back = {k: v[0] for k, v in parse_qs(urlsplit(chosen.headers["location"]).query).items()}
    assert back["state"] == query["state"]
    _pending, (account,) = authorization_complete(user=user, state=back["state"], code=back["code"])
    return account


def _statuses(server: str, account: NetworkAccount) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{server}/api/v1/accounts/{account.remote_id}/statuses",
        params={"limit": 40},
        headers={"Authorization": f"Bearer {account.credentials['access_token']}"},
        timeout=10,
    )
    assert response.status_code == 200
    return list(response.json())


def _fault(server: str, rule: dict[str, Any]) -> None:
    assert httpx.post(f"{server}/api/v1/_mock/faults", json=rule, timeout=10).status_code == 200


@pytest.fixture
def account(server: str, user: Any, workspace: Any, settings: Any) -> NetworkAccount:
    settings.KERYX_ALLOW_PRIVATE_URLS = True  # the mock listens on 127.0.0.1
    httpx.delete(f"{server}/api/v1/_mock/faults", timeout=10)
    return _connect(server, user, workspace)


@pytest.mark.django_db
def test_connecting_registers_keryx_once_and_reads_the_servers_limits(
    server: str, account: NetworkAccount, user: Any, workspace: Any
) -> None:
    assert (account.network, account.base_url, account.handle) == (
        "mastodon",
        server,
        f"@{MOCK_USER.username}@127.0.0.1",
    )
    assert account.name == MOCK_USER.display_name
    assert account.server_limits["max_characters"] == 500
    assert account.server_limits["max_media_attachments"] == 4
    assert account.server_limits["characters_reserved_per_url"] == 23
    assert set(account.credentials) == {"access_token", "scope", "client_id", "client_secret"}
    # Connecting again reuses the app registration and the account row.
    again = _connect(server, user, workspace)
    assert again.pk == account.pk
    assert ServerApp.objects.filter(network="mastodon", base_url=server).count() == 1


@pytest.mark.django_db
def test_publish_with_an_image_and_its_description(
    server: str, account: NetworkAccount, tmp_path: Path
) -> None:
    image = tmp_path / "aithousa.png"
    Image.new("RGB", (40, 30), (10, 120, 60)).save(image, format="PNG")
    published = connector_for_account(account).publish(
        PublishRequest(
            text="Σεμινάριο Social Media, 12 Δεκεμβρίου! #Σεμινάριο2026",
            link="https://keryx.example/r/ab12cd",
            media=[
                MediaFile(path=image, mime="image/png", alt_text="Η αίθουσα", width=40, height=30)
            ],
            idempotency_key="variant-1-attempt",
            language="el",
        )
    )
    status = httpx.get(f"{server}/api/v1/statuses/{published.remote_id}", timeout=10).json()
    assert published.url == status["url"]
    assert "Σεμινάριο Social Media, 12 Δεκεμβρίου!" in status["content"]
    assert "https://keryx.example/r/ab12cd" in status["content"]
    assert [m["description"] for m in status["media_attachments"]] == ["Η αίθουσα"]


@pytest.mark.django_db
def test_the_same_key_twice_publishes_once(server: str, account: NetworkAccount) -> None:
    connector = connector_for_account(account)
    request = PublishRequest(text="Μία φορά μόνο", idempotency_key="variant-2-attempt")
    first = connector.publish(request)
    second = connector.publish(request)
    assert second.remote_id == first.remote_id
    assert [s["id"] for s in _statuses(server, account) if "Μία φορά μόνο" in s["content"]] == [
        first.remote_id
    ]


def _wait_for_status(server: str, account: NetworkAccount, text: str, timeout: float = 15.0) -> str:
    """The one status containing ``text``: the proxy may still be forwarding it when Keryx
    stops waiting, so look until it is there."""
    deadline = time.monotonic() + timeout
    while True:
        found = [s["id"] for s in _statuses(server, account) if text in s["content"]]
        if found or time.monotonic() > deadline:
            (only,) = found
            return str(only)
        time.sleep(0.1)


@pytest.mark.django_db
def test_an_answer_that_never_came_back_is_retried_with_the_same_key(
    server: str, account: NetworkAccount, settings: Any
) -> None:
    """The server makes the status but its answer is lost (a proxy holds it back until Keryx
    stops waiting). With the key the pipeline keeps, the connector says Unavailable — safe to
    retry — and the retry, with the same Idempotency-Key, gets the same status back."""
    settings.KERYX_HTTP_TIMEOUT = 1.0
    with lossy_proxy(server) as proxy:
        account.base_url = proxy.url
        connector = connector_for_account(account)
        request = PublishRequest(text="Χαμένη απάντηση", idempotency_key="variant-3-attempt")
        proxy.lose_next("POST", "/api/v1/statuses")
        with pytest.raises(Unavailable):
            connector.publish(request)
        made = _wait_for_status(server, account, "Χαμένη απάντηση")
        retried = connector.publish(request)
        keys = [h["Idempotency-Key"] for m, p, h in proxy.requests if p == "/api/v1/statuses"]
    assert retried.remote_id == made
    assert keys == ["variant-3-attempt", "variant-3-attempt"]
    matching = [s["id"] for s in _statuses(server, account) if "Χαμένη απάντηση" in s["content"]]
    assert matching == [made]


@pytest.mark.django_db
def test_without_a_kept_key_a_lost_answer_is_unconfirmed_and_not_sent_again(
    server: str, account: NetworkAccount, settings: Any
) -> None:
    settings.KERYX_HTTP_TIMEOUT = 1.0
    with lossy_proxy(server) as proxy:
        account.base_url = proxy.url
        proxy.lose_next("POST", "/api/v1/statuses")
        with pytest.raises(Unconfirmed) as info:
            connector_for_account(account).publish(PublishRequest(text="Χωρίς κλειδί"))
        posts = [p for m, p, h in proxy.requests if p == "/api/v1/statuses"]
    assert "does not send it again" in info.value.hint
    assert posts == ["/api/v1/statuses"]  # sent once, never repeated by the connector
    assert _wait_for_status(server, account, "Χωρίς κλειδί")  # exactly one, once it has arrived


@pytest.mark.django_db
def test_rate_limit_rejection_and_revoked_token_over_http(
    server: str, account: NetworkAccount
) -> None:
    connector = connector_for_account(account)
    _fault(
        server,
        {
            "match": {"methods": ["POST"], "path": "/api/v1/statuses"},
            "effect": {"type": "ratelimit"},
            "count": 1,
        },
    )
    with pytest.raises(RateLimited) as limited:
        connector.publish(PublishRequest(text="Γρήγορα", idempotency_key="variant-4"))
    assert limited.value.retry_after == 300

    with pytest.raises(Rejected) as rejected:
        connector.publish(PublishRequest(text="x" * 501, idempotency_key="variant-5"))
    assert (
        rejected.value.reason == "Validation failed: Text is too long (maximum is 500 characters)"
    )

    connector.revoke()
    with pytest.raises(AuthExpired):
        connector.publish(PublishRequest(text="Μετά την ανάκληση", idempotency_key="variant-6"))
