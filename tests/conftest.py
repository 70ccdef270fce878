"""Shared fixtures. The suite runs on SQLite by default; KERYX_TEST_DATABASE_URL and
KERYX_TEST_REDIS_URL move it to PostgreSQL and Redis, and KERYX_REQUIRE_SERVICES=1 (CI) makes
a missing service an error instead of a skip."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from tests.factories import make_member, make_seminar, make_token, make_user, make_workspace

SERVICES_REQUIRED = os.environ.get("KERYX_REQUIRE_SERVICES") == "1"

# Property tests measure behaviour, not speed: two busy cores make per-example deadlines flaky.
hypothesis_settings.register_profile("keryx", deadline=None, print_blob=True)
hypothesis_settings.load_profile("keryx")


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


@pytest.fixture(scope="session")
def bluesky_appview() -> Iterator[object]:
    """A local AT Protocol network with an AppView (PLC + PDS + bsky AppView) for the whole
    session, with a PostgreSQL database of its own; see tests/support/pds.py for its use.
    Needs the PostgreSQL + Redis suite (``make test-services``); skips without it."""
    from tests.support.pds import run_appview_network

    db, redis = services_or_skip()
    with run_appview_network(db, redis) as network:
        yield network


@pytest.fixture(autouse=True)
def _language_back_to_default() -> Iterator[None]:
    """A request made in a test activates its language on this thread, and Django's
    LocaleMiddleware does not undo that: without this, a test that fetched a page in Greek
    left the next test in the same worker speaking Greek."""
    yield
    translation.deactivate()


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


# --- e-mail: a real SMTP server ------------------------------------------------------------


@pytest.fixture
def smtp_sink(settings):  # type: ignore[no-untyped-def]
    """A real SMTP server (aiosmtpd) on a free port; Django sends to it over SMTP."""
    from tests.support.smtp import SmtpSink

    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = sink.host
        settings.EMAIL_PORT = sink.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        yield sink


# --- browser: Debian's Chromium driven by Playwright ---------------------------------------

CHROMIUM = os.environ.get("KERYX_CHROMIUM", "/usr/bin/chromium")
TEST_OUTPUT = Path(__file__).resolve().parent.parent / "test-output"


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    # Playwright's sync API runs an event loop in this thread; the ORM calls that tests make
    # beside it are still plain synchronous calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does it)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server, request):  # type: ignore[no-untyped-def]
    """A fresh browser tab on the live server; a screenshot is kept if the test fails."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        TEST_OUTPUT.mkdir(exist_ok=True)
        tab.screenshot(path=str(TEST_OUTPUT / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


def screenshot(tab, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Save a full-page screenshot under test-output/ and return its path."""
    TEST_OUTPUT.mkdir(exist_ok=True)
    path = TEST_OUTPUT / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
