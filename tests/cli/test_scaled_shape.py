"""The scaled shape: `keryx web` and two `keryx worker` processes on PostgreSQL and Redis.

A task enqueued by the web process (an API call) is executed by one of the workers.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
import redis
from cryptography.fernet import Fernet

from tests.cli.support import clean_env, free_port, keryx, running, wait_http
from tests.conftest import services_or_skip
from tests.support.databases import scratch_database

pytestmark = pytest.mark.slow


def test_web_and_two_workers_share_the_queue(tmp_path: Path) -> None:
    db_url, redis_url = services_or_skip()
    with scratch_database(db_url, "keryx_scaled") as database_url:
        redis_db = urlunsplit(urlsplit(redis_url)._replace(path="/3"))
        # A database of its own, emptied first: CI runs on the services as the last run left
        # them, and a task queued then must not reach this run's workers.
        redis.Redis.from_url(redis_db).flushdb()
        port = free_port()
        env = clean_env(
            tmp_path / "home",
            DATABASE_URL=database_url,
            REDIS_URL=redis_db,
            KERYX_SECRET_KEY="scaled-shape-test-" + uuid.uuid4().hex,
            KERYX_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
            PORT=str(port),
        )
        assert keryx("migrate", "-v", "0", env=env).returncode == 0
        made = keryx(
            "createuser",
            "ops@example.org",
            "--password",
            "operator password 2026",
            "--superuser",
            "--workspace",
            "Ops",
            env=env,
        )
        assert made.returncode == 0, made.stderr
        minted = keryx(
            "manage",
            "shell",
            "-c",
            "from keryx.accounts.models import User; from keryx.accounts.domain.tokens import token_create; "
            "print(token_create(user=User.objects.get(email='ops@example.org'), name='test')[1])",
            env=env,
        )
        token = minted.stdout.strip().splitlines()[-1]
        with (
            running("worker", env=env, log=tmp_path / "w1.log") as w1,
            running("worker", "--periodic", env=env, log=tmp_path / "w2.log") as w2,
            running("web", env=env, log=tmp_path / "web.log") as web,
        ):
            base = f"http://127.0.0.1:{port}"
            wait_http(base + "/accounts/login/")
            headers = {"Authorization": f"Bearer {token}"}
            probe_ids = []
            for _ in range(6):
                answer = httpx.post(
                    base + "/api/v1/system/queue-probes", headers=headers, timeout=10
                )
                assert answer.status_code == 202, answer.text
                probe_ids.append(answer.json()["id"])
            done: dict[int, str] = {}
            deadline = time.monotonic() + 30
            while len(done) < len(probe_ids) and time.monotonic() < deadline:
                for probe_id in probe_ids:
                    body = httpx.get(
                        f"{base}/api/v1/system/queue-probes/{probe_id}", headers=headers, timeout=10
                    ).json()
                    if body["executed_by"]:
                        done[probe_id] = body["executed_by"]
                time.sleep(0.2)
            logs = "".join(p.read_text() for p in tmp_path.glob("*.log"))
            assert len(done) == len(probe_ids), logs
            worker_pids = {str(w1.pid), str(w2.pid)}
            executed_by = {value.rsplit(":", 1)[1] for value in done.values()}
            assert executed_by <= worker_pids, (executed_by, worker_pids)
            requested_from = httpx.get(
                f"{base}/api/v1/system/queue-probes/{probe_ids[0]}", headers=headers
            ).json()
            assert requested_from["requested_from"].rsplit(":", 1)[1] not in worker_pids
            assert web.poll() is None
