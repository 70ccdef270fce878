"""Benchmark of the live room: SSE participants, votes per second, vote → screen latency.

    python bench/live.py --out FILE [--quick] [--participants N] [--rate R] [--duration S]
                         [--shapes embedded,scaled] [--pg URL] [--redis URL]
                         [--connections N]

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
from keryx.accounts.access import workspace_access
from keryx.live.domain.polls import poll_create, poll_set_status
from keryx.live.domain.rooms import room_open
from keryx.live.models import Participant
from keryx.live.views.public import COOKIE, _set_cookie
from django.http import HttpResponse
from keryx.live.fastpath.guards import participant_token
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
def signed(person):
    response = HttpResponse()
    _set_cookie(response, room, person)
    return response.cookies[f"{COOKIE}_{seminar.pk}"].value
print(json.dumps({
    "code": room.code, "poll": poll.pk, "cookie": f"{COOKIE}_{seminar.pk}",
    "options": list(poll.options.values_list("pk", flat=True)),
    "cookies": [signed(p) for p in people],
    "tokens": [participant_token(p.key) for p in people],
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
            "KERYX_LIVE_FAST_VOTES": os.environ.get("KERYX_LIVE_FAST_VOTES", "1"),
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


def _tree(pids: list[int]) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], list(pids)
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def tree_cpu_s(pids: list[int]) -> float:
    """CPU seconds (user + system) used so far by the processes and their descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in _tree(pids):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / ticks


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


async def _sse_crowd(ports: list[int], path: str, count: int, offset: int, conn: Any) -> None:
    """One child process's share of the silent participants (they only count bytes)."""
    stop = asyncio.Event()
    stats = {"connected": 0, "dropped": 0, "failed": 0, "bytes": 0}
    tasks = []
    for n in range(count):
        port = ports[(n + offset) % len(ports)]
        tasks.append(asyncio.create_task(sse_client(port, path, None, stats, stop)))
        if n % 100 == 99:
            await asyncio.sleep(0.02)
    loop = asyncio.get_running_loop()
    deadline = time.monotonic() + 120  # a connection that neither opens nor fails: go on
    while stats["connected"] + stats["failed"] < count and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    conn.send(("ready", dict(stats)))
    await loop.run_in_executor(None, conn.recv)  # "stop"
    conn.send(("done", dict(stats)))
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def sse_crowd(ports: list[int], path: str, count: int, offset: int, conn: Any) -> None:
    asyncio.run(_sse_crowd(ports, path, count, offset, conn))


class Voter:
    """Votes over raw keep-alive HTTP/1.1 connections (the load generator must cost little
    next to the server: no HTTP library per request, a prebuilt request per vote).

    Each connection carries one vote at a time, so ``connections`` caps the votes in flight
    and a pool of *c* connections can send at most *c* / latency votes a second. Phones do
    not share connections: with 64 per web process, a server answering in 130 ms instead
    of 100 ms already left the generator behind its schedule, and the backlog it built was
    measured as the server's latency. Hence 256 per web process by default (``--connections``)."""

    def __init__(self, port: int, connections: int) -> None:
        self.port = port
        self.connections = connections
        self.queue: asyncio.Queue[tuple[int, float, bytes] | None] = asyncio.Queue()
        self.acked: list[tuple[int, float]] = []  # (vote index, answered at)
        self.errors: dict[int, int] = {}
        self.answer_ms: list[float] = []

    async def run(self) -> None:
        await asyncio.gather(*(self._connection() for _ in range(self.connections)))

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection("127.0.0.1", self.port)

    async def _connection(self) -> None:
        reader, writer = await self._open()
        while True:
            job = await self.queue.get()
            if job is None:
                writer.close()
                return
            index, due, request = job
            for attempt in range(2):
                try:
                    writer.write(request)
                    status_line = await reader.readuntil(b"\r\n")
                    head = await reader.readuntil(b"\r\n\r\n")
                    length = 0
                    for line in head.split(b"\r\n"):
                        if line[:15].lower() == b"content-length:":
                            length = int(line[15:])
                    if length:
                        await reader.readexactly(length)
                    status = int(status_line.split(b" ", 2)[1])
                    break
                except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                    writer.close()
                    status = 0
                    if attempt == 0:
                        reader, writer = await self._open()
            now = time.monotonic()
            self.answer_ms.append((now - due) * 1000)
            if status == 200:
                self.acked.append((index, now))
            else:
                self.errors[status] = self.errors.get(status, 0) + 1


CSRF = secrets.token_hex(16)  # what Django's view checks when the fast path is off


def vote_request(room: dict[str, Any], i: int, port: int) -> bytes:
    body = f"options={room['options'][i % 3]}".encode()
    origin = f"http://127.0.0.1:{port}"
    return (
        f"POST /j/{room['code']}/p/{room['poll']}/vote HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\nOrigin: {origin}\r\nSec-Fetch-Site: same-origin\r\n"
        f"Cookie: {room['cookie']}={room['cookies'][i]}; csrftoken={CSRF}\r\nX-CSRFToken: {CSRF}\r\n"
        f"X-Live-Token: {room['tokens'][i]}\r\nIdempotency-Key: bench-{i}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


async def run_load(
    ports: list[int],
    room: dict[str, Any],
    participants: int,
    rate: float,
    duration: float,
    rss: list[float],
    pids: list[int],
    crowd_processes: int,
    connections: int,
) -> dict[str, Any]:
    import multiprocessing

    stop = asyncio.Event()
    stats = {"connected": 0, "dropped": 0, "failed": 0, "bytes": 0}
    screen = Screen()
    path = f"/j/{room['code']}/events"
    screen_task = asyncio.create_task(sse_client(ports[0], path, screen, stats, stop))
    # The silent participants live in child processes: reading 5,000 streams must not take
    # the CPU the vote sender and the presenter's clock need.
    context = multiprocessing.get_context("fork")
    silent = participants - 1
    crowd = []
    per = -(-silent // crowd_processes) if silent > 0 else 0
    for n in range(crowd_processes):
        count = max(0, min(per, silent - n * per))
        if not count:
            continue
        ours, theirs = context.Pipe()
        proc = context.Process(
            target=sse_crowd, args=(ports, path, count, n * per + 1, theirs), daemon=True
        )
        proc.start()
        crowd.append((proc, ours))
    loop = asyncio.get_running_loop()
    crowd_stats = [await loop.run_in_executor(None, c.recv) for _, c in crowd]
    await asyncio.sleep(1.0)
    voters = [Voter(port, connections) for port in ports]
    # The servers are this process's children: its own tree minus theirs is the generator.
    server_cpu = tree_cpu_s(pids)
    own_cpu = tree_cpu_s([os.getpid()]) - server_cpu
    runners = [asyncio.create_task(v.run()) for v in voters]
    total = int(rate * duration)
    sent_at: list[float] = []
    started = time.monotonic()
    for i in range(total):
        due = started + i / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        sent_at.append(due)
        voter = voters[i % len(voters)]
        voter.queue.put_nowait((i, due, vote_request(room, i, voter.port)))
        if i % max(1, int(rate)) == 0:
            rss.append(tree_rss_mb(pids))
    for voter in voters:
        for _ in range(voter.connections):
            voter.queue.put_nowait(None)
    await asyncio.gather(*runners)
    send_seconds = time.monotonic() - started
    server_now = tree_cpu_s(pids)
    own_cpu = tree_cpu_s([os.getpid()]) - server_now - own_cpu
    server_cpu = server_now - server_cpu
    acked = sum(len(v.acked) for v in voters)
    deadline = time.monotonic() + 15
    while screen.final < acked and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    rss.append(tree_rss_mb(pids))
    for _, c in crowd:
        c.send("stop")
    crowd_stats = [(await loop.run_in_executor(None, c.recv))[1] for _, c in crowd]
    for proc, _ in crowd:
        proc.join(timeout=10)
    stop.set()
    screen_task.cancel()
    await asyncio.gather(screen_task, return_exceptions=True)
    for part in crowd_stats:
        for key in stats:
            stats[key] += part[key]
    # Vote i (in the order they were due) → the screen first showing ≥ i + 1 voters.
    latencies = [
        (screen.first_seen[i] - sent_at[i]) * 1000
        for i in range(min(len(sent_at), len(screen.first_seen)))
    ]
    errors: dict[int, int] = {}
    for voter in voters:
        for status, n in voter.errors.items():
            errors[status] = errors.get(status, 0) + n
    answers = [ms for v in voters for ms in v.answer_ms]
    return {
        "participants": stats["connected"] - stats["dropped"],
        "sse_failed": stats["failed"],
        "votes_sent": acked,
        "vote_errors": errors,
        "send_seconds": round(send_seconds, 1),
        "vote_connections": connections * len(ports),
        "screen_final_count": screen.final,
        "vote_to_screen_p50_ms": quantile(latencies, 0.5),
        "vote_to_screen_p95_ms": quantile(latencies, 0.95),
        "vote_answer_p50_ms": quantile(answers, 0.5),
        "vote_answer_p95_ms": quantile(answers, 0.95),
        "sse_bytes": stats["bytes"],
        # CPU while votes were sent: the server's, and the load generator's own (its crowd
        # processes included) — on a shared machine, the second shows it did not starve.
        "server_cpu_s": round(server_cpu, 1),
        "loadgen_cpu_s": round(own_cpu, 1),
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
                    args.crowd_processes or (1 if args.participants <= 1000 else 2),
                    args.connections,
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
    parser.add_argument(
        "--crowd-processes",
        type=int,
        default=0,
        help="Processes holding the silent SSE clients (default 1, or 2 above 1,000).",
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=256,
        help="Keep-alive connections sending votes, per web process (the votes in flight).",
    )
    parser.add_argument("--keep-logs", default="", help="Copy the servers' logs to this folder.")
    parser.add_argument(
        "--django-votes",
        action="store_true",
        help="Votes through Django's view (the fast path off), for comparison.",
    )
    parser.add_argument("--pg", default=os.environ.get("KERYX_TEST_DATABASE_URL", ""))
    parser.add_argument("--redis", default=os.environ.get("KERYX_TEST_REDIS_URL", ""))
    args = parser.parse_args()
    if args.quick:
        args.participants, args.rate, args.duration = 200, 100.0, 10.0
    if args.django_votes:
        os.environ["KERYX_LIVE_FAST_VOTES"] = "0"
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
            if args.keep_logs:
                import shutil

                keep = Path(args.keep_logs) / shape
                keep.mkdir(parents=True, exist_ok=True)
                for log in folder.glob("*.log"):
                    shutil.copy(log, keep / log.name)
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
        "vote_path": "django" if args.django_votes else "fast",
        "participants": args.participants,
        "rate": args.rate,
        "duration": args.duration,
    }
    Path(args.out).write_text(json.dumps(report, indent=2))
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
