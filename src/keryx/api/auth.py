"""API authentication: personal tokens (``Authorization: Bearer kx_…``) or the browser session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja.security import HttpBearer, SessionAuth

from keryx.accounts.domain.tokens import token_authenticate
from keryx.accounts.models import User


class TokenAuth(HttpBearer):
    openapi_description = "A personal API token from Settings → API tokens: `Bearer kx_…`."

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
            if user.language:
                # The session middleware could not know who calls; speak their language now.
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
        return user


class BrowserSessionAuth(SessionAuth):
    """The signed-in browser session; unsafe methods need the CSRF token."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


def api_user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user
