from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.test import Client

from keryx.accounts.domain.tokens import token_authenticate, token_create, token_revoke
from keryx.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_token_is_stored_only_as_a_hash_and_shown_once(user) -> None:  # type: ignore[no-untyped-def]
    token, raw = token_create(user=user, name="reports")
    prefix, secret = raw.removeprefix("kx_").split("_", 1)
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.prefix == prefix
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token_authenticate(raw) == user
    assert token_authenticate(raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None
    assert token_authenticate("kx_nothing") is None


def test_revoked_and_expired_tokens_stop_working(user) -> None:  # type: ignore[no-untyped-def]
    token, raw = token_create(user=user, name="ci")
    token_revoke(user=user, token_id=token.pk)
    assert token_authenticate(raw) is None
    with time_machine.travel(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), tick=False):
        _other, raw2 = token_create(
            user=user, name="short", expires_at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
        )
        assert token_authenticate(raw2) == user
    with time_machine.travel(dt.datetime(2026, 1, 3, tzinfo=dt.UTC), tick=False):
        assert token_authenticate(raw2) is None


def test_tokens_page_shows_a_new_token_once_and_revokes(owner_client: Client, user) -> None:  # type: ignore[no-untyped-def]
    page = owner_client.post("/me/tokens/", {"name": "Zapier"}).content.decode()
    token = ApiToken.objects.get(name="Zapier")
    assert f"kx_{token.prefix}_" in page and "not be shown again" in page
    again = owner_client.get("/me/tokens/").content.decode()
    assert f"kx_{token.prefix}_…" in again and "not be shown again" not in again
    owner_client.post(f"/me/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_another_users_token_cannot_be_revoked(owner_client: Client, member) -> None:  # type: ignore[no-untyped-def]
    other = member("editor")
    token, _raw = token_create(user=other, name="theirs")
    assert owner_client.post(f"/me/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
