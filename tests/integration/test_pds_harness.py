"""Proves the local AT Protocol harness (tests/support/pds.py) end to end.

Starts a real PDS from @atproto/dev-env (needs ``npm ci --prefix tests/pds``),
creates an account, uploads a PNG blob and posts an ``app.bsky.feed.post`` in
Greek with a hashtag facet and the image embedded, then reads it back.
"""

from __future__ import annotations

import os
import struct
import uuid
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

# `tests` is first-party for ruff's default `src` but not for the project's
# [tool.ruff] src = ["src", "tests"]: a block of its own satisfies both.
# isort: split
from tests.support.pds import LocalPds, LocalPdsError, PdsAccount, run_local_pds

# Fixed ports, but one pair per xdist worker, so parallel workers never collide.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
PDS_PORT = 2543 + 10 * _WORKER
PLC_PORT = 2542 + 10 * _WORKER

POST_TEXT = "Καλημέρα από το σεμινάριο της Κέρυξ! #Σεμινάριο2025 🎓"
HASHTAG = "#Σεμινάριο2025"
# UTF-8 byte offsets of HASHTAG in POST_TEXT: 37 characters precede it, but 67
# bytes (each Greek letter is 2 bytes in UTF-8); the tag itself is 23 bytes.
HASHTAG_BYTE_START = 67
HASHTAG_BYTE_END = 90


def utf8_span(text: str, fragment: str) -> tuple[int, int]:
    """Byte offsets [start, end) of the first ``fragment`` in ``text``, UTF-8 encoded."""
    start = text.encode("utf-8").index(fragment.encode("utf-8"))
    return start, start + len(fragment.encode("utf-8"))


def tiny_png() -> bytes:
    """A valid 1x1 red PNG, built with the standard library only."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\x00\x00")  # filter byte + one red pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def pds() -> Iterator[LocalPds]:
    with run_local_pds(pds_port=PDS_PORT, plc_port=PLC_PORT) as server:
        yield server


@pytest.fixture
def account(pds: LocalPds) -> PdsAccount:
    handle = f"k{uuid.uuid4().hex[:8]}{pds.handle_domain}"
    return pds.create_account(handle, "correct-horse-battery")


def _ok(response: httpx.Response) -> dict[str, Any]:
    assert response.is_success, f"HTTP {response.status_code}: {response.text}"
    data = response.json()
    assert isinstance(data, dict)
    return data


def test_hashtag_offsets_are_utf8_bytes() -> None:
    assert utf8_span(POST_TEXT, HASHTAG) == (HASHTAG_BYTE_START, HASHTAG_BYTE_END)
    assert POST_TEXT.index(HASHTAG) == 37  # characters, not what Bluesky wants


def test_account_creation_returns_did_handle_and_jwt(pds: LocalPds, account: PdsAccount) -> None:
    did, handle, access_jwt = account
    assert did.startswith("did:plc:")
    assert handle.endswith(".test")
    assert access_jwt.count(".") == 2  # a JWT

    session = _ok(
        httpx.get(
            pds.xrpc_url("com.atproto.server.getSession"),
            headers={"Authorization": f"Bearer {access_jwt}"},
        )
    )
    assert session["did"] == did
    assert session["handle"] == handle


def test_post_with_greek_hashtag_facet_and_image(pds: LocalPds, account: PdsAccount) -> None:
    auth = {"Authorization": f"Bearer {account.access_jwt}"}
    png = tiny_png()

    with httpx.Client(base_url=pds.pds_url, timeout=30) as client:
        upload = _ok(
            client.post(
                "/xrpc/com.atproto.repo.uploadBlob",
                content=png,
                headers={**auth, "Content-Type": "image/png"},
            )
        )
        blob = upload["blob"]
        assert blob["mimeType"] == "image/png"
        assert blob["size"] == len(png)

        byte_start, byte_end = utf8_span(POST_TEXT, HASHTAG)
        record = {
            "$type": "app.bsky.feed.post",
            "text": POST_TEXT,
            "langs": ["el"],
            "createdAt": "2025-03-01T09:30:00.000Z",
            "facets": [
                {
                    "index": {"byteStart": byte_start, "byteEnd": byte_end},
                    "features": [
                        {"$type": "app.bsky.richtext.facet#tag", "tag": HASHTAG.lstrip("#")}
                    ],
                }
            ],
            "embed": {
                "$type": "app.bsky.embed.images",
                "images": [
                    {
                        "alt": "Ένα κόκκινο εικονοστοιχείο",
                        "image": blob,
                        "aspectRatio": {"width": 1, "height": 1},
                    }
                ],
            },
        }
        created = _ok(
            client.post(
                "/xrpc/com.atproto.repo.createRecord",
                json={"repo": account.did, "collection": "app.bsky.feed.post", "record": record},
                headers=auth,
            )
        )
        # The PDS knows the app.bsky lexicons and validated the record.
        assert created["validationStatus"] == "valid"
        uri: str = created["uri"]
        assert uri.startswith(f"at://{account.did}/app.bsky.feed.post/")
        rkey = uri.rsplit("/", 1)[1]

        fetched = _ok(
            client.get(
                "/xrpc/com.atproto.repo.getRecord",
                params={"repo": account.did, "collection": "app.bsky.feed.post", "rkey": rkey},
            )
        )
        assert fetched["uri"] == uri
        assert fetched["cid"] == created["cid"]
        value = fetched["value"]
        assert value["text"] == POST_TEXT
        assert value["langs"] == ["el"]
        (facet,) = value["facets"]
        assert facet["index"] == {"byteStart": HASHTAG_BYTE_START, "byteEnd": HASHTAG_BYTE_END}
        assert facet["features"] == [
            {"$type": "app.bsky.richtext.facet#tag", "tag": "Σεμινάριο2025"}
        ]
        text_bytes = value["text"].encode("utf-8")
        assert text_bytes[HASHTAG_BYTE_START:HASHTAG_BYTE_END].decode("utf-8") == HASHTAG

        (image,) = value["embed"]["images"]
        assert image["alt"] == "Ένα κόκκινο εικονοστοιχείο"
        assert image["image"]["ref"]["$link"] == blob["ref"]["$link"]
        assert image["image"]["mimeType"] == "image/png"
        assert image["image"]["size"] == len(png)

        # The blob is now referenced by a record, so the PDS serves it back.
        stored = client.get(
            "/xrpc/com.atproto.sync.getBlob",
            params={"did": account.did, "cid": blob["ref"]["$link"]},
        )
        assert stored.status_code == 200, stored.text
        assert stored.content == png


def test_missing_node_modules_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "server.mjs").write_text("// never run\n")
    with pytest.raises(LocalPdsError, match=r"npm ci --prefix tests/pds"):
        LocalPds(pds_dir=tmp_path).start()
