"""Drive the real pipeline end to end: many due variants, real ``keryx worker`` processes, the
test network server, and an audit of what the server stored. Used by the chaos test
(tests/publishing/test_chaos.py) and the benchmark (bench/publish.py).

The calling process must have Django set up against the same database the workers use.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.testnet import TestNet

SRC = Path(__file__).resolve().parents[2] / "src"
TERMINAL = {"published", "failed"}


class Server(TestNet):
    """The test network server in its own process; its stats can be slow under a full run."""

    def __init__(self, **behaviour: Any) -> None:
        super().__init__(http_timeout=30, **behaviour)


def _env_with_src(env: dict[str, str] | os._Environ[str]) -> dict[str, str]:
    result = dict(env)
    result["PYTHONPATH"] = os.pathsep.join(p for p in [str(SRC), env.get("PYTHONPATH", "")] if p)
    return result


class Workers:
    """``keryx worker`` processes; the first also runs the periodic jobs."""

    def __init__(self, env: dict[str, str], *, count: int, threads: int, log_dir: Path) -> None:
        self.env = _env_with_src(env)
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen[bytes]] = []
        for index in range(count):
            argv = [sys.executable, "-m", "keryx", "worker", "--threads", str(threads)]
            if index == 0:
                argv.append("--periodic")
            log = (log_dir / f"worker-{index}.log").open("wb")
            self.processes.append(
                subprocess.Popen(argv, env=self.env, stdout=log, stderr=subprocess.STDOUT)
            )

    def kill(self, index: int) -> None:
        """SIGKILL: no chance to finish or hand anything back."""
        self.processes[index].send_signal(signal.SIGKILL)
        self.processes[index].wait()

    def stop(self) -> None:
        for proc in self.processes:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.processes:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "keryx", "manage", *args],
        env=_env_with_src(env),
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def seed(
    *, count: int, accounts: int, server_url: str, due_at: dt.datetime, timeout: float = 2.0
) -> list[int]:
    """``count`` approved variants spread over ``accounts`` test-network accounts, all due at
    ``due_at``, each with its own text. Returns their ids."""
    from keryx.accounts.domain.workspaces import workspace_create
    from keryx.accounts.models import User
    from keryx.content.enums import PostStatus, VariantStatus
    from keryx.content.models import Post, Variant
    from keryx.networks.models import NetworkAccount
    from keryx.seminars.models import Seminar

    stamp = str(time.time_ns())
    owner = User.objects.create_user(f"harness-{stamp}@example.org", None)
    workspace = workspace_create(owner=owner, name=f"Harness {stamp}")
    seminar = Seminar.objects.create(
        workspace=workspace,
        title="Harness",
        slug=f"harness-{stamp}",
        starts_at=due_at + dt.timedelta(days=30),
        ends_at=due_at + dt.timedelta(days=30, hours=3),
        format="online",
    )
    account_rows = [
        NetworkAccount.objects.create(
            workspace=workspace,
            network="testnet",
            name=f"acct{n}",
            handle=f"@acct{n}",
            remote_id=f"acct{n}-{stamp}",
            base_url=server_url,
            credentials={"access_token": f"acct{n}"},
            server_limits={"timeout_seconds": timeout},
        )
        for n in range(accounts)
    ]
    per_account = -(-count // accounts)
    posts = Post.objects.bulk_create(
        [
            Post(
                workspace=workspace,
                seminar=seminar,
                master_text=f"post {i}",
                status=PostStatus.APPROVED,
                author=owner,
            )
            for i in range(per_account)
        ],
        batch_size=1000,
    )
    variants: list[Variant] = []
    for i, post in enumerate(posts):
        for n, account in enumerate(account_rows):
            if len(variants) >= count:
                break
            variants.append(
                Variant(
                    post=post,
                    account=account,
                    network="testnet",
                    text=f"Σεμινάριο — ανάρτηση {i} στον λογαριασμό {n}",
                    status=VariantStatus.SCHEDULED,
                    scheduled_at=due_at,
                )
            )
    created = Variant.objects.bulk_create(variants, batch_size=1000)
    return [v.pk for v in created]


def status_counts(ids: list[int]) -> Counter[str]:
    from keryx.content.models import Variant

    counts: Counter[str] = Counter()
    for start in range(0, len(ids), 5000):
        counts.update(
            Variant.objects.filter(pk__in=ids[start : start + 5000]).values_list(
                "status", flat=True
            )
        )
    return counts


def wait_settled(
    ids: list[int],
    *,
    timeout: float,
    every: float = 0.5,
    on_progress: Callable[[Counter[str], float], None] | None = None,
) -> Counter[str]:
    started = time.monotonic()
    while True:
        counts = status_counts(ids)
        elapsed = time.monotonic() - started
        if on_progress is not None:
            on_progress(counts, elapsed)
        if sum(counts[s] for s in TERMINAL) >= len(ids) or elapsed > timeout:
            return counts
        time.sleep(every)


@dataclass
class Audit:
    variants: int
    statuses: dict[str, int]
    stored: int
    duplicates: int
    lost: int
    phantom: int
    lateness: list[float] = field(default_factory=list)
    first_at: dt.datetime | None = None
    last_at: dt.datetime | None = None
    outcomes: dict[str, int] = field(default_factory=dict)


def audit(ids: list[int], server_posts: list[dict[str, Any]]) -> Audit:
    """Compare what Keryx believes with what the server stored, variant by variant.

    duplicates: server posts beyond the first for a variant; lost: variants with no post on
    the server; phantom: variants Keryx calls published that the server does not have (or
    whose remote id is not the server's post).
    """
    from keryx.content.models import Variant
    from keryx.publishing.models import Attempt

    wanted = set(ids)
    by_variant: dict[int, list[dict[str, Any]]] = {}
    for post in server_posts:
        key = str(post.get("idempotency_key", ""))
        if key.startswith("keryx-v"):
            variant_id = int(key[len("keryx-v") :].split("-", 1)[0])
            if variant_id in wanted:
                by_variant.setdefault(variant_id, []).append(post)
    rows = []
    for start in range(0, len(ids), 5000):
        rows += list(
            Variant.objects.filter(pk__in=ids[start : start + 5000]).values_list(
                "pk", "status", "remote_id", "scheduled_at", "published_at"
            )
        )
    statuses: Counter[str] = Counter()
    lateness = []
    phantom = 0
    times = []
    for pk, status, remote_id, scheduled_at, published_at in rows:
        statuses[status] += 1
        on_server = by_variant.get(pk, [])
        if status == "published":
            if not any(p["id"] == remote_id for p in on_server):
                phantom += 1
            if published_at and scheduled_at:
                lateness.append((published_at - scheduled_at).total_seconds())
                times.append(published_at)
    outcomes: Counter[str] = Counter()
    for start in range(0, len(ids), 5000):
        outcomes.update(
            Attempt.objects.filter(variant_id__in=ids[start : start + 5000]).values_list(
                "outcome", flat=True
            )
        )
    return Audit(
        variants=len(ids),
        statuses=dict(statuses),
        stored=sum(len(v) for v in by_variant.values()),
        duplicates=sum(len(v) - 1 for v in by_variant.values() if len(v) > 1),
        lost=sum(1 for pk in ids if not by_variant.get(pk)),
        phantom=phantom,
        lateness=sorted(lateness),
        first_at=min(times) if times else None,
        last_at=max(times) if times else None,
        outcomes=dict(outcomes),
    )


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]
