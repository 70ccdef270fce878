"""The embedded shape end to end: `keryx serve` on a fresh KERYX_HOME."""

from __future__ import annotations

import signal
import sqlite3
import stat
import time
from pathlib import Path

import httpx
import pytest

from keryx.seminars.domain.demo import DEMO_PASSWORD
from tests.cli.support import clean_env, free_port, keryx, login, post_form, running, wait_http

pytestmark = pytest.mark.slow


def _probe_done(db: Path, probe_id: int) -> str:
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT executed_by FROM core_queueprobe WHERE id = ?", (probe_id,)
        ).fetchone()
    return row[0] if row else ""


def test_serve_runs_the_demo_in_both_languages_and_stops_cleanly(tmp_path: Path) -> None:
    home = tmp_path / "home"
    port = free_port()
    env = clean_env(home, PORT=str(port))
    assert keryx("migrate", "-v", "0", env=env).returncode == 0
    demo = keryx("demo", "--if-empty", env=env)
    assert demo.returncode == 0, demo.stderr
    assert "eleni@demo.keryx.example" in demo.stdout
    again = keryx("demo", "--if-empty", env=env)
    assert "nothing to do" in again.stdout

    # Secrets were generated once, private to the owner.
    for name in ("secret_key", "encryption_key"):
        mode = stat.S_IMODE((home / name).stat().st_mode)
        assert mode == 0o600, (name, oct(mode))
    with sqlite3.connect(home / "keryx.sqlite3") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with running("serve", env=env, log=log) as serve:
        wait_http(base + "/accounts/login/")
        with httpx.Client(base_url=base, timeout=10) as client:
            page = login(client, "eleni@demo.keryx.example", DEMO_PASSWORD)
            assert page.status_code == 200, log.read_text()
            assert "Σεμινάριο Διαχείρισης Social Media 2026" in page.text  # the dashboard
            seminars = client.get(str(page.url.path) + "seminars/")
            assert "Σεμινάρια" in seminars.text  # the demo owner reads Greek
            english = post_form(
                client, "/language/", {"language": "en", "next": str(seminars.url.path)}
            )
            assert "<h1>Seminars</h1>" in english.text
            assert "Σεμινάριο Διαχείρισης Social Media 2026" in english.text
            css = client.get(english.text.split('rel="stylesheet" href="')[1].split('"')[0])
            assert css.status_code == 200 and "max-age=31536000" in css.headers.get(
                "cache-control", ""
            )
            # Files get nosniff and a CSP too (probe finding 9, decision 0747).
            assert css.headers["x-content-type-options"] == "nosniff"
            assert css.headers["content-security-policy"].startswith("default-src 'none'")

            # A probe goes from the web process through the SQLite queue to the worker.
            post_form(client, "/system/", {})
            with sqlite3.connect(home / "keryx.sqlite3") as conn:
                probe_id = conn.execute("SELECT max(id) FROM core_queueprobe").fetchone()[0]
            deadline = time.monotonic() + 20
            while not _probe_done(home / "keryx.sqlite3", probe_id) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert _probe_done(home / "keryx.sqlite3", probe_id), log.read_text()

        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=30) == 0, log.read_text()
    with pytest.raises(httpx.ConnectError):
        httpx.get(base + "/accounts/login/", timeout=2)


def test_a_task_queued_while_stopped_runs_after_restart(tmp_path: Path) -> None:
    home = tmp_path / "home"
    port = free_port()
    env = clean_env(home, PORT=str(port))
    assert keryx("migrate", "-v", "0", env=env).returncode == 0
    queued = keryx(
        "manage",
        "shell",
        "-c",
        "from keryx.core.models import QueueProbe; from keryx.core.tasks import run_queue_probe; "
        "p = QueueProbe.objects.create(); run_queue_probe(p.pk); print(p.pk)",
        env=env,
    )
    assert queued.returncode == 0, queued.stderr
    probe_id = int(queued.stdout.strip().splitlines()[-1])
    assert _probe_done(home / "keryx.sqlite3", probe_id) == ""

    with running("serve", env=env, log=tmp_path / "serve.log"):
        wait_http(f"http://127.0.0.1:{port}/accounts/login/")
        deadline = time.monotonic() + 20
        while not _probe_done(home / "keryx.sqlite3", probe_id) and time.monotonic() < deadline:
            time.sleep(0.2)
    assert _probe_done(home / "keryx.sqlite3", probe_id)


def test_check_refuses_a_scaled_shape_without_shared_secrets(tmp_path: Path) -> None:
    env = clean_env(
        tmp_path / "home",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
        KERYX_BASE_URL="https://keryx.example.org",
    )
    result = keryx("check", env=env)
    assert result.returncode == 1
    for code in ("keryx.E001", "keryx.E002", "keryx.E004", "keryx.E005"):
        assert code in result.stderr, result.stderr


def test_createuser_makes_an_owner_with_a_workspace(tmp_path: Path) -> None:
    env = clean_env(tmp_path / "home")
    assert keryx("migrate", "-v", "0", env=env).returncode == 0
    made = keryx(
        "createuser",
        "maria@example.org",
        "--password",
        "a long enough password",
        "--workspace",
        "Ομάδα",
        env=env,
    )
    assert made.returncode == 0, made.stderr
    assert "Created maria@example.org" in made.stdout
    weak = keryx("createuser", "nikos@example.org", "--password", "123", env=env)
    assert weak.returncode == 1
    assert "password" in weak.stderr.lower()
