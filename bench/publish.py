"""Publishing throughput and lateness: N variants due in the same instant, real workers, the
test network server answering every post after 100 ms.

    python bench/publish.py --out bench/results/publish.json          # 10,000 per shape
    python bench/publish.py --quick --out /tmp/publish-quick.json      # 500 per shape

Shapes: ``embedded`` (SQLite file + SqliteHuey, one ``keryx worker --periodic``) and ``scaled``
(PostgreSQL + RedisHuey, three ``keryx worker`` processes). The scaled shape needs
PostgreSQL and Redis (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test, in
which a ``keryx_bench`` database is created; BENCH_REDIS_URL, default redis db 14).

The sweep queues one message per batch of ``--batch`` variants (20); each worker runs enough
task threads that all claims in flight stay within the test network's cap of 64.

Writes one JSON object: ``{"embedded": {...}, "scaled": {...}}`` where each shape has
``posts_per_minute``, ``lateness_p50_s``, ``lateness_p99_s``, ``duplicates``, ``lost`` and the
details behind them: ``cpu_ms_per_post`` (workers, test server and PostgreSQL backends, from
the due time until the last variant settled) and ``machine_load_1m`` (other work on the
machine, which shares the two cores).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
IN_FLIGHT = 60  # claims in flight at once, all workers together (the test network's cap is 64)
LEAD = 45.0  # seconds from queueing the messages to the due instant (within the sweep look-ahead)


def _shape_env(shape: str, home: Path, args: argparse.Namespace) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KERYX_", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS"))
    }
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(SRC), str(ROOT)]),  # tests.support too
            "DJANGO_SETTINGS_MODULE": "keryx.settings.production",
            "KERYX_HOME": str(home),
            "KERYX_SECRET_KEY": "bench-secret-key-" + "x" * 40,
            "KERYX_ENCRYPTION_KEYS": "P8Ue8rrFdheBh36U6GibYQHAHGxgv8UMAMiaSNCmW4U=",
            "KERYX_ENABLE_TEST_NETWORK": "1",
            "KERYX_LOG_LEVEL": "WARNING",
            "KERYX_PUBLISH_BATCH_SIZE": str(args.batch),
        }
    )
    if shape == "scaled":
        env["DATABASE_URL"] = args.database_url
        env["REDIS_URL"] = args.redis_url
    return env


def _prepare_scaled(args: argparse.Namespace) -> None:
    import psycopg
    import redis

    parts = urlsplit(args.admin_database_url)
    with psycopg.connect(args.admin_database_url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS keryx_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE keryx_bench")
    args.database_url = urlunsplit((parts.scheme, parts.netloc, "/keryx_bench", "", ""))
    redis.Redis.from_url(args.redis_url).flushdb()


def _threads(shape: str, args: argparse.Namespace) -> int:
    """Task threads per worker so that every process's batches together stay within the test
    network's cap (64 publishes in flight): more would only find no free slot and wait."""
    workers = args.workers if shape == "scaled" else 1
    return max(1, IN_FLIGHT // (workers * args.batch))


def _run_shape(shape: str, args: argparse.Namespace) -> dict[str, Any]:
    """Run one shape in a child process (Django is set up once per process and database)."""
    home = Path(tempfile.mkdtemp(prefix=f"keryx-bench-{shape}-"))
    if shape == "scaled":
        _prepare_scaled(args)
    env = _shape_env(shape, home, args)
    subprocess.run([sys.executable, "-m", "keryx", "migrate", "-v", "0"], env=env, check=True)
    out = home / "result.json"
    child = [
        sys.executable,
        __file__,
        "--child",
        shape,
        "--out",
        str(out),
        "--variants",
        str(args.variants),
        "--latency-ms",
        str(args.latency_ms),
        "--workers",
        str(args.workers if shape == "scaled" else 1),
        "--threads",
        str(args.threads or _threads(shape, args)),
        "--accounts",
        str(args.accounts),
        "--timeout",
        str(args.timeout),
        "--lead",
        str(args.lead),
    ]
    subprocess.run(child, env=env, check=True)
    result: dict[str, Any] = json.loads(out.read_text())
    result["database"] = "postgresql" if shape == "scaled" else "sqlite"
    result["queue"] = "redis" if shape == "scaled" else "sqlite"
    return result


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU time of each live process (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / tick
    return found


def _database_pids() -> list[int]:
    """The PostgreSQL backends serving this database (none for SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def _cpu_used(before: dict[str, dict[int, float]], pids: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds each group of processes used since ``before``."""
    used = {}
    for group, members in pids.items():
        now = _cpu_seconds(members)
        used[group] = round(sum(t - before[group].get(pid, 0.0) for pid, t in now.items()), 2)
    return used


def _child(args: argparse.Namespace) -> int:
    """Inside a shape: seed, start the workers, wait, audit."""
    import django

    django.setup()
    from django.utils import timezone
    from tests.support import publish_harness as harness

    shape = args.child
    server = harness.Server(latency_ms=args.latency_ms)
    home = Path(os.environ["KERYX_HOME"])
    env = dict(os.environ)
    workers = None
    try:
        # The workers start first, so that booting them does not compete with queueing.
        workers = harness.Workers(env, count=args.workers, threads=args.threads, log_dir=home)
        t0 = time.monotonic()
        ids = harness.seed(
            count=args.variants,
            accounts=args.accounts,
            server_url=server.url,
            due_at=timezone.now() + dt.timedelta(hours=1),
        )
        due_at = (timezone.now() + dt.timedelta(seconds=args.lead)).replace(microsecond=0)
        from keryx.content.models import Variant

        Variant.objects.filter(pk__in=ids).update(scheduled_at=due_at)
        seeded = time.monotonic() - t0
        # What the periodic sweep does ahead of time: one message per batch, ETA the due time.
        harness.manage(env, "publishing_sweep")
        queued_before_due = (due_at - timezone.now()).total_seconds()
        print(
            f"[{shape}] {len(ids)} variants due at {due_at:%H:%M:%S} (seeded in {seeded:.1f} s; "
            f"messages queued {queued_before_due:.1f} s before the due time)",
            file=sys.stderr,
        )

        loads: list[float] = []

        def progress(counts, elapsed) -> None:  # type: ignore[no-untyped-def]
            loads.append(os.getloadavg()[0])
            done = counts["published"] + counts["failed"]
            width = 30
            filled = int(width * done / max(1, len(ids)))
            sys.stderr.write(
                f"\r[{shape}] [{'#' * filled}{'.' * (width - filled)}] {done}/{len(ids)} "
                f"published={counts['published']} failed={counts['failed']} {elapsed:5.0f}s"
            )
            sys.stderr.flush()

        wait = max(0.0, (due_at - timezone.now()).total_seconds())
        time.sleep(max(0.0, wait - 1.0))
        pids = {
            "workers": [p.pid for p in workers.processes],
            "server": [server.process.pid],
            "database": _database_pids(),
        }
        cpu_before = {group: _cpu_seconds(members) for group, members in pids.items()}
        counts = harness.wait_settled(
            ids, timeout=1.0 + args.timeout, every=1.0, on_progress=progress
        )
        pids["database"] = _database_pids()
        cpu = _cpu_used(cpu_before, pids)
        sys.stderr.write("\n")
        result = harness.audit(ids, server.posts())
        stats = server.stats()
    finally:
        if workers is not None:
            workers.stop()
        server.stop()
    span = (result.last_at - due_at).total_seconds() if result.last_at else float("nan")
    published = result.statuses.get("published", 0)
    report = {
        "variants": result.variants,
        "posts_per_minute": round(published / span * 60, 1) if span and span > 0 else None,
        "lateness_p50_s": round(harness.percentile(result.lateness, 50), 3),
        "lateness_p99_s": round(harness.percentile(result.lateness, 99), 3),
        "lateness_max_s": round(max(result.lateness), 3) if result.lateness else None,
        "all_out_within_s": round(span, 2),
        "duplicates": result.duplicates + stats["duplicate_fingerprints"],
        "lost": result.lost,
        "phantom": result.phantom,
        "statuses": result.statuses,
        "unsettled": len(ids) - counts["published"] - counts["failed"],
        "server_stored": stats["stored"],
        "workers": args.workers,
        "threads_per_worker": args.threads,
        "batch_size": int(os.environ.get("KERYX_PUBLISH_BATCH_SIZE", "1")),
        "accounts": args.accounts,
        "server_latency_ms": args.latency_ms,
        "queued_s_before_due": round(queued_before_due, 1),
        # CPU seconds used from the due time until every variant settled, per post (ms).
        "cpu_s": cpu,
        "cpu_ms_per_post": round(sum(cpu.values()) * 1000 / max(1, published), 2),
        # Other work on the machine while this ran (1-minute load average, mean of samples).
        "machine_load_1m": round(sum(loads) / max(1, len(loads)), 1),
    }
    Path(args.out).write_text(json.dumps(report, indent=2))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", required=True)
    parser.add_argument("--quick", action="store_true", help="500 variants per shape")
    parser.add_argument("--variants", type=int, default=10_000)
    parser.add_argument("--shapes", default="embedded,scaled")
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--workers", type=int, default=3, help="worker processes (scaled)")
    parser.add_argument(
        "--threads",
        type=int,
        default=0,
        help="task threads per worker process (default: workers × threads × batch ≈ 60)",
    )
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--batch", type=int, default=20, help="variants per queue message")
    parser.add_argument("--timeout", type=float, default=600.0, help="give up after (s)")
    parser.add_argument(
        "--lead", type=float, default=LEAD, help="seconds from queueing to the due time"
    )
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child(args)
    if args.quick:
        args.variants = 500
    args.admin_database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test"
    )
    args.redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    results: dict[str, Any] = {}
    for shape in [s.strip() for s in args.shapes.split(",") if s.strip()]:
        results[shape] = _run_shape(shape, args)
        r = results[shape]
        print(
            f"{shape:>8}: {r['variants']} variants, {r['posts_per_minute']} posts/min, all out "
            f"{r['all_out_within_s']} s after the due time, lateness p50 {r['lateness_p50_s']} s "
            f"p99 {r['lateness_p99_s']} s, duplicates {r['duplicates']}, lost {r['lost']}"
        )
    results["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version()}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
