"""The live journey in Chromium, in Greek, on phone-sized screens, against `keryx web`
(granian: the event streams need a real ASGI server): join by code, ask, upvote, moderate,
the presenter screen following without a reload; a poll with three voters on the screen
within a second; a word cloud that merges accented and unaccented Greek."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli.support import clean_env, free_port, keryx, running, wait_http
from tests.conftest import TEST_OUTPUT
from tests.factories import PASSWORD
from tests.live.test_scaled_shape import ROOT, setup_room

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[dict[str, Any]]:
    port = free_port()
    env = clean_env(
        tmp_path / "home", PORT=str(port), PYTHONPATH=f"{ROOT / 'src'}:{ROOT}", KERYX_LANGUAGE="el"
    )
    assert keryx("migrate", "-v", "0", env=env).returncode == 0
    room = setup_room_none(env)
    with running("web", env=env, log=tmp_path / "web.log"):
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/accounts/login/")
        yield {"base": base, **room}


def setup_room_none(env: dict[str, str]) -> dict[str, Any]:
    import json
    import subprocess
    import sys

    made = subprocess.run(
        [sys.executable, "-m", "tests.live.setup_room", "none"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    room: dict[str, Any] = json.loads(made.stdout.strip().splitlines()[-1])
    return room


def test_join_ask_upvote_moderate_present_poll_and_cloud(browser, server) -> None:  # type: ignore[no-untyped-def]
    assert setup_room is not None
    base, code = server["base"], server["code"]
    contexts = []

    def context(**extra: Any) -> Any:
        made = browser.new_context(base_url=base, locale="el-GR", **extra)
        made.set_default_timeout(10_000)
        contexts.append(made)
        return made

    staff = context(viewport={"width": 1280, "height": 900})
    moderator = staff.new_page()
    try:
        moderator.goto("/accounts/login/")
        moderator.fill("input[name=login]", "live-owner@example.org")
        moderator.fill("input[name=password]", PASSWORD)
        moderator.click("main form button[type=submit]")
        moderator.wait_for_url(re.compile(r"/w/.+/"))
        control = f"/w/{server['workspace']}/live/{server['room']}/"
        moderator.goto(control)
        screen = staff.new_page()
        screen.goto(control + "screen/")
        assert code in screen.locator(".screen-code").first.inner_text()
        moderator.click("#live-showing [data-showing=questions]")
        screen.wait_for_selector("#screen-body[data-showing=questions]")

        # A participant joins by typing the code, gives a name and asks.
        phones = [
            context(viewport=PHONE, is_mobile=True, has_touch=True).new_page() for _ in range(3)
        ]
        first = phones[0]
        first.goto("/j/")
        first.fill("#code", code.lower())
        first.click(".live-join button[type=submit]")
        first.wait_for_url(re.compile(rf"/j/{code}/$"))
        assert first.locator("#live-ask-send").inner_text() == "Αποστολή ερώτησης"
        first.fill("#live-name", "Μαρία")
        first.fill("#live-text", "Θα μοιραστείτε τις διαφάνειες;")
        first.click("#live-ask-send")
        first.wait_for_selector("#live-ask-done:not([hidden])")

        # The moderator sees it waiting, approves it; the second phone sees it appear.
        second = phones[1]
        second.goto(f"/j/{code}/")
        moderator.click("#mod-questions .status-pending [data-action=approve]")
        second.wait_for_selector("#live-questions .question")
        second.click("#live-questions .question .upvote")
        screen.wait_for_function(
            "() => (document.querySelector('.screen-questions .screen-upvotes') || {}).textContent === '▲ 1'"
        )
        assert "Θα μοιραστείτε τις διαφάνειες;" in screen.inner_text(".screen-questions")
        assert "Μαρία" in screen.inner_text(".screen-questions")
        moderator.click("#mod-questions .question [data-action=answered]")
        screen.wait_for_selector(".screen-questions .question.answered")
        first.wait_for_selector("#live-questions .question.answered")

        # A poll: prepared, launched, revealed; three phones vote.
        moderator.fill("#poll-question", "Ποιο δίκτυο προτιμάτε;")
        moderator.fill("#poll-options", "Facebook\nInstagram\nLinkedIn")
        moderator.click("#poll-new button[type=submit]")
        moderator.click("#mod-polls .poll [data-action=launch]")
        moderator.wait_for_selector("#mod-polls .poll.status-open [data-action=reveal]")
        moderator.click("#mod-polls .poll [data-action=reveal]")
        screen.wait_for_selector("#screen-body[data-showing=poll] .live-results .bar-row")
        phones[2].goto(f"/j/{code}/")
        for n, phone in enumerate(phones):
            phone.wait_for_selector("#live-poll form.vote")
            phone.locator("#live-poll form.vote input[type=radio]").nth(1 if n else 0).check()
            phone.click("#live-poll form.vote button[type=submit]")
            phone.wait_for_selector("#live-poll .success:not([hidden])")
        voted_at = time.monotonic()
        screen.wait_for_function(
            "() => [...document.querySelectorAll('.screen-body .bar-count')].map(e => e.textContent).join(',') === '1,2,0'",
            timeout=5_000,
        )
        shown_after = time.monotonic() - voted_at
        assert shown_after < 1.0, f"the screen showed the votes {shown_after:.2f} s after the last"

        # A word cloud: three spellings of one Greek word become one word.
        moderator.select_option("#poll-kind", "cloud")
        moderator.fill("#poll-question", "Μία λέξη για σήμερα;")
        moderator.fill("#poll-options", "")
        moderator.click("#poll-new button[type=submit]")
        moderator.wait_for_selector("#mod-polls .poll.status-draft [data-action=launch]")
        moderator.click("#mod-polls .poll.status-draft [data-action=launch]")
        moderator.wait_for_selector("#mod-polls .poll.status-open >> nth=0")
        moderator.locator("#mod-polls .poll.status-open [data-action=reveal]").first.click()
        screen.wait_for_selector("#screen-body[data-showing=cloud] .live-results .voters")
        for phone, word in zip(phones, ("Σεμινάριο", "σεμιναριο", "ΣΕΜΙΝΆΡΙΟ"), strict=True):
            phone.wait_for_selector("#live-poll input.vote-text")
            phone.fill("#live-poll input.vote-text", word)
            phone.click("#live-poll form.vote button[type=submit]")
            phone.wait_for_selector("#live-poll .success:not([hidden])")
        screen.wait_for_function(
            "() => { const w = document.querySelectorAll('.screen-body .cloud li');"
            " return w.length === 1 && w[0].dataset.count === '3'; }"
        )
        assert screen.inner_text(".screen-body .cloud li") == "Σεμινάριο"
        TEST_OUTPUT.mkdir(exist_ok=True)
        screen.screenshot(path=str(TEST_OUTPUT / "live-presenter-cloud.png"))
        first.screenshot(path=str(TEST_OUTPUT / "live-phone.png"), full_page=True)
    except Exception:
        TEST_OUTPUT.mkdir(exist_ok=True)
        for n, made in enumerate(contexts):
            for m, tab in enumerate(made.pages):
                tab.screenshot(path=str(TEST_OUTPUT / f"FAILED-live-{n}-{m}.png"), full_page=True)
        raise
    finally:
        for made in contexts:
            made.close()
