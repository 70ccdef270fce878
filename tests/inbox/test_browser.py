"""The inbox in Chromium against `keryx serve` (granian + the worker: the event stream needs a
real ASGI server, the reply a worker) and a real local Bluesky network with its AppView
(PLC + PDS + AppView from @atproto/dev-env): a reply written on the PDS appears in the open
inbox without a reload; a team member replies from Keryx and the reply is on the PDS once; an
abusive reply is hidden on the network (Bluesky allows it: the thread gate's hidden replies);
the keyboard marks a conversation done.

Needs the PostgreSQL + Redis suite for the AppView (skips without it, like the AppView tests).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.cli.support import clean_env, free_port, keryx, running, wait_http
from tests.conftest import screenshot
from tests.factories import PASSWORD
from tests.support.pds import LocalPds, PdsAccount

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("bluesky_appview")]

ROOT = Path(__file__).resolve().parents[2]


def _keryx_python(env: dict[str, str], *args: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-m", "tests.inbox.browser_setup", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def world(bluesky_appview: LocalPds, tmp_path: Path) -> Iterator[dict[str, Any]]:
    net = bluesky_appview
    alice = net.create_account(f"keryx-{uuid.uuid4().hex[:6]}.test", "correct-horse-battery")
    bob = net.create_account(f"bob-{uuid.uuid4().hex[:6]}.test", "correct-horse-battery")
    port = free_port()
    env = clean_env(
        tmp_path / "home",
        PORT=str(port),
        PYTHONPATH=f"{ROOT / 'src'}:{ROOT}",
        KERYX_ALLOW_PRIVATE_URLS="1",
        KERYX_EVENTS_POLL="0.3",
    )
    assert keryx("migrate", "-v", "0", env=env).returncode == 0
    made = _keryx_python(
        env, "setup", net.pds_url, alice.handle, alice.did, net.create_app_password(alice)
    )
    with running("serve", "--port", str(port), env=env, log=tmp_path / "serve.log"):
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/accounts/login/", timeout=120)
        yield {"base": base, "env": env, "net": net, "alice": alice, "bob": bob, **made}


def _replies_by(net: LocalPds, account: PdsAccount, parent_uri: str) -> list[str]:
    """The account's posts on the PDS that answer ``parent_uri``."""
    response = httpx.get(
        net.xrpc_url("com.atproto.repo.listRecords"),
        params={"repo": account.did, "collection": "app.bsky.feed.post", "limit": 100},
        timeout=30,
    )
    return [
        r["uri"]
        for r in response.json()["records"]
        if r["value"].get("reply", {}).get("parent", {}).get("uri") == parent_uri
    ]


def test_reply_appears_live_is_answered_once_and_abuse_is_hidden(browser, world) -> None:  # type: ignore[no-untyped-def]
    net, alice, bob, env = world["net"], world["alice"], world["bob"], world["env"]
    context = browser.new_context(base_url=world["base"], locale="el-GR")
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.fill("input[name=login]", "inbox-mod@example.org")
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(re.compile(r"/w/.+/"))
        page.goto(f"/w/{world['workspace']}/inbox/")
        page.wait_for_selector("#inbox-list[data-connected='1']")
        page.evaluate("window.__notReloaded = true")

        # Bob answers Alice's (Keryx's) post on the network; the sweep reads it.
        root = net.create_post(alice, "Σεμινάριο Social Media, Σάββατο 6/2 στην Τεχνόπολη")
        net.process_all()
        question = net.create_post(bob, "Πότε ανοίγουν οι εγγραφές;", reply_to=root)
        net.process_all()
        assert _keryx_python(env, "sync", str(world["account"]))["changed"] == 1
        row = page.wait_for_selector(".inbox-row:has-text('Πότε ανοίγουν οι εγγραφές;')")
        assert page.evaluate("window.__notReloaded") is True  # it came live, no reload
        screenshot(page, "inbox-live-row")

        # A team member replies from Keryx (pressing the button twice): once on the network.
        row.click()
        page.wait_for_selector("#reply-form")
        page.fill("#reply-text", "Ανοίγουν τη Δευτέρα, θα σας στείλουμε τον σύνδεσμο!")
        page.dblclick("#reply-send")
        page.wait_for_selector("#thread .message.outgoing", timeout=60_000)
        net.process_all()
        deadline = time.monotonic() + 30
        while not (answers := _replies_by(net, alice, question["uri"])):
            assert time.monotonic() < deadline, "the reply never reached the PDS"
            time.sleep(0.5)
        time.sleep(2)  # anything sent twice would be there by now
        assert len(_replies_by(net, alice, question["uri"])) == 1
        replies = _keryx_python(env, "replies")
        assert [(r["status"], r["remote_id"]) for r in replies] == [("sent", answers[0])]
        screenshot(page, "inbox-replied")

        # An abusive reply: hidden on the network from the conversation's page.
        spam = net.create_post(bob, "Κερδίστε iPhone τώρα!!! bit.ly/xyz", reply_to=root)
        net.process_all()
        _keryx_python(env, "sync", str(world["account"]))
        page.goto(f"/w/{world['workspace']}/inbox/")
        page.click(".inbox-row:has-text('Κερδίστε iPhone')")
        page.click("#hide-comment")
        page.wait_for_selector("text=κρυμμένο στο δίκτυο")
        gate = httpx.get(
            net.xrpc_url("com.atproto.repo.getRecord"),
            params={
                "repo": alice.did,
                "collection": "app.bsky.feed.threadgate",
                "rkey": root["uri"].rsplit("/", 1)[-1],
            },
            timeout=30,
        ).json()["value"]
        assert gate["hiddenReplies"] == [spam["uri"]]
        assert page.locator("#hide-comment").count() == 0

        # The keyboard: ? shows the shortcuts, j selects the first row, e marks it done.
        page.goto(f"/w/{world['workspace']}/inbox/")
        page.keyboard.press("?")
        assert page.is_visible("#inbox-help")
        page.keyboard.press("?")
        assert not page.is_visible("#inbox-help")
        page.keyboard.press("j")
        page.wait_for_selector(".inbox-row.selected:has-text('Πότε ανοίγουν οι εγγραφές;')")
        page.keyboard.press("e")
        page.wait_for_selector(".inbox-row:has-text('Πότε ανοίγουν')", state="detached")
        page.goto(f"/w/{world['workspace']}/inbox/?status=done")
        assert page.locator(".inbox-row").count() == 2  # answered and hidden, both done
    finally:
        context.close()
