"""Signing in, password reset, two-factor authentication and brute-force protection."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_and_password_lands_on_the_workspace(user, workspace) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": "OWNER@example.org", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/w/{workspace.slug}/"
    bad = Client().post("/accounts/login/", {"login": user.email, "password": "wrong"})
    assert bad.status_code == 200
    assert "not correct" in bad.content.decode()


def test_password_reset_sends_a_working_link_over_smtp(user, smtp_sink) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.post("/accounts/password/reset/", {"email": user.email})
    message = smtp_sink.wait_for(1)[0]
    link = re.search(r"http://[^\s]+/accounts/password/reset/key/[^\s]+", smtp_sink.body(message))
    assert link is not None
    path = urlsplit(link.group(0)).path
    form = client.get(path, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"password1": "a brand new passphrase", "password2": "a brand new passphrase"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a brand new passphrase")


def test_totp_two_factor_page_renders_under_the_csp(user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    reauth = client.get("/accounts/2fa/totp/activate/")
    assert reauth["Location"].startswith("/accounts/reauthenticate/")  # asks for the password first
    client.post(reauth["Location"], {"password": PASSWORD})
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "data:image/svg+xml" in page or "<svg" in page  # the QR code
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_repeated_wrong_passwords_lock_the_account_out(user, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        client.post(
            "/accounts/login/", {"login": user.email, "password": "wrong"}, REMOTE_ADDR="10.0.0.9"
        )
    locked = client.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert locked.status_code == 429
