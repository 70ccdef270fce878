"""OAuth 2.0 helpers every connector shares: state, PKCE (RFC 7636, S256) and the token
response (RFC 6749 §5.1)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from typing import Any
from urllib.parse import urlencode

from django.utils import timezone


def new_state() -> str:
    return secrets.token_urlsafe(32)


def new_code_verifier() -> str:
    """43–128 characters from the unreserved set (RFC 7636 §4.1): 64 url-safe characters."""
    return secrets.token_urlsafe(48)


def code_challenge(verifier: str) -> str:
    """``BASE64URL(SHA256(verifier))`` without padding (RFC 7636 §4.2, method S256)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def with_query(url: str, params: dict[str, str]) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


def expires_at(token: dict[str, Any], *, now: dt.datetime | None = None) -> dt.datetime | None:
    """When an access token from a token response expires (``expires_in`` seconds)."""
    seconds = token.get("expires_in")
    if seconds is None or seconds == "":
        return None
    try:
        return (now or timezone.now()) + dt.timedelta(seconds=int(str(seconds)))
    except (TypeError, ValueError):
        return None
