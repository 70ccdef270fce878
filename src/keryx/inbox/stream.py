"""The inbox's live stream: ``GET /inbox-events/<workspace>/`` answers Server-Sent Events of the
workspace's inbox stream to a signed-in member who may read the inbox (the session cookie is
checked like Django's own middleware would; anyone else gets 404)."""

from __future__ import annotations

import asyncio
from collections.abc import MutableMapping, Sequence
from http.cookies import SimpleCookie
from typing import Any


def _session_key(scope: MutableMapping[str, Any]) -> str:
    from django.conf import settings

    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            cookie: SimpleCookie = SimpleCookie()
            try:
                cookie.load(value.decode("latin-1"))
            except Exception:
                return ""
            morsel = cookie.get(settings.SESSION_COOKIE_NAME)
            return morsel.value if morsel else ""
    return ""


def _stream_for(slug: str, session_key: str) -> str | None:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import get_user
    from django.db import close_old_connections
    from django.http import HttpRequest

    from keryx.accounts.access import workspace_access
    from keryx.accounts.roles import Perm
    from keryx.core.errors import KeryxError

    close_old_connections()
    try:
        request = HttpRequest()
        engine = import_module(settings.SESSION_ENGINE)
        request.session = engine.SessionStore(session_key)
        user = get_user(request)
        try:
            access = workspace_access(user, slug, Perm.INBOX_VIEW)  # type: ignore[arg-type]
        except KeryxError:
            return None
        return f"inbox.{access.workspace.pk}"
    finally:
        close_old_connections()


async def resolve_inbox_stream(rest: str, scope: MutableMapping[str, Any]) -> Sequence[str] | None:
    slug = rest.strip("/")
    if not slug or "/" in slug or len(slug) > 80:
        return None
    key = _session_key(scope)
    if not key:
        return None
    stream = await asyncio.to_thread(_stream_for, slug, key)
    return [stream] if stream else None
