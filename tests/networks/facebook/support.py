"""Recorded payloads for the Meta and LinkedIn connector tests.

Each fixture is a JSON file in ``src/keryx/networks/<key>/fixtures/`` with the documentation
page it comes from (``source``), the request it answers, and the response (``status``,
``headers``, ``body``).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import httpx

import keryx.networks

NETWORKS_DIR = Path(keryx.networks.__file__).resolve().parent


@cache
def _read(network: str, name: str) -> str:
    return (NETWORKS_DIR / network / "fixtures" / f"{name}.json").read_text(encoding="utf-8")


def fixture(network: str, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_read(network, name))
    return data


def body(network: str, name: str) -> Any:
    return fixture(network, name)["body"]


def response(network: str, name: str, **headers: str) -> httpx.Response:
    data = fixture(network, name)
    all_headers = {**data.get("headers", {}), **headers}
    if "body" not in data:  # "text": not JSON (a 502 page), or empty (201 Created, 204)
        return httpx.Response(data.get("status", 200), text=data["text"], headers=all_headers)
    return httpx.Response(data.get("status", 200), json=data["body"], headers=all_headers)


def form(request: httpx.Request) -> dict[str, str]:
    """The fields of a form-encoded request body."""
    from urllib.parse import parse_qsl

    return dict(parse_qsl(request.content.decode("utf-8"), keep_blank_values=True))


def multipart_fields(request: httpx.Request) -> dict[str, str]:
    """The plain (non-file) fields of a multipart request body."""
    content_type = request.headers["content-type"]
    boundary = content_type.split("boundary=", 1)[1].encode()
    fields: dict[str, str] = {}
    for part in request.content.split(b"--" + boundary):
        head, _sep, value = part.partition(b"\r\n\r\n")
        if b'name="' not in head or b"filename=" in head:
            continue
        name = head.split(b'name="', 1)[1].split(b'"', 1)[0].decode()
        fields[name] = value.rstrip(b"\r\n").decode("utf-8")
    return fields


def every_fixture_has_a_source(network: str) -> list[str]:
    """Names of the fixtures of ``network`` that lack a documentation source."""
    missing = []
    for path in sorted((NETWORKS_DIR / network / "fixtures").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if not str(data.get("source", "")).startswith("https://") or not (
            "body" in data or "text" in data
        ):
            missing.append(path.name)
    return missing
