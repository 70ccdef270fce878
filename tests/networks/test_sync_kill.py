"""Must show: comments arrive over several pages with a cursor, the sweep is killed halfway
— a real SIGKILL of the process reading them, not an exception — and the next sweep resumes
without a gap or a duplicate.

The sweep (tests/networks/sync_kill.py) runs in its own process on a SQLite file, reading
the comments of one post from the test network server (45 comments, 10 a page, each page
slowed to 0.4 s). Once the server has served three pages the test kills the process; a new
process reads the rest. Every comment is stored exactly once, and the server saw the second
process start at the cursor the database kept: no page was read from the beginning again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support import testnet

ROOT = Path(__file__).resolve().parents[2]
POST = "post-7"
COMMENTS, PAGE = 45, 10


def _command(database_url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "tests.networks.sync_kill", database_url, *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}


def _run(database_url: str, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        _command(database_url, *args),
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.slow
def test_a_sweep_killed_with_sigkill_halfway_resumes_without_a_gap_or_a_duplicate(
    tmp_path: Path,
) -> None:
    database_url = f"sqlite:///{tmp_path / 'sync.sqlite3'}"
    with testnet.TestNet() as server:
        server.configure(comments_per_post=COMMENTS, comments_page_size=PAGE, read_latency_ms=400)
        _run(database_url, "setup", server.url)

        sweep = subprocess.Popen(
            _command(database_url, "sweep", POST),
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 120
            while server.stats()["comment_pages"] < 3:
                assert sweep.poll() is None, "the sweep ended before it was killed"
                assert time.monotonic() < deadline, "the sweep never read three pages"
                time.sleep(0.05)
            sweep.send_signal(signal.SIGKILL)
        finally:
            if sweep.poll() is None:
                sweep.kill()
            sweep.wait(timeout=30)
        assert sweep.returncode == -signal.SIGKILL

        halfway = _run(database_url, "report", POST)
        assert 0 < len(halfway["ids"]) < COMMENTS, halfway  # killed halfway, pages kept
        assert not halfway["finished"]
        asked_before = server.stats()["comment_cursors"]

        assert _run(database_url, "sweep", POST)["stored"] == COMMENTS - len(halfway["ids"])
        asked_after = server.stats()["comment_cursors"][len(asked_before) :]

    done = _run(database_url, "report", POST)
    expected = [f"{POST}-c{i}" for i in range(COMMENTS)]
    assert done["ids"] == expected  # no gap, no duplicate, in order
    assert done["finished"] and done["cursor"] == ""
    # The second process started where the database said the first had stopped.
    assert asked_after[0] == halfway["cursor"] == str(len(halfway["ids"]))
    assert asked_after == [str(n) for n in range(len(halfway["ids"]), COMMENTS, PAGE)]
