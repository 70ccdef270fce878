"""The only place the test network's endpoints appear. Errors become the typed errors of
:mod:`keryx.core.http` here, once."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import httpx

from keryx.core.http import (
    AuthExpired,
    OutboundClient,
    RateLimited,
    Rejected,
    Unavailable,
    Unconfirmed,
    retry_after_seconds,
)

_CLIENTS: dict[tuple[str, float], OutboundClient] = {}
_LOCK = threading.Lock()


def shared_client(base_url: str, timeout: float) -> OutboundClient:
    """One pooled client per server and timeout, shared by every thread of the process
    (building an httpx client per call would cost more than the call)."""
    key = (base_url.rstrip("/"), timeout)
    with _LOCK:
        client = _CLIENTS.get(key)
        if client is None:
            client = OutboundClient(
                service="testnet",
                base_url=key[0],
                timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
                transport=httpx.HTTPTransport(
                    limits=httpx.Limits(max_connections=200, max_keepalive_connections=100)
                ),
            )
            _CLIENTS[key] = client
        return client


def _reason(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    return str(body.get("error") or body)[:300] if isinstance(body, dict) else str(body)[:300]


class TestNetClient:
    def __init__(self, *, base_url: str, token: str, timeout: float = 10.0) -> None:
        self.http = shared_client(base_url, timeout)
        self.headers = {"Authorization": f"Bearer {token}"}

    def _check(self, response: httpx.Response, *, writing: bool) -> Any:
        status = response.status_code
        if status < 300:
            return response.json()
        reason = _reason(response)
        if status == 401:
            raise AuthExpired(reason or "The test network refused the token.", status=status)
        if status == 429:
            raise RateLimited(
                reason, retry_after=retry_after_seconds(response, default=5.0), status=status
            )
        if status in {400, 403, 404, 409, 413, 422}:
            raise Rejected(reason or "The test network refused the post.", status=status)
        if status == 503 or not writing:
            raise Unavailable(reason or "The test network is unavailable.", status=status)
        # Any other server error after a write may or may not have stored the post.
        raise Unconfirmed(reason or "The test network did not confirm the post.", status=status)

    def create_post(self, payload: dict[str, Any], *, idempotency_key: str = "") -> Any:
        headers = dict(self.headers)
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        # Not ``idempotent=True``: a timeout after sending is reported as Unconfirmed and left
        # to the reconciler, never retried here.
        response = self.http.post("/api/posts", json=payload, headers=headers)
        return self._check(response, writing=True)

    def find(self, *, fingerprint: str, since: dt.datetime) -> list[dict[str, Any]]:
        response = self.http.get(
            "/api/posts",
            params={"fingerprint": fingerprint, "since": since.isoformat()},
            headers=self.headers,
        )
        return list(self._check(response, writing=False).get("posts", []))

    def get(self, post_id: str) -> Any:
        return self._check(
            self.http.get(f"/api/posts/{post_id}", headers=self.headers), writing=False
        )

    def metrics(self, post_id: str) -> Any:
        response = self.http.get(f"/api/posts/{post_id}/metrics", headers=self.headers)
        return self._check(response, writing=False)

    def comments(self, post_id: str, *, cursor: str = "") -> Any:
        params = {"cursor": cursor} if cursor else {}
        response = self.http.get(
            f"/api/posts/{post_id}/comments", params=params, headers=self.headers
        )
        return self._check(response, writing=False)

    def delete(self, post_id: str) -> None:
        response = self.http.delete(f"/api/posts/{post_id}", headers=self.headers)
        self._check(response, writing=True)

    def refresh(self, refresh_token: str) -> Any:
        response = self.http.post(
            "/oauth/token", data={"grant_type": "refresh_token", "refresh_token": refresh_token}
        )
        if response.status_code == 400:
            raise AuthExpired("The refresh token was refused; reconnect the account.")
        return self._check(response, writing=False)
