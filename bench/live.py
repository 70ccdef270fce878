"""Benchmark of the live room: SSE participants, votes per second, vote → screen latency.

    python bench/live.py --out FILE [--quick] [--participants N] [--rate R] [--duration S]
                         [--shapes embedded,scaled] [--pg URL] [--redis URL]

For each shape:

* embedded: ``keryx serve`` (granian, one worker, SQLite under a temporary KERYX_HOME, the
  worker process beside it);
* scaled: two ``keryx web`` processes on PostgreSQL + Redis (``--pg`` / ``--redis``, or
  KERYX_TEST_DATABASE_URL / KERYX_TEST_REDIS_URL; a scratch database is made and dropped).

The bench makes a seminar, its room and a launched single-choice poll with results shown, and
one participant per vote (cookies signed with the bench's secret key, so no page loads are
needed). It connects ``participants`` SSE clients to ``/j/<code>/events`` (spread over the web
processes), one of them the "presenter screen" that parses every event, then sends ``rate``
votes a second for ``duration`` seconds, spread over the web processes. Each vote is a new
participant's first vote, so every acknowledged vote must be counted.

Per shape: ``shape``, ``participants`` (SSE clients that stayed connected), ``votes_sent``
(answered 200), ``votes_counted`` (rows in the database afterwards), ``votes_lost`` (sent −
counted), ``vote_to_screen_p50_ms`` / ``_p95_ms`` (vote *i* sent → the presenter's stream
first shows ≥ *i* voters), ``server_rss_mb`` (resident memory of the server processes, max
during the run), plus ``screen_final_count`` and ``sse_bytes``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent

SETUP = r"""
import json, sys
from keryx.cli import _setup
_setup()
from django.core import signing
from keryx.accounts.access import workspace_access
from keryx.live.domain.polls import poll_create, poll_set_status
from keryx.live.domain.rooms import room_open
from keryx.live.models import Participant
from keryx.live.views.public import COOKIE
from tests.factories import make_seminar, make_user, make_workspace

voters = int(sys.argv[1])
owner = make_user("bench@example.org")
workspace = make_workspace(owner=owner, name="Bench")
seminar = make_seminar(workspace, owner)
access = workspace_access(owner, workspace)
room = room_open(access=access, seminar=seminar)
poll = poll_create(access=access, room=room, kind="single", question="Bench?", options=["A", "B", "C"])
poll_set_status(access=access, poll=poll, action="launch")
poll_set_status(access=access, poll=poll, action="reveal")
people = Participant.objects.bulk_create(Participant(seminar=seminar) for _ in range(voters))
signer = signing.get_cookie_signer(salt=f"{COOKIE}_{seminar.pk}" + COOKIE)
print(json.dumps({
    "code": room.code, "poll": poll.pk, "cookie": f"{COOKIE}_{seminar.pk}",
    "options": list(poll.options.values_list("pk", flat=True)),
    "cookies": [signer.sign(p.key) for p in people],
}))
"""

COUNT = r"""
from keryx.cli import _setup
_setup()
from keryx.live.models import Vote
print(Vote.objects.count())
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def base_env(home: Path, port: int, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KERYX_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        {
            "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
            "KERYX_HOME": str(home),
            "PORT": str(port),
            "KERYX_LOG_LEVEL": "WARNING",
            "KERYX_SECRET_KEY": "bench-live-" + "k" * 40,
            **extra,
        }
    )
    return env


def run_python(code: str, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"setup failed:\n{done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1]


def wait_port(port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/j/", timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"nothing answers on port {port}")


def tree_rss_mb(pids: list[int]) -> float:
    """Resident memory of the processes and all their descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total = 0
    todo = list(pids)
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return round(total / 1024, 1)


class Screen:
    """The presenter: parses every event, remembers when each voter count first appeared."""

    def __init__(self) -> None:
        self.first_seen: list[float] = []  # index i: when ≥ i+1 voters were first shown
        self.final = 0

    def feed(self, text: str, now: float) -> None:
        for block in text.split("\n\n"):
            if "event: poll" not in block:
                continue
            data = next((line[6:] for line in block.split("\n") if line.startswith("data: ")), "")
            try:
                voters = json.loads(data)["results"]["voters"]
            except (ValueError, KeyError, TypeError):
                continue
            while len(self.first_seen) < voters:
                self.first_seen.append(now)
            self.final = max(self.final, voters)


async def sse_client(
    port: int, path: str, screen: Screen | None, stats: dict[str, int], stop: asyncio.Event
) -> None:
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        stats["failed"] += 1
        return
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    stats["connected"] += 1
    rest = ""
    try:
        while not stop.is_set():
            chunk = await reader.read(65536)
            if not chunk:
                stats["dropped"] += 1
                break
            stats["bytes"] += len(chunk)
            if screen is not None:
                rest += chunk.decode("utf-8", "replace")
                cut = rest.rfind("\n\n")
                if cut >= 0:
                    screen.feed(rest[:cut], time.monotonic())
                    rest = rest[cut + 2 :]
    except (OSError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def run_load(
    ports: list[int],
    room: dict[str, Any],
    participants: int,
    rate: float,
    duration: float,
    rss: list[float],
    pids: list[int],
) -> dict[str, Any]:
    stop = asyncio.Event()
    stats = {"connected": 0, "dropped": 0, "failed": 0, "bytes": 0}
    screen = Screen()
    path = f"/j/{room['code']}/events"
    tasks = [asyncio.create_task(sse_client(ports[0], path, screen, stats, stop))]
    for n in range(participants - 1):
        tasks.append(
            asyncio.create_task(sse_client(ports[n % len(ports)], path, None, stats, stop))
        )
        if n % 200 == 199:
            await asyncio.sleep(0.05)
    for _ in range(100):
        if stats["connected"] + stats["failed"] >= participants:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)
    clients = [
        httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{p}", timeout=30, limits=httpx.Limits(max_connections=64)
        )
        for p in ports
    ]
    token = secrets.token_hex(16)
    sent_at: list[float] = []
    acked = 0
    errors: dict[int, int] = {}

    async def one(i: int) -> None:
        nonlocal acked
        client = clients[i % len(clients)]
        sent_at.append(time.monotonic())
        try:
            answer = await client.post(
                f"/j/{room['code']}/p/{room['poll']}/vote",
                data={"options": str(room["options"][i % 3])},
                headers={
                    "X-CSRFToken": token,
                    "Cookie": f"csrftoken={token}; {room['cookie']}={room['cookies'][i]}",
                },
            )
            if answer.status_code == 200:
                acked += 1
            else:
                errors[answer.status_code] = errors.get(answer.status_code, 0) + 1
        except httpx.HTTPError:
            errors[0] = errors.get(0, 0) + 1

    total = int(rate * duration)
    started = time.monotonic()
    pending = []
    for i in range(total):
        due = started + i / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        pending.append(asyncio.create_task(one(i)))
        if i % max(1, int(rate)) == 0:
            rss.append(tree_rss_mb(pids))
    await asyncio.gather(*pending)
    send_seconds = time.monotonic() - started
    deadline = time.monotonic() + 15
    while screen.final < acked and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    rss.append(tree_rss_mb(pids))
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for client in clients:
        await client.aclose()
    ordered = sorted(sent_at)
    latencies = [
        (screen.first_seen[i] - ordered[i]) * 1000
        for i in range(min(len(ordered), len(screen.first_seen)))
    ]
    return {
        "participants": stats["connected"] - stats["dropped"],
        "sse_failed": stats["failed"],
        "votes_sent": acked,
        "vote_errors": errors,
        "send_seconds": round(send_seconds, 1),
        "screen_final_count": screen.final,
        "vote_to_screen_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "vote_to_screen_p95_ms": round(statistics.quantiles(latencies, n=20)[18], 1)
        if len(latencies) > 1
        else None,
        "sse_bytes": stats["bytes"],
    }


def start(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def run_shape(shape: str, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    votes = int(args.rate * args.duration)
    keryx = [sys.executable, "-m", "keryx"]
    ports = [free_port()] if shape == "embedded" else [free_port(), free_port()]
    extra: dict[str, str] = {}
    database = None
    if shape == "scaled":
        database = f"kx_live_bench_{uuid.uuid4().hex[:8]}"
        import psycopg

        admin = urlunsplit(urlsplit(args.pg)._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        extra = {
            "DATABASE_URL": urlunsplit(urlsplit(args.pg)._replace(path=f"/{database}")),
            "REDIS_URL": args.redis,
        }
    try:
        env = base_env(folder / shape, ports[0], **extra)
        subprocess.run([*keryx, "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
        room = json.loads(run_python(SETUP, env, str(votes)))
        procs = []
        if shape == "embedded":
            procs.append(start([*keryx, "serve"], env, folder / "serve.log"))
        else:
            for port in ports:
                procs.append(
                    start(
                        [*keryx, "web"],
                        # each its own KERYX_HOME: two collectstatic runs must not race
                        base_env(folder / f"{shape}-{port}", port, **extra),
                        folder / f"web{port}.log",
                    )
                )
        rss: list[float] = []
        try:
            for port in ports:
                wait_port(port)
            result = asyncio.run(
                run_load(
                    ports,
                    room,
                    args.participants,
                    args.rate,
                    args.duration,
                    rss,
                    [p.pid for p in procs],
                )
            )
        finally:
            stop(procs)
        counted = int(run_python(COUNT, env))
        return {
            "shape": shape,
            **result,
            "votes_counted": counted,
            "votes_lost": result["votes_sent"] - counted,
            "server_rss_mb": max(rss) if rss else None,
            "rate_per_s": args.rate,
            "duration_s": args.duration,
        }
    finally:
        if database:
            import psycopg

            admin = urlunsplit(urlsplit(args.pg)._replace(path="/postgres"))
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", required=True)
    parser.add_argument(
        "--quick", action="store_true", help="200 participants, 100 votes/s for 10 s."
    )
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=1000.0)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--shapes", default="embedded,scaled")
    parser.add_argument("--pg", default=os.environ.get("KERYX_TEST_DATABASE_URL", ""))
    parser.add_argument("--redis", default=os.environ.get("KERYX_TEST_REDIS_URL", ""))
    args = parser.parse_args()
    if args.quick:
        args.participants, args.rate, args.duration = 200, 100.0, 10.0
    results = []
    with tempfile.TemporaryDirectory(prefix="keryx-bench-live-") as tmp:
        for shape in args.shapes.split(","):
            if shape == "scaled" and not (args.pg and args.redis):
                print("scaled: skipped (no --pg/--redis)", file=sys.stderr)
                continue
            folder = Path(tmp) / shape
            folder.mkdir()
            print(
                f"{shape}: {args.participants} SSE clients, {args.rate:g} votes/s for {args.duration:g} s …",
                file=sys.stderr,
            )
            result = run_shape(shape, args, folder)
            results.append(result)
            print(
                f"{shape}: {result['participants']} connected · {result['votes_sent']} votes sent, "
                f"{result['votes_counted']} counted, {result['votes_lost']} lost · vote→screen "
                f"p50 {result['vote_to_screen_p50_ms']} ms, p95 {result['vote_to_screen_p95_ms']} ms · "
                f"RSS {result['server_rss_mb']} MB",
                file=sys.stderr,
            )
    report = {
        "shapes": results,
        "participants": args.participants,
        "rate": args.rate,
        "duration": args.duration,
    }
    Path(args.out).write_text(json.dumps(report, indent=2))
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
