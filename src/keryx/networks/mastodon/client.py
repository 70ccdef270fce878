"""Mastodon's REST API over httpx (https://docs.joinmastodon.org/methods/): the only module
that knows its endpoints and error payloads."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
from django.utils.translation import gettext as _

from keryx.core.http import (
    AuthExpired,
    OutboundClient,
    RateLimited,
    Rejected,
    Unavailable,
    retry_after_seconds,
)

# Least privilege: read the account, its posts and notifications; write posts and media.
SCOPES = "read:accounts read:statuses read:notifications write:statuses write:media"
MEDIA_POLL_SECONDS = 60.0


def _error(response: httpx.Response) -> str:
    """Mastodon's ``{"error": "..."}`` (https://docs.joinmastodon.org/entities/Error/)."""
    try:
        data = response.json()
    except ValueError:
        return response.text.strip()[:300] or f"HTTP {response.status_code}"
    if isinstance(data, dict):
        text = str(data.get("error") or data.get("error_description") or "")
        if data.get("error_description") and data.get("error") != data["error_description"]:
            text = (
                f"{text}: {data['error_description']}" if text else str(data["error_description"])
            )
        return text or f"HTTP {response.status_code}"
    return f"HTTP {response.status_code}"


def raise_for(response: httpx.Response, server: str) -> None:
    status = response.status_code
    if status < 400 and status != 206:
        return
    reason = _error(response)
    if status == 401 or (status == 400 and reason.startswith("invalid_grant")):
        raise AuthExpired(
            _("%(server)s no longer accepts Keryx's access (%(reason)s).")
            % {"server": server, "reason": reason},
            status=status,
        )
    if status == 403 and "scope" in reason.lower():
        raise AuthExpired(
            _("%(server)s refused: %(reason)s.") % {"server": server, "reason": reason},
            status=status,
        )
    if status == 429:
        raise RateLimited(
            _("%(server)s asks Keryx to slow down.") % {"server": server},
            retry_after=retry_after_seconds(response, default=300.0),
            status=status,
        )
    if status >= 500:
        raise Unavailable(
            _("%(server)s had a server error (HTTP %(status)d: %(reason)s).")
            % {"server": server, "status": status, "reason": reason},
            status=status,
        )
    raise Rejected(reason, status=status, detail=response.text[:1000])


class MastodonClient:
    def __init__(
        self, base_url: str, token: str = "", *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.server = httpx.URL(self.base_url).host or self.base_url
        self.token = token
        self.transport = transport

    def _http(self) -> OutboundClient:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return OutboundClient(
            service=f"Mastodon {self.server}",
            base_url=self.base_url,
            headers=headers,
            transport=self.transport,
        )

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        with self._http() as http:
            response = http.request(method, path, **kwargs)
        raise_for(response, self.server)
        if not response.content:
            return {}
        return response.json()

    # --- app and tokens ---------------------------------------------------------------------
    def register_app(self, *, client_name: str, redirect_uri: str, website: str) -> dict[str, Any]:
        # Registering twice only leaves an unused app behind: safe to retry.
        return dict(
            self._call(
                "POST",
                "/api/v1/apps",
                json={
                    "client_name": client_name,
                    "redirect_uris": redirect_uri,
                    "scopes": SCOPES,
                    "website": website,
                },
                idempotent=True,
            )
        )

    def exchange_code(
        self, *, client_id: str, client_secret: str, redirect_uri: str, code: str, verifier: str
    ) -> dict[str, Any]:
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": client_id,
            "client_secret": client_secret,
            "redirect_uri": redirect_uri,
            "scope": SCOPES,
        }
        if verifier:
            data["code_verifier"] = verifier
        # A code works once: a second try fails by itself, so a retry never doubles anything.
        return dict(self._call("POST", "/oauth/token", data=data, idempotent=True))

    def revoke(self, *, client_id: str, client_secret: str) -> None:
        self._call(
            "POST",
            "/oauth/revoke",
            data={"client_id": client_id, "client_secret": client_secret, "token": self.token},
            idempotent=True,
        )

    # --- reading ----------------------------------------------------------------------------
    def verify_credentials(self) -> dict[str, Any]:
        return dict(self._call("GET", "/api/v1/accounts/verify_credentials"))

    def instance(self) -> dict[str, Any]:
        return dict(self._call("GET", "/api/v2/instance"))

    def statuses(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        return list(self._call("GET", "/api/v1/statuses", params=[("id[]", i) for i in ids]))

    def status(self, status_id: str) -> dict[str, Any]:
        return dict(self._call("GET", f"/api/v1/statuses/{status_id}"))

    def account_statuses(self, account_id: str, *, limit: int = 40) -> list[dict[str, Any]]:
        return list(
            self._call("GET", f"/api/v1/accounts/{account_id}/statuses", params={"limit": limit})
        )

    def notifications(self, *, max_id: str = "", limit: int = 40) -> list[dict[str, Any]]:
        params: list[tuple[str, str | int]] = [("types[]", "mention"), ("limit", limit)]
        if max_id:
            params.append(("max_id", max_id))
        return list(self._call("GET", "/api/v1/notifications", params=params))

    def context(self, status_id: str) -> dict[str, Any]:
        """``GET /api/v1/statuses/:id/context``: ``{"ancestors": [...], "descendants": [...]}``
        (docs.joinmastodon.org/methods/statuses/#context)."""
        return dict(self._call("GET", f"/api/v1/statuses/{status_id}/context"))

    def tag_timeline(self, tag: str, *, max_id: str = "", limit: int = 40) -> list[dict[str, Any]]:
        """``GET /api/v1/timelines/tag/:hashtag`` (docs.joinmastodon.org/methods/timelines/#tag)."""
        params: dict[str, str | int] = {"limit": limit}
        if max_id:
            params["max_id"] = max_id
        return list(self._call("GET", f"/api/v1/timelines/tag/{tag}", params=params))

    def account(self, account_id: str) -> dict[str, Any]:
        return dict(self._call("GET", f"/api/v1/accounts/{account_id}"))

    # --- writing ----------------------------------------------------------------------------
    def upload_media(self, *, path: Path, mime: str, description: str) -> dict[str, Any]:
        """Upload and wait until processed. A repeated upload only leaves an unattached file
        behind (removed by the server), never a second post: safe to retry."""
        with path.open("rb") as handle:
            media = dict(
                self._call(
                    "POST",
                    "/api/v2/media",
                    files={"file": (path.name, handle, mime)},
                    data={"description": description} if description else {},
                    idempotent=True,
                )
            )
        deadline = time.monotonic() + MEDIA_POLL_SECONDS
        while media.get("url") is None:
            if time.monotonic() > deadline:
                raise Unavailable(
                    _("%(server)s is still processing the media; try again later.")
                    % {"server": self.server}
                )
            time.sleep(1.0)
            with self._http() as http:
                response = http.get(f"/api/v1/media/{media['id']}")
            if response.status_code == 206:  # still processing
                continue
            raise_for(response, self.server)
            media = dict(response.json())
        return media

    def post_status(
        self, params: dict[str, Any], *, idempotency_key: str, key_is_kept: bool
    ) -> dict[str, Any]:
        """``POST /api/v1/statuses`` with an ``Idempotency-Key``: the server answers a repeat
        with the same key (for an hour) with the status it already made. Only a key the caller
        keeps for its retries (``key_is_kept``) makes a timeout safe to retry."""
        return dict(
            self._call(
                "POST",
                "/api/v1/statuses",
                data=params,
                headers={"Idempotency-Key": idempotency_key},
                idempotent=key_is_kept,
            )
        )

    def delete_status(self, status_id: str) -> None:
        self._call("DELETE", f"/api/v1/statuses/{status_id}", idempotent=True)
