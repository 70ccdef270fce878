"""The scaled shape: two `keryx web` processes on PostgreSQL and Redis. A participant streaming
from one sees the votes cast through the other (the wake-up goes over Redis pub/sub: the
table poll is set to 30 s, so only Redis can make it in time)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
import redis
from cryptography.fernet import Fernet

from tests.cli.support import clean_env, free_port, keryx, running, wait_http
from tests.conftest import services_or_skip
from tests.support.databases import scratch_database
from tests.support.sse import parse_sse

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def setup_room(env: dict[str, str]) -> dict[str, Any]:
    made = subprocess.run(
        [sys.executable, "-m", "tests.live.setup_room"],
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


def vote(base: str, code: str, poll: int, option: int) -> int:
    with httpx.Client(base_url=base, timeout=10) as phone:
        phone.get(f"/j/{code}/")
        answer = phone.post(
            f"/j/{code}/p/{poll}/vote",
            data={"options": str(option)},
            headers={"X-CSRFToken": phone.cookies["csrftoken"]},
        )
        return answer.status_code


class Listener(threading.Thread):
    """Streams /j/<code>/events and keeps the latest count of each option."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.counts: dict[int, int] = {}
        self.connected = threading.Event()
        self.stop = False

    def run(self) -> None:
        with httpx.stream("GET", self.url, timeout=httpx.Timeout(5, read=60)) as answer:
            self.connected.set()
            rest = ""
            for chunk in answer.iter_text():
                events, rest = parse_sse(rest + chunk)
                for event in events:
                    if event.event == "poll" and "results" in event.data:
                        self.counts = {
                            o["id"]: o["count"] for o in event.data["results"]["options"]
                        }
                if self.stop:
                    return


def test_votes_through_one_web_process_reach_a_stream_on_the_other(tmp_path: Path) -> None:
    db_url, redis_url = services_or_skip()
    with scratch_database(db_url, "keryx_live") as database_url:
        redis_db = urlunsplit(urlsplit(redis_url)._replace(path="/15"))
        redis.Redis.from_url(redis_db).flushdb()
        ports = [free_port(), free_port()]
        common = dict(
            DATABASE_URL=database_url,
            REDIS_URL=redis_db,
            KERYX_SECRET_KEY="scaled-live-" + uuid.uuid4().hex,
            KERYX_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
            KERYX_EVENTS_POLL="30",
            PYTHONPATH=f"{ROOT / 'src'}:{ROOT}",
        )
        env1 = clean_env(tmp_path / "home1", PORT=str(ports[0]), **common)
        env2 = clean_env(tmp_path / "home2", PORT=str(ports[1]), **common)
        assert keryx("migrate", "-v", "0", env=env1).returncode == 0
        room = setup_room(env1)
        with (
            running("web", env=env1, log=tmp_path / "web1.log"),
            running("web", env=env2, log=tmp_path / "web2.log"),
        ):
            web1, web2 = (f"http://127.0.0.1:{p}" for p in ports)
            wait_http(web1 + "/accounts/login/")
            wait_http(web2 + "/accounts/login/")
            listener = Listener(f"{web1}/j/{room['code']}/events?after=0")
            listener.start()
            assert listener.connected.wait(15)
            time.sleep(1.0)
            first, second, _third = room["options"]
            statuses = [vote(web2, room["code"], room["poll"], first) for _ in range(3)]
            statuses.append(vote(web2, room["code"], room["poll"], second))
            assert statuses == [200, 200, 200, 200]
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and listener.counts.get(second) != 1:
                time.sleep(0.1)
            listener.stop = True
            logs = "".join(p.read_text() for p in tmp_path.glob("*.log"))
            assert listener.counts == {first: 3, second: 1, _third: 0}, logs
