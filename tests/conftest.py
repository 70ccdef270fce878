"""Shared fixtures. The suite runs on SQLite by default; KERYX_TEST_DATABASE_URL and
KERYX_TEST_REDIS_URL move it to PostgreSQL and Redis, and KERYX_REQUIRE_SERVICES=1 (CI) makes
a missing service an error instead of a skip."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.factories import make_member, make_seminar, make_token, make_user, make_workspace

SERVICES_REQUIRED = os.environ.get("KERYX_REQUIRE_SERVICES") == "1"


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), timeout=2
        ):
            return True
    except OSError:
        return False


def pytest_sessionstart(session: pytest.Session) -> None:
    if not SERVICES_REQUIRED:
        return
    missing = []
    db = os.environ.get("KERYX_TEST_DATABASE_URL", "")
    redis = os.environ.get("KERYX_TEST_REDIS_URL", "")
    if not db or not _reachable(db, 5432):
        missing.append(f"PostgreSQL (KERYX_TEST_DATABASE_URL={db!r})")
    if not redis or not _reachable(redis, 6379):
        missing.append(f"Redis (KERYX_TEST_REDIS_URL={redis!r})")
    if missing:
        raise pytest.UsageError("KERYX_REQUIRE_SERVICES=1 but not reachable: " + ", ".join(missing))


def services_or_skip() -> tuple[str, str]:
    """The PostgreSQL and Redis URLs for tests that need real services.

    Skips only when services are not required (a developer machine without them); in CI
    (KERYX_REQUIRE_SERVICES=1) a missing service has already failed the session.
    """
    db = os.environ.get("KERYX_TEST_DATABASE_URL", "")
    redis = os.environ.get("KERYX_TEST_REDIS_URL", "")
    if not (db and redis):
        if SERVICES_REQUIRED:
            pytest.fail("KERYX_TEST_DATABASE_URL and KERYX_TEST_REDIS_URL are required")
        pytest.skip("needs KERYX_TEST_DATABASE_URL and KERYX_TEST_REDIS_URL (CI sets them)")
    return db, redis


@pytest.fixture
def user(db: None):  # type: ignore[no-untyped-def]
    return make_user("owner@example.org")


@pytest.fixture
def workspace(user):  # type: ignore[no-untyped-def]
    return make_workspace(owner=user, name="Ομάδα Επικοινωνίας")


@pytest.fixture
def seminar(workspace, user):  # type: ignore[no-untyped-def]
    return make_seminar(workspace, user)


@pytest.fixture
def member(workspace) -> Callable[..., object]:  # type: ignore[no-untyped-def]
    def build(role: str, email: str | None = None):  # type: ignore[no-untyped-def]
        return make_member(workspace, role, email=email)

    return build


@pytest.fixture
def owner_client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def api(user):  # type: ignore[no-untyped-def]
    """A test client that sends the owner's API token."""
    return Client(headers={"Authorization": f"Bearer {make_token(user)}"})
