"""Bluesky's AT Protocol over XRPC with httpx (https://docs.bsky.app/): the only module that
knows its endpoints and error payloads. Sessions come from an app password
(``com.atproto.server.createSession``) and are renewed with the refresh token; an expired
access token is renewed and the call repeated once (the server refused it, nothing was done).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
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

SESSION_ERRORS = frozenset({"ExpiredToken", "InvalidToken"})
POST = "app.bsky.feed.post"
THREADGATE = "app.bsky.feed.threadgate"
# getPostThread's deepest reply level (the lexicon's maximum is 1000).
THREAD_DEPTH = 1000


class SessionExpired(Exception):
    """The access token is no longer accepted; a refreshed one may be."""


def _error(response: httpx.Response) -> tuple[str, str]:
    """XRPC errors are ``{"error": "Name", "message": "..."}`` (atproto.com/specs/xrpc)."""
    try:
        data = response.json()
    except ValueError:
        return "", response.text.strip()[:300]
    if not isinstance(data, dict):
        return "", ""
    return str(data.get("error") or ""), str(data.get("message") or "")


def raise_for(response: httpx.Response, server: str, *, session_call: bool = True) -> None:
    status = response.status_code
    if status < 400:
        return
    name, message = _error(response)
    if session_call and name in SESSION_ERRORS:
        raise SessionExpired(name)
    if status == 401 or name in SESSION_ERRORS or name == "AuthenticationRequired":
        raise AuthExpired(
            _("Bluesky (%(server)s) no longer accepts Keryx's sign-in (%(reason)s).")
            % {"server": server, "reason": message or name},
            status=status,
            hint=_(
                "Create a new app password in Bluesky and connect the account again under "
                "Settings → Connected accounts."
            ),
        )
    if status == 429:
        raise RateLimited(
            _("Bluesky asks Keryx to slow down."),
            retry_after=retry_after_seconds(response, default=300.0),
            status=status,
        )
    if status >= 500:
        raise Unavailable(
            _("Bluesky (%(server)s) had a server error (HTTP %(status)d).")
            % {"server": server, "status": status},
            status=status,
            detail=response.text[:1000],
        )
    raise Rejected(message or name or f"HTTP {status}", status=status, detail=response.text[:1000])


def jwt_expiry(token: str) -> dt.datetime | None:
    """The ``exp`` of a JWT (not verified: the server checks it; we only plan the renewal)."""
    try:
        payload = token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return dt.datetime.fromtimestamp(int(data["exp"]), tz=dt.UTC)
    except (IndexError, ValueError, KeyError, TypeError):
        return None


class BlueskyClient:
    def __init__(
        self,
        base_url: str,
        credentials: dict[str, Any] | None = None,
        *,
        on_session: Callable[[dict[str, Any]], None] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.server = httpx.URL(self.base_url).host or self.base_url
        self.credentials = dict(credentials or {})
        self.on_session = on_session
        self.transport = transport

    def _http(self, token: str = "") -> OutboundClient:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return OutboundClient(
            service=f"Bluesky {self.server}",
            base_url=self.base_url,
            headers=headers,
            transport=self.transport,
        )

    def _raw(
        self, method: str, nsid: str, *, token: str = "", session_call: bool = True, **kwargs: Any
    ) -> Any:
        with self._http(token) as http:
            response = http.request(method, f"/xrpc/{nsid}", **kwargs)
        raise_for(response, self.server, session_call=session_call)
        return response.json() if response.content else {}

    def call(self, method: str, nsid: str, **kwargs: Any) -> Any:
        """An authenticated call; an expired session is renewed and the call made again."""
        try:
            return self._raw(method, nsid, token=self._access(), **kwargs)
        except SessionExpired:
            self.renew_session()
            return self._raw(method, nsid, token=self._access(), session_call=False, **kwargs)

    def _access(self) -> str:
        if not self.credentials.get("access_jwt"):
            self.renew_session()
        return str(self.credentials.get("access_jwt", ""))

    # --- sessions ---------------------------------------------------------------------------
    def create_session(self, identifier: str, password: str) -> dict[str, Any]:
        """Sign in with an app password (retrying a sign-in changes nothing: idempotent)."""
        data = self._raw(
            "POST",
            "com.atproto.server.createSession",
            json={"identifier": identifier, "password": password},
            session_call=False,
            idempotent=True,
        )
        self._store(data, identifier=identifier, app_password=password)
        return dict(data)

    def renew_session(self) -> None:
        """Refresh the session; if the refresh token is gone too, sign in again with the app
        password; if that fails, the account must be reconnected (AuthExpired)."""
        refresh = str(self.credentials.get("refresh_jwt", ""))
        if refresh:
            try:
                data = self._raw(
                    "POST",
                    "com.atproto.server.refreshSession",
                    token=refresh,
                    idempotent=True,
                )
            except (SessionExpired, AuthExpired):
                pass
            else:
                self._store(data)
                return
        identifier = str(self.credentials.get("identifier", ""))
        password = str(self.credentials.get("app_password", ""))
        if not (identifier and password):
            raise AuthExpired(_("Bluesky: Keryx has no app password for this account."))
        try:
            self.create_session(identifier, password)
        except SessionExpired as exc:
            raise AuthExpired(_("Bluesky refused the app password.")) from exc

    def _store(self, data: dict[str, Any], **extra: str) -> None:
        self.credentials.update(
            {
                "access_jwt": data["accessJwt"],
                "refresh_jwt": data["refreshJwt"],
                "did": data["did"],
                "handle": data.get("handle", ""),
                **extra,
            }
        )
        if self.on_session is not None:
            self.on_session(dict(self.credentials))

    @property
    def did(self) -> str:
        return str(self.credentials.get("did", ""))

    def signed_in_did(self) -> str:
        """The account's DID, signing in first when there is no session yet."""
        self._access()
        return self.did

    # --- calls ------------------------------------------------------------------------------
    def get_session(self) -> dict[str, Any]:
        return dict(self.call("GET", "com.atproto.server.getSession"))

    def get_profile(self, actor: str) -> dict[str, Any]:
        return dict(self.call("GET", "app.bsky.actor.getProfile", params={"actor": actor}))

    def resolve_handle(self, handle: str) -> str:
        try:
            data = self._raw(
                "GET",
                "com.atproto.identity.resolveHandle",
                params={"handle": handle},
                session_call=False,
            )
        except Rejected:
            return ""
        return str(data.get("did", ""))

    def upload_blob(self, content: bytes, mime: str) -> dict[str, Any]:
        # An upload that is never referenced is dropped by the server: safe to retry.
        data = self.call(
            "POST",
            "com.atproto.repo.uploadBlob",
            content=content,
            headers={"Content-Type": mime},
            idempotent=True,
        )
        return dict(data["blob"])

    def create_record(self, record: dict[str, Any]) -> dict[str, Any]:
        """Not idempotent: a timeout after sending raises ``Unconfirmed``."""
        return dict(
            self.call(
                "POST",
                "com.atproto.repo.createRecord",
                json={"repo": self.did, "collection": POST, "record": record},
            )
        )

    def get_record(self, repo: str, rkey: str, *, collection: str = POST) -> dict[str, Any]:
        return dict(
            self.call(
                "GET",
                "com.atproto.repo.getRecord",
                params={"repo": repo, "collection": collection, "rkey": rkey},
            )
        )

    def find_record(self, repo: str, rkey: str, *, collection: str) -> dict[str, Any] | None:
        """The record, or None when there is none (``RecordNotFound``)."""
        try:
            return self.get_record(repo, rkey, collection=collection)
        except Rejected as exc:
            if "RecordNotFound" in exc.detail or "not found" in exc.reason.lower():
                return None
            raise

    def put_record(
        self, rkey: str, record: dict[str, Any], *, collection: str, swap: str | None = ""
    ) -> dict[str, Any]:
        """Create or replace a record of the account's own (idempotent: the same record twice
        is the same state). ``swap``: the CID the record must still have (None: must not
        exist yet), so that a concurrent change is refused rather than overwritten."""
        body: dict[str, Any] = {
            "repo": self.did,
            "collection": collection,
            "rkey": rkey,
            "record": record,
        }
        if swap is None:
            body["swapRecord"] = None
        elif swap:
            body["swapRecord"] = swap
        return dict(self.call("POST", "com.atproto.repo.putRecord", json=body, idempotent=True))

    def list_records(self, *, limit: int = 50) -> list[dict[str, Any]]:
        data = self.call(
            "GET",
            "com.atproto.repo.listRecords",
            params={"repo": self.did, "collection": POST, "limit": limit},
        )
        return list(data.get("records", []))

    def delete_record(self, rkey: str, *, collection: str = POST) -> None:
        self.call(
            "POST",
            "com.atproto.repo.deleteRecord",
            json={"repo": self.did, "collection": collection, "rkey": rkey},
            idempotent=True,
        )

    # --- reads through the AppView (the PDS proxies app.bsky.* to it) -----------------------
    def get_posts(self, uris: list[str]) -> list[dict[str, Any]]:
        """Post views with their counts; at most 25 URIs a call."""
        data = self.call("GET", "app.bsky.feed.getPosts", params=[("uris", u) for u in uris])
        return list(data.get("posts", []))

    def get_post_thread(self, uri: str, *, depth: int = THREAD_DEPTH) -> dict[str, Any]:
        """The thread below a post (``thread.replies``, nested); not paged."""
        data = self.call(
            "GET",
            "app.bsky.feed.getPostThread",
            params={"uri": uri, "depth": depth, "parentHeight": 0},
        )
        return dict(data.get("thread") or {})

    def list_notifications(
        self, *, cursor: str = "", limit: int = 50, reasons: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """The account's notifications, newest first; ``reasons`` filters on the server."""
        params: list[tuple[str, Any]] = [("limit", limit)]
        params += [("reasons", reason) for reason in reasons]
        if cursor:
            params.append(("cursor", cursor))
        return dict(self.call("GET", "app.bsky.notification.listNotifications", params=params))

    def search_posts(self, query: str, *, cursor: str = "", limit: int = 100) -> dict[str, Any]:
        """Posts matching ``query`` (words, ``#tag``, ``from:handle``), newest first; needs a
        signed-in account since 2025."""
        params: dict[str, Any] = {"q": query, "sort": "latest", "limit": limit}
        if cursor:
            params["cursor"] = cursor
        return dict(self.call("GET", "app.bsky.feed.searchPosts", params=params))
