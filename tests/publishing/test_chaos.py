"""Chaos: 1,000 variants due at once, three real worker processes on PostgreSQL + Redis, one
SIGKILLed mid-run, a network failing 5 % of calls and timing out on 1 % after accepting them.
Every variant must end published exactly once on the server (the server counts), directly or
after being unconfirmed and reconciled; none lost, none duplicated."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.db import connection
from django.utils import timezone

from keryx.publishing.enums import Outcome
from keryx.publishing.models import Attempt
from tests.conftest import services_or_skip
from tests.support import publish_harness as harness

VARIANTS = 1000


def _database_url() -> str:
    s = connection.settings_dict
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    auth = s.get("USER") or "postgres"
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    return f"postgres://{auth}@{host}:{port}/{s['NAME']}"


@pytest.mark.slow
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_chaos_every_variant_published_exactly_once_despite_a_killed_worker_and_a_flaky_network() -> (
    None
):
    # The workers' queue: a Redis database of its own on the server the run was given (emptied
    # before and after), so that emptying it cannot touch what the tests running beside it
    # queue. KERYX_TEST_CHAOS_REDIS_DB picks another (two runs on one machine).
    _db, redis_base = services_or_skip()
    parts = urlsplit(redis_base)
    chaos_db = os.environ.get("KERYX_TEST_CHAOS_REDIS_DB", "13")
    redis_url = urlunsplit((parts.scheme, parts.netloc, f"/{chaos_db}", "", ""))
    assert connection.vendor == "postgresql"
    queue = redis.Redis.from_url(redis_url)
    queue.flushdb()

    server = harness.Server(
        latency_ms=30, fail_percent=5, timeout_percent=1, hang_seconds=4, seed=20261128
    )
    home = Path(tempfile.mkdtemp(prefix="keryx-chaos-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "keryx.settings.production",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "KERYX_HOME": str(home),
        "KERYX_ENABLE_TEST_NETWORK": "1",
        "KERYX_PUBLISH_RETRY_BASE": "0.5",
        "KERYX_PUBLISH_STUCK_AFTER": "8",
        "KERYX_PUBLISH_RECONCILE_AFTER": "2",
        "KERYX_PUBLISH_SWEEP_SECONDS": "5",
        "KERYX_PUBLISH_REDELIVER_SECONDS": "10",
        "KERYX_LOG_LEVEL": "WARNING",
    }
    workers = None
    started = time.monotonic()
    try:
        ids = harness.seed(
            count=VARIANTS,
            accounts=10,
            server_url=server.url,
            due_at=timezone.now() - dt.timedelta(seconds=1),
            timeout=2.0,
        )
        workers = harness.Workers(env, count=3, threads=8, log_dir=home)
        harness.manage(env, "publishing_sweep")  # what the periodic sweep does each minute

        victim = f":{workers.processes[1].pid}:"

        def kill_when_busy(counts, elapsed) -> None:  # type: ignore[no-untyped-def]
            if kill_when_busy.done or counts["published"] < VARIANTS * 0.3:
                return
            in_flight = Attempt.objects.filter(worker__contains=victim, outcome=Outcome.PENDING)
            if not in_flight.exists():
                return
            workers.kill(1)  # SIGKILL, mid-run, with claims in flight
            kill_when_busy.done = True

        kill_when_busy.done = False  # type: ignore[attr-defined]
        counts = harness.wait_settled(ids, timeout=300, every=0.2, on_progress=kill_when_busy)
        assert kill_when_busy.done, counts  # type: ignore[attr-defined]
        result = harness.audit(ids, server.posts())
        stats = server.stats()
        # What the killed worker had claimed was recovered by the sweep: tried again when it
        # had not been sent, asked about (unconfirmed) when it may have been.
        left = Counter(
            Attempt.objects.filter(worker__contains=victim).values_list("outcome", flat=True)
        )
    finally:
        if workers is not None:
            workers.stop()
        server.stop()
        queue.flushdb()
    elapsed = time.monotonic() - started
    print(
        f"chaos: {elapsed:.0f} s, {result.statuses}, attempts {result.outcomes}, "
        f"killed worker's attempts {dict(left)}, server {stats}"
    )

    assert result.statuses == {"published": VARIANTS}
    assert result.stored == VARIANTS
    assert result.duplicates == 0
    assert result.lost == 0
    assert result.phantom == 0
    assert stats["duplicate_fingerprints"] == 0
    assert stats["posts"] == VARIANTS
    # The chaos really happened: failures were retried, ambiguous timeouts were reconciled.
    assert stats["injected_failures"] > 0 and result.outcomes.get("retry", 0) > 0
    assert stats["injected_timeouts"] > 0
    assert result.outcomes.get("found", 0) + result.outcomes.get("absent", 0) > 0
    assert left[Outcome.PENDING] == 0
    assert left[Outcome.ABANDONED] + left[Outcome.UNCONFIRMED] > 0, left
