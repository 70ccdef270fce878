"""The real thing: granian serving keryx.asgi, clicks from parallel clients, then SIGTERM.
Every click must be in the database once the server has exited.

The server runs in its own embedded Keryx (a SQLite file under a temporary KERYX_HOME), as
`keryx serve` would: the test database of the suite is not shared with another process.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.links.conftest import BROWSER

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]

CREATE_LINK = """
import datetime as dt, json, django
django.setup()
from keryx.accounts.access import workspace_access
from keryx.accounts.domain.workspaces import workspace_create
from keryx.accounts.models import User
from keryx.accounts.roles import Perm
from keryx.links.domain.links import LinkData, tracked_link_create
from keryx.seminars.domain.seminars import SeminarData, seminar_create
user = User.objects.create_user("owner@example.org", "a long password 123")
access = workspace_access(user, workspace_create(owner=user, name="W"), Perm.SEMINAR_CREATE)
seminar = seminar_create(access=access, data=SeminarData(fields={
    "title": "Σεμινάριο", "format": "online", "time_zone": "Europe/Athens",
    "starts_at": dt.datetime(2030, 1, 1, 10, tzinfo=dt.UTC),
    "ends_at": dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)}))
link = tracked_link_create(access=access, seminar=seminar, data=LinkData(network="bluesky"))
print(json.dumps({"code": link.code, "id": link.pk}))
"""

COUNT_CLICKS = """
import django
django.setup()
from keryx.links.models import Click
print(Click.objects.filter(link_id=%d, kind="human").count())
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _python(code: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "granian exited"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("granian did not start")


def test_sigterm_writes_every_queued_click_before_the_server_exits(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("KERYX_", "REDIS_URL", "DATABASE_URL"))
        },
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "keryx.settings.production",
        "KERYX_HOME": str(tmp_path),
        "KERYX_BASE_URL": f"http://127.0.0.1:{port}",
        "KERYX_CLICKS_QUEUE": "memory",
        # The writer would wait a minute: every click below is still queued at SIGTERM.
        "KERYX_CLICKS_INTERVAL": "60",
        "KERYX_LOG_LEVEL": "INFO",
    }
    subprocess.run([sys.executable, "-m", "keryx", "migrate", "-v", "0"], env=env, check=True)
    link = json.loads(_python(CREATE_LINK, env))
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "asgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-ws",
            "--log-level",
            "warning",
            "keryx.asgi:application",
        ],
        env=env,
        stderr=subprocess.PIPE,
    )
    statuses: list[int] = []
    try:
        _wait_for(port, server)

        def client() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for _ in range(100):
                conn.request("GET", f"/r/{link['code']}", headers={"User-Agent": BROWSER})
                response = conn.getresponse()
                response.read()
                statuses.append(response.status)
            conn.close()

        threads = [threading.Thread(target=client) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stored_before_stop = int(_python(COUNT_CLICKS % link["id"], env))
    finally:
        server.send_signal(signal.SIGTERM)
        _out, errors = server.communicate(timeout=60)
    assert statuses == [302] * 600, errors.decode()[-3000:]
    assert stored_before_stop == 0  # all still queued in the server
    assert server.returncode == 0
    assert "links: 600 clicks written at shutdown" in errors.decode()
    assert int(_python(COUNT_CLICKS % link["id"], env)) == 600
