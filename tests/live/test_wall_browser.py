"""The social wall in Chromium, in Greek, against `keryx web` (granian: the event streams need a
real ASGI server) and a real Mastodon API (mastodon_mock): a post with the seminar's hashtag
waits in the moderation queue; the presenter screen is switched to the wall; the moderator
approves the post and the screen shows it without a reload."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli.support import clean_env, free_port, keryx, running, wait_http
from tests.conftest import TEST_OUTPUT
from tests.factories import PASSWORD
from tests.live.test_scaled_shape import ROOT
from tests.support.mastodon import run_mastodon_mock

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEXT = "Υπέροχη ομιλία για τα κοινωνικά δίκτυα! #smm2026"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[dict[str, Any]]:
    port = free_port()
    env = clean_env(
        tmp_path / "home",
        PORT=str(port),
        PYTHONPATH=f"{ROOT / 'src'}:{ROOT}",
        KERYX_LANGUAGE="el",
        KERYX_ALLOW_PRIVATE_URLS="1",
    )
    assert keryx("migrate", "-v", "0", env=env).returncode == 0
    with run_mastodon_mock() as mastodon:
        made = subprocess.run(
            [sys.executable, "-m", "tests.live.setup_wall", mastodon],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert made.returncode == 0, made.stderr
        world: dict[str, Any] = json.loads(made.stdout.strip().splitlines()[-1])
        with running("web", env=env, log=tmp_path / "web.log"):
            base = f"http://127.0.0.1:{port}"
            wait_http(base + "/accounts/login/")
            yield {"base": base, **world}


def test_moderator_approves_and_the_presenter_screen_shows_it_live(browser, server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=server["base"], locale="el-GR", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(10_000)
    moderator = context.new_page()
    try:
        moderator.goto("/accounts/login/")
        moderator.fill("input[name=login]", "wall-owner@example.org")
        moderator.fill("input[name=password]", PASSWORD)
        moderator.click("main form button[type=submit]")
        moderator.wait_for_url(re.compile(r"/w/.+/"))
        control = f"/w/{server['workspace']}/live/{server['room']}/"
        moderator.goto(control)
        screen = context.new_page()
        screen.goto(control + "screen/")
        moderator.click("#live-showing [data-showing=wall]")
        screen.wait_for_selector("#screen-body[data-showing=wall] #wall-display")
        assert screen.locator(".wall-card").count() == 0
        assert "Εδώ θα εμφανίζονται" in screen.inner_text("#wall-display")
        screen.evaluate("window.__sameScreen = true")  # gone if the page reloads

        moderator.click("#open-wall")
        moderator.wait_for_selector(f"#wall-items .wall-item[data-id='{server['item']}']")
        assert moderator.locator("h2", has_text="Ουρά έγκρισης").count() == 1
        TEST_OUTPUT.mkdir(exist_ok=True)
        moderator.screenshot(path=str(TEST_OUTPUT / "live-wall-queue.png"), full_page=True)
        item = moderator.locator("#wall-items .wall-item").first
        assert TEXT in item.inner_text()
        item.locator("[data-action=approve]").click()

        screen.wait_for_selector(".wall-card .wall-text")
        card = screen.locator(".wall-card").first
        assert card.locator(".wall-text").inner_text() == TEXT
        assert card.locator(".wall-network").inner_text() == "Mastodon"
        assert "@other" in card.locator(".wall-author").inner_text()
        assert screen.evaluate("window.__sameScreen") is True
        moderator.wait_for_function(
            "() => document.querySelector('[data-count-of=approved]').textContent === '1'"
        )
        TEST_OUTPUT.mkdir(exist_ok=True)
        screen.screenshot(path=str(TEST_OUTPUT / "live-wall-screen.png"))

        # The standalone display, without signing in, at the address the page gives.
        address = moderator.inner_text("#wall-display-url")
        outside = browser.new_context(locale="el-GR", viewport={"width": 1280, "height": 800})
        display = outside.new_page()
        display.goto(address)
        display.wait_for_selector(".wall-card .wall-text")
        display.screenshot(path=str(TEST_OUTPUT / "live-wall-display.png"))
        assert display.locator(".wall-card .wall-text").inner_text() == TEXT

        # Hidden by the moderator: gone from both screens, still without a reload.
        moderator.click("#wall-filter [data-show=approved]")
        moderator.wait_for_selector("#wall-items .status-approved [data-action=hide]")
        moderator.click("#wall-items .status-approved [data-action=hide]")
        screen.wait_for_function("() => document.querySelectorAll('.wall-card').length === 0")
        display.wait_for_function("() => document.querySelectorAll('.wall-card').length === 0")
        assert screen.evaluate("window.__sameScreen") is True
        outside.close()
    except Exception:
        TEST_OUTPUT.mkdir(exist_ok=True)
        for n, tab in enumerate(context.pages):
            tab.screenshot(path=str(TEST_OUTPUT / f"FAILED-wall-{n}.png"), full_page=True)
        raise
    finally:
        context.close()
