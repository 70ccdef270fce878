"""Proves the mastodon_mock harness (tests/support/mastodon.py) over real HTTP.

Besides showing that the helper works, these tests pin down what mastodon_mock
0.6.1 actually does, where the Mastodon connector will care: instance limits,
``Idempotency-Key`` on ``POST /api/v1/statuses``, OAuth, media. Tests named
``..._mock_divergence`` record places where the mock is NOT like a real
Mastodon; if an upgrade of the mock fixes one, that test fails and should be
updated together with docs/decisions/0100-test-peers.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

# `tests` is first-party for ruff's default `src` but not for the project's
# [tool.ruff] src = ["src", "tests"]: a block of its own satisfies both.
# isort: split
from tests.support.mastodon import (
    MOCK_OTHER_USER,
    MOCK_USER,
    MockAccount,
    run_mastodon_mock,
)

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415478da63f8cfc000000301010018dd8db00000000049454e44ae426082"
)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with run_mastodon_mock() as url:
        yield url


@pytest.fixture
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as http:
        yield http


def auth(account: MockAccount, idempotency_key: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {account.access_token}"}
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    return headers


def new_key() -> str:
    return f"keryx-{uuid.uuid4()}"


def ok_json(response: httpx.Response) -> Any:
    assert response.status_code == 200, f"HTTP {response.status_code}: {response.text}"
    return response.json()


def statuses_count(client: httpx.Client, account: MockAccount) -> int:
    me = ok_json(client.get("/api/v1/accounts/verify_credentials", headers=auth(account)))
    return int(me["statuses_count"])


# -- instance ------------------------------------------------------------------


def test_v2_instance_reports_status_and_media_limits(client: httpx.Client) -> None:
    instance = ok_json(client.get("/api/v2/instance"))
    configuration = instance["configuration"]
    assert configuration["statuses"] == {
        "max_characters": 500,
        "max_media_attachments": 4,
        "characters_reserved_per_url": 23,
    }
    media = configuration["media_attachments"]
    assert "image/png" in media["supported_mime_types"]
    assert media["image_size_limit"] == 10 * 1024 * 1024
    assert media["video_size_limit"] == 40 * 1024 * 1024
    assert configuration["polls"]["max_options"] == 4
    assert instance["version"].startswith("4.")


def test_v1_instance_reports_the_same_limits(client: httpx.Client) -> None:
    instance = ok_json(client.get("/api/v1/instance"))
    assert instance["configuration"]["statuses"]["max_characters"] == 500
    assert instance["configuration"]["statuses"]["characters_reserved_per_url"] == 23


# -- Idempotency-Key on POST /api/v1/statuses -----------------------------------


def test_same_idempotency_key_twice_returns_the_first_status(client: httpx.Client) -> None:
    key = new_key()
    before = statuses_count(client, MOCK_USER)
    body = {"status": "Καλημέρα από το σεμινάριο! #Σεμινάριο2025", "language": "el"}

    first = ok_json(client.post("/api/v1/statuses", data=body, headers=auth(MOCK_USER, key)))
    second = ok_json(client.post("/api/v1/statuses", data=body, headers=auth(MOCK_USER, key)))

    assert second["id"] == first["id"]  # deduplicated: same status, HTTP 200 both times
    assert second["created_at"] == first["created_at"]
    assert statuses_count(client, MOCK_USER) == before + 1
    assert [tag["name"] for tag in first["tags"]] == ["σεμινάριο2025"]


def test_idempotency_key_ignores_a_different_body(client: httpx.Client) -> None:
    key = new_key()
    first = ok_json(
        client.post("/api/v1/statuses", data={"status": "first"}, headers=auth(MOCK_USER, key))
    )
    other = ok_json(
        client.post("/api/v1/statuses", data={"status": "second"}, headers=auth(MOCK_USER, key))
    )
    assert other["id"] == first["id"]
    assert other["content"] == "<p>first</p>"


def test_idempotency_key_is_scoped_to_the_account(client: httpx.Client) -> None:
    key = new_key()
    mine = ok_json(
        client.post("/api/v1/statuses", data={"status": "a"}, headers=auth(MOCK_USER, key))
    )
    theirs = ok_json(
        client.post("/api/v1/statuses", data={"status": "a"}, headers=auth(MOCK_OTHER_USER, key))
    )
    assert theirs["id"] != mine["id"]
    assert theirs["account"]["username"] == MOCK_OTHER_USER.username


def test_without_idempotency_key_every_post_creates_a_status(client: httpx.Client) -> None:
    body = {"status": "same text, no key"}
    first = ok_json(client.post("/api/v1/statuses", data=body, headers=auth(MOCK_USER)))
    second = ok_json(client.post("/api/v1/statuses", data=body, headers=auth(MOCK_USER)))
    assert second["id"] != first["id"]


def test_rejected_post_does_not_use_up_the_key(client: httpx.Client) -> None:
    key = new_key()
    too_long = client.post(
        "/api/v1/statuses", data={"status": "a" * 501}, headers=auth(MOCK_USER, key)
    )
    assert too_long.status_code == 422
    assert too_long.json() == {
        "error": "Validation failed: Text is too long (maximum is 500 characters)"
    }
    retried = ok_json(
        client.post("/api/v1/statuses", data={"status": "shorter"}, headers=auth(MOCK_USER, key))
    )
    assert retried["content"] == "<p>shorter</p>"


def test_scheduled_posts_are_not_deduplicated_mock_divergence(client: httpx.Client) -> None:
    key = new_key()
    when = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    body = {"status": "later", "scheduled_at": when}
    first = ok_json(client.post("/api/v1/statuses", data=body, headers=auth(MOCK_USER, key)))
    second = ok_json(client.post("/api/v1/statuses", data=body, headers=auth(MOCK_USER, key)))
    assert "scheduled_at" in first
    # The mock only records the key for immediate posts: two scheduled statuses.
    assert second["id"] != first["id"]


def test_key_of_a_deleted_status_gives_http_500_mock_divergence(base_url: str) -> None:
    key = new_key()
    # A fresh client: after a 500 the mock drops the keep-alive connection.
    with httpx.Client(base_url=base_url, timeout=10) as http:
        status = ok_json(
            http.post("/api/v1/statuses", data={"status": "gone"}, headers=auth(MOCK_USER, key))
        )
        ok_json(http.delete(f"/api/v1/statuses/{status['id']}", headers=auth(MOCK_USER)))
        again = http.post("/api/v1/statuses", data={"status": "gone"}, headers=auth(MOCK_USER, key))
    # The key still points at the deleted status, so the mock creates a new one
    # and then fails on the unique (account, key) constraint.
    assert again.status_code == 500
    with httpx.Client(base_url=base_url, timeout=10) as http:
        assert http.get("/health").status_code == 200  # the server survives it


# -- other limits and endpoints the connector will use --------------------------


def test_length_counts_code_points_not_weighted_urls_mock_divergence(
    client: httpx.Client,
) -> None:
    # Real Mastodon counts every URL as characters_reserved_per_url (23), so
    # this is 400 + 1 + 23 = 424 there; the mock counts len(text) = 571.
    text = "a" * 400 + " https://example.com/" + "p" * 150
    response = client.post("/api/v1/statuses", data={"status": text}, headers=auth(MOCK_USER))
    assert response.status_code == 422

    exactly_500 = client.post(
        "/api/v1/statuses", data={"status": "β" * 500}, headers=auth(MOCK_USER)
    )
    assert exactly_500.status_code == 200


def test_oauth_app_registration_and_authorization_code_grant(client: httpx.Client) -> None:
    app = ok_json(
        client.post(
            "/api/v1/apps",
            data={
                "client_name": "Keryx",
                "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
                "scopes": "read write",
                "website": "https://keryx.example",
            },
        )
    )
    assert app["client_id"]
    assert app["client_secret"]
    # The mock's authorization codes are "mockcode_<username>" (no login page to drive).
    token = ok_json(
        client.post(
            "/oauth/token",
            data={
                "grant_type": "authorization_code",
                "code": f"mockcode_{MOCK_USER.username}",
                "client_id": app["client_id"],
                "client_secret": app["client_secret"],
                "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
                "scope": "read write",
            },
        )
    )
    assert token["token_type"] == "Bearer"
    me = ok_json(
        client.get(
            "/api/v1/accounts/verify_credentials",
            headers={"Authorization": f"Bearer {token['access_token']}"},
        )
    )
    assert me["username"] == MOCK_USER.username

    bad = client.post(
        "/oauth/token",
        data={"grant_type": "authorization_code", "code": "nope", "client_id": app["client_id"]},
    )
    assert bad.status_code == 400
    unauthenticated = client.get(
        "/api/v1/accounts/verify_credentials", headers={"Authorization": "Bearer wrong"}
    )
    assert unauthenticated.status_code == 401


def test_media_upload_then_post_with_it(client: httpx.Client) -> None:
    media = ok_json(
        client.post(
            "/api/v2/media",
            files={"file": ("pixel.png", PNG_1X1, "image/png")},
            data={"description": "Ένα εικονοστοιχείο"},
            headers=auth(MOCK_USER),
        )
    )
    assert media["type"] == "image"
    assert media["description"] == "Ένα εικονοστοιχείο"
    assert client.get(media["url"]).content == PNG_1X1

    status = ok_json(
        client.post(
            "/api/v1/statuses",
            data={"status": "με εικόνα", "media_ids[]": [media["id"]]},
            headers=auth(MOCK_USER, new_key()),
        )
    )
    assert [m["id"] for m in status["media_attachments"]] == [media["id"]]


def test_notifications_endpoint_answers(client: httpx.Client) -> None:
    notifications = ok_json(client.get("/api/v1/notifications", headers=auth(MOCK_USER)))
    assert isinstance(notifications, list)
