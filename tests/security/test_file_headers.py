"""Probe finding 9: /static and /media carry nosniff and a CSP in the embedded shape (they
are answered by keryx.core.files in front of Django, not by granian's header-less static
serving)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from keryx.cli import _granian_argv
from keryx.core.files import FILE_CSP, FilesApp


async def _django(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 299, "headers": []})
    await send({"type": "http.response.body", "body": b"django"})


def _get(app: FilesApp, path: str, method: str = "GET", **headers: str) -> tuple[int, dict, bytes]:  # type: ignore[type-arg]
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()],
    }
    asyncio.run(app(scope, receive, send))
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


def _app(tmp_path: Path) -> FilesApp:
    static, media = tmp_path / "static", tmp_path / "media"
    static.mkdir()
    media.mkdir()
    (static / "app.css").write_text("body{}")
    (media / "photo.svg").write_text("<svg><script>alert(1)</script></svg>")
    (media / "clip.mp4").write_bytes(bytes(range(100)))
    (tmp_path / "secret.txt").write_text("no")
    return FilesApp(_django, {"/static/": (str(static), 31536000), "/media/": (str(media), 3600)})


def test_static_and_media_files_carry_nosniff_and_a_csp(tmp_path: Path) -> None:
    app = _app(tmp_path)
    for path, kind, body in [
        ("/static/app.css", "text/css", b"body{}"),
        ("/media/photo.svg", "image/svg+xml", b"<svg><script>alert(1)</script></svg>"),
    ]:
        status, headers, got = _get(app, path)
        assert (status, headers["content-type"], got) == (200, kind, body)
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["content-security-policy"] == FILE_CSP.decode()
    assert _get(app, "/static/app.css")[1]["cache-control"] == "public, max-age=31536000"


def test_ranges_head_traversal_and_everything_else(tmp_path: Path) -> None:
    app = _app(tmp_path)
    status, headers, body = _get(app, "/media/clip.mp4", range="bytes=10-19")
    assert (status, headers["content-range"], body) == (
        206,
        "bytes 10-19/100",
        bytes(range(10, 20)),
    )
    assert _get(app, "/media/clip.mp4", range="bytes=-5")[2] == bytes(range(95, 100))
    assert _get(app, "/media/clip.mp4", range="bytes=200-")[0] == 416
    status, headers, body = _get(app, "/media/clip.mp4", method="HEAD")
    assert (status, headers["content-length"], body) == (200, "100", b"")
    for path in ("/media/../secret.txt", "/media/%2e%2e/secret.txt", "/media/nope.png", "/media/"):
        status, headers, _body = _get(app, path)
        assert status == 404 and headers["x-content-type-options"] == "nosniff", path
    assert _get(app, "/media/clip.mp4", method="POST")[0] == 405
    assert _get(app, "/accounts/login/")[0] == 299  # not a file: Django answers


def test_granian_no_longer_serves_files_itself(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("KERYX_SERVE_MEDIA", raising=False)
    argv = _granian_argv("127.0.0.1", 8000, 1, serve_media=True)
    assert not any(a.startswith("--static-path") for a in argv)
    import os

    assert os.environ["KERYX_SERVE_MEDIA"] == "1"
