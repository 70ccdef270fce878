"""X API v2 over httpx (https://docs.x.com/x-api): posts, chunked media upload, OAuth 2.0
tokens. The only module that knows X's endpoints and error payloads."""

from __future__ import annotations

import time
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

API = "https://api.x.com"
AUTHORIZE = "https://x.com/i/oauth2/authorize"
SCOPES = "tweet.read tweet.write users.read media.write offline.access"
CHUNK_BYTES = 4 * 1024 * 1024  # X takes segments of up to 5 MB
PROCESSING_SECONDS = 120.0


def _problem(response: httpx.Response) -> str:
    """X v2 errors are RFC 7807 problems (``title``, ``detail``) or ``errors[].message``;
    the OAuth endpoints answer ``error``/``error_description``."""
    try:
        data = response.json()
    except ValueError:
        return response.text.strip()[:300]
    if not isinstance(data, dict):
        return ""
    messages = [str(e.get("message")) for e in data.get("errors") or [] if e.get("message")]
    if data.get("detail") and not messages:
        messages = [str(data["detail"])]
    if not messages and data.get("error"):
        messages = [str(data.get("error_description") or data["error"])]
    return " ".join(messages)[:500]


def raise_for(response: httpx.Response) -> None:
    status = response.status_code
    if status < 400:
        return
    reason = _problem(response)
    if status == 401 or (status == 400 and "invalid_grant" in response.text):
        raise AuthExpired(
            _("X no longer accepts Keryx's access (%(reason)s).") % {"reason": reason},
            status=status,
        )
    if status == 429:
        raise RateLimited(
            _("X's limit for this account is used up until it resets."),
            retry_after=retry_after_seconds(response, default=900.0),
            status=status,
        )
    if status >= 500:
        raise Unavailable(
            _("X had a server error (HTTP %(status)d: %(reason)s).")
            % {"status": status, "reason": reason},
            status=status,
        )
    raise Rejected(reason or f"HTTP {status}", status=status, detail=response.text[:1000])


class XClient:
    def __init__(self, token: str = "", *, transport: httpx.BaseTransport | None = None) -> None:
        self.token = token
        self.transport = transport

    def _http(self) -> OutboundClient:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return OutboundClient(service="X", base_url=API, headers=headers, transport=self.transport)

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        with self._http() as http:
            response = http.request(method, path, **kwargs)
        raise_for(response)
        return response.json() if response.content else {}

    # --- OAuth 2.0 (https://docs.x.com/resources/fundamentals/authentication/oauth-2-0) ------
    def exchange(
        self, data: dict[str, str], *, client_id: str, client_secret: str
    ) -> dict[str, Any]:
        """The token endpoint; a confidential client authenticates with HTTP Basic."""
        auth = httpx.BasicAuth(client_id, client_secret) if client_secret else None
        with OutboundClient(service="X", base_url=API, transport=self.transport) as http:
            response = http.post(
                "/2/oauth2/token", data={**data, "client_id": client_id}, auth=auth
            )
        if response.status_code in (400, 401):
            # A used, revoked or expired code or refresh token: only a new sign-in helps.
            raise AuthExpired(
                _("X refused Keryx's authorisation (%(reason)s).") % {"reason": _problem(response)},
                status=response.status_code,
            )
        raise_for(response)
        return dict(response.json())

    def revoke(self, *, client_id: str, client_secret: str) -> None:
        auth = httpx.BasicAuth(client_id, client_secret) if client_secret else None
        with OutboundClient(service="X", base_url=API, transport=self.transport) as http:
            response = http.post(
                "/2/oauth2/revoke",
                data={
                    "token": self.token,
                    "token_type_hint": "access_token",
                    "client_id": client_id,
                },
                auth=auth,
                idempotent=True,
            )
        raise_for(response)

    # --- reading ----------------------------------------------------------------------------
    def me(self) -> dict[str, Any]:
        data = self.call("GET", "/2/users/me", params={"user.fields": "profile_image_url"})
        return dict(data["data"])

    def tweets(self, ids: list[str]) -> list[dict[str, Any]]:
        data = self.call(
            "GET",
            "/2/tweets",
            params={"ids": ",".join(ids), "tweet.fields": "public_metrics,created_at"},
        )
        return list(data.get("data", []))

    def user_tweets(self, user_id: str, *, start_time: str) -> list[dict[str, Any]]:
        data = self.call(
            "GET",
            f"/2/users/{user_id}/tweets",
            params={"start_time": start_time, "max_results": 100, "tweet.fields": "created_at"},
        )
        return list(data.get("data", []))

    def mentions(self, user_id: str, *, start_time: str, token: str = "") -> dict[str, Any]:
        params = {
            "max_results": 100,
            "tweet.fields": "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets",
            "expansions": "author_id",
            "user.fields": "username,name",
        }
        if start_time:
            params["start_time"] = start_time
        if token:
            params["pagination_token"] = token
        return dict(self.call("GET", f"/2/users/{user_id}/mentions", params=params))

    def search_recent(self, query: str, *, token: str = "") -> dict[str, Any]:
        """``GET /2/tweets/search/recent``: the last 7 days (docs.x.com/x-api/posts/search)."""
        params = {
            "query": query,
            "max_results": 100,
            "tweet.fields": "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets",
            "expansions": "author_id",
            "user.fields": "username,name",
        }
        if token:
            params["next_token"] = token
        return dict(self.call("GET", "/2/tweets/search/recent", params=params))

    def hide_reply(self, tweet_id: str, hidden: bool) -> None:
        """``PUT /2/tweets/:id/hidden`` (docs.x.com/x-api/posts/hide-replies)."""
        self.call("PUT", f"/2/tweets/{tweet_id}/hidden", json={"hidden": hidden}, idempotent=True)

    # --- writing ----------------------------------------------------------------------------
    def create_tweet(self, body: dict[str, Any]) -> dict[str, Any]:
        """Not idempotent (X takes no key): a timeout after sending raises ``Unconfirmed``."""
        return dict(self.call("POST", "/2/tweets", json=body)["data"])

    def delete_tweet(self, tweet_id: str) -> None:
        self.call("DELETE", f"/2/tweets/{tweet_id}", idempotent=True)

    def upload_media(self, *, path: Path, mime: str, alt_text: str) -> str:
        """Media upload v2, chunked: initialize → append segments → finalize (→ status while
        processing) → alt text. Unused uploads expire by themselves: safe to retry."""
        content = path.read_bytes()
        category = (
            "tweet_video"
            if mime.startswith("video/")
            else ("tweet_gif" if mime == "image/gif" else "tweet_image")
        )
        init = self.call(
            "POST",
            "/2/media/upload/initialize",
            json={"media_type": mime, "total_bytes": len(content), "media_category": category},
            idempotent=True,
        )
        media_id = str(init["data"]["id"])
        for index, start in enumerate(range(0, len(content), CHUNK_BYTES)):
            self.call(
                "POST",
                f"/2/media/upload/{media_id}/append",
                data={"segment_index": str(index)},
                files={"media": (path.name, content[start : start + CHUNK_BYTES], mime)},
                idempotent=True,
            )
        final = self.call("POST", f"/2/media/upload/{media_id}/finalize", idempotent=True)
        self._wait_processed(media_id, final.get("data", {}).get("processing_info"))
        if alt_text:
            self.call(
                "POST",
                "/2/media/metadata",
                json={"id": media_id, "metadata": {"alt_text": {"text": alt_text[:1000]}}},
                idempotent=True,
            )
        return media_id

    def _wait_processed(self, media_id: str, info: dict[str, Any] | None) -> None:
        deadline = time.monotonic() + PROCESSING_SECONDS
        while info and info.get("state") in {"pending", "in_progress"}:
            if time.monotonic() > deadline:
                raise Unavailable(_("X is still processing the media; try again later."))
            time.sleep(float(info.get("check_after_secs") or 2))
            status = self.call(
                "GET", "/2/media/upload", params={"command": "STATUS", "media_id": media_id}
            )
            info = status.get("data", {}).get("processing_info")
        if info and info.get("state") == "failed":
            error = info.get("error") or {}
            raise Rejected(str(error.get("message") or _("X could not process the media.")))
