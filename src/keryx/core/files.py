"""Static files and uploaded media, answered in front of Django with safe headers.

granian's own static serving cannot add headers, and a browser must never sniff an uploaded
file into HTML or run an SVG's script: every file gets ``X-Content-Type-Options: nosniff``
and a Content-Security-Policy that allows nothing active (decision 0747). Files stream in
chunks from a thread; ``Range`` (one range) is honoured so videos can be sought.
"""

from __future__ import annotations

import asyncio
import mimetypes
import os
import re
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]
Scope = MutableMapping[str, Any]

CHUNK = 256 * 1024
FILE_CSP = b"default-src 'none'; img-src 'self'; media-src 'self'; style-src 'self'; sandbox"
_RANGE = re.compile(rb"^bytes=(\d*)-(\d*)$")


def safe_headers() -> list[tuple[bytes, bytes]]:
    return [
        (b"x-content-type-options", b"nosniff"),
        (b"content-security-policy", FILE_CSP),
        (b"cross-origin-resource-policy", b"same-site"),
    ]


class FilesApp:
    """``routes``: URL prefix (``/static/``) → (directory, Cache-Control max-age seconds)."""

    def __init__(self, app: ASGIApp, routes: dict[str, tuple[str, int]]) -> None:
        self.app = app
        self.routes = [
            (prefix, Path(root).resolve(), max_age) for prefix, (root, max_age) in routes.items()
        ]

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            path: str = scope.get("path", "")
            for prefix, root, max_age in self.routes:
                if path.startswith(prefix):
                    await self._serve(scope, send, root, path[len(prefix) :], max_age)
                    return
        await self.app(scope, receive, send)

    async def _serve(self, scope: Scope, send: Any, root: Path, rel: str, max_age: int) -> None:
        if scope.get("method") not in {"GET", "HEAD"}:
            await _plain(send, 405, b"Method not allowed", [(b"allow", b"GET, HEAD")])
            return
        target = _inside(root, rel)
        if target is None:
            await _plain(send, 404, b"Not found")
            return
        size = target.stat().st_size
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        headers = [
            (b"content-type", kind.encode()),
            (b"accept-ranges", b"bytes"),
            (b"cache-control", f"public, max-age={max_age}".encode()),
            *safe_headers(),
        ]
        start, end, status = 0, size - 1, 200
        asked = dict(scope.get("headers") or []).get(b"range")
        if asked is not None and size:
            found = _RANGE.match(asked.strip())
            if found is None or not any(found.groups()):
                found = None
            else:
                first, last = found.groups()
                if first:
                    start, end = int(first), min(int(last), size - 1) if last else size - 1
                else:
                    start, end = max(0, size - int(last)), size - 1
            if found is None or start > end or start >= size:
                await _plain(
                    send,
                    416,
                    b"Range not satisfiable",
                    [(b"content-range", f"bytes */{size}".encode())],
                )
                return
            status = 206
            headers.append((b"content-range", f"bytes {start}-{end}/{size}".encode()))
        length = max(0, end - start + 1) if size else 0
        headers.append((b"content-length", str(length).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        if scope["method"] == "HEAD" or not length:
            await send({"type": "http.response.body", "body": b""})
            return
        with target.open("rb") as handle:
            handle.seek(start)
            left = length
            while left > 0:
                chunk = await asyncio.to_thread(handle.read, min(CHUNK, left))
                if not chunk:
                    break
                left -= len(chunk)
                await send({"type": "http.response.body", "body": chunk, "more_body": left > 0})
        if left > 0:  # the file shrank meanwhile: end the response
            await send({"type": "http.response.body", "body": b""})


def _inside(root: Path, rel: str) -> Path | None:
    """The regular file ``rel`` names under ``root``; never outside it, never a dotfile."""
    if not rel or "\x00" in rel or any(part.startswith(".") for part in rel.split("/")):
        return None
    try:
        target = (root / rel).resolve()
    except (OSError, ValueError):
        return None
    if not target.is_relative_to(root) or not target.is_file():
        return None
    return target


async def _plain(
    send: Any, status: int, body: bytes, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *safe_headers(),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def files_in_front(app: ASGIApp) -> ASGIApp:
    """The static files always; uploaded media when this process serves them
    (``keryx serve``, ``keryx web --serve-media``: ``KERYX_SERVE_MEDIA=1``)."""
    from django.conf import settings

    routes = {settings.STATIC_URL: (str(settings.STATIC_ROOT), 31536000)}
    if os.environ.get("KERYX_SERVE_MEDIA") == "1":
        routes[settings.MEDIA_URL] = (str(settings.MEDIA_ROOT), 3600)
    return FilesApp(app, routes)
