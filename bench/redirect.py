"""Benchmark of the tracked-link redirect ``/r/<code>`` beside nginx answering the same 302.

    python bench/redirect.py --out FILE [--quick] [--duration S] [--rounds N] [--connections C]

What it does, in one run:

1. a fresh embedded Keryx (SQLite under a temporary KERYX_HOME) with one seminar and one
   tracked link; clicks go through the spool (``--clicks spool``: the web process writes
   anonymous batches to files, ``keryx worker`` — started by the bench on core 0, niced so it
   cannot starve wrk — stores them) or the web process stores them (``--clicks memory``);
2. nginx (Debian's ``nginx-light``) with a static config answering ``/r/<code>`` with the same
   302: same Location, same two Set-Cookie headers, same Cache-Control;
3. wrk (Debian's ``wrk``) with the same settings and the same Lua script against both, in
   alternating rounds: nginx, Keryx, nginx, Keryx… The medians are reported.

CPU split on a 2-core machine: wrk runs on core 0 (``taskset -c 0``, one thread), the server
under test on core 1 (``taskset -c 1``: nginx with one worker; granian's process and its one
worker, the click-writer thread included). Click recording is on for Keryx.

Counting clicks exactly: wrk stops mid-request, so the last requests of a run are in flight.
The Lua script therefore sends tracked requests until two seconds before the end and
``/r/<code>?kx_notrack=1`` after that (Keryx counts those only as anonymous); it reports how
many tracked requests it sent. Every one of them got its answer before wrk stopped, so Keryx
must have stored exactly that many clicks by the time granian has exited after SIGTERM — the
graceful shutdown writes whatever is still queued. ``clicks_lost`` is the difference.

Writes one JSON object: keryx_rps, nginx_rps, ratio, p99_ms, requests, clicks_recorded,
clicks_lost (plus details per round).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
INSTALL_HINT = "Install them from Debian: apt-get install nginx-light wrk"

WRK_SCRIPT = """
-- Tracked requests until `tail` seconds before the end, then untracked ones (see redirect.py).
counter = 0
function init(args)
  tracked_until = os.time() + tonumber(args[1])
  tracked = wrk.format("GET", args[2])
  untracked = wrk.format("GET", args[2] .. "?kx_notrack=1")
end
function request()
  if os.time() < tracked_until then
    counter = counter + 1
    return tracked
  end
  return untracked
end
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function done(summary, latency, requests)
  -- wrk calls request() once on the first thread to check the script before it starts
  -- (script_verify_request); that request is never sent.
  local total = -1
  for _, t in ipairs(threads) do
    total = total + t:get("counter")
  end
  io.write(string.format("KX_TRACKED %d\\n", total))
  io.write(string.format("KX_P99_US %d\\n", latency:percentile(99)))
  io.write(string.format("KX_COMPLETED %d\\n", summary.requests))
  io.write(string.format("KX_ERRORS %d\\n", summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
"""

SETUP_SNIPPET = """
import json
import django
django.setup()
from keryx.accounts.access import workspace_access
from keryx.accounts.models import User
from keryx.accounts.domain.workspaces import workspace_create
from keryx.accounts.roles import Perm
from keryx.links.domain.links import LinkData, tracked_link_create
from keryx.links.redirect.targets import TARGETS
from keryx.seminars.domain.seminars import SeminarData, seminar_create
import datetime as dt
user = User.objects.create_user("bench@example.org", "bench password 123")
workspace = workspace_create(owner=user, name="Bench")
access = workspace_access(user, workspace, Perm.SEMINAR_CREATE)
seminar = seminar_create(access=access, data=SeminarData(fields={
    "title": "Σεμινάριο μέτρησης", "format": "online", "time_zone": "Europe/Athens",
    "starts_at": dt.datetime(2030, 1, 1, 10, tzinfo=dt.UTC),
    "ends_at": dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)}))
link = tracked_link_create(access=access, seminar=seminar, data=LinkData(network="bluesky"))
target = TARGETS.load(link.code)
print(json.dumps({"code": link.code, "link_id": link.pk, "status": target.status,
    "headers": [[k.decode(), v.decode()] for k, v in target.headers_new]}))
"""

COUNT_SNIPPET = """
import json
import django
django.setup()
from django.db.models import Count
from keryx.links.models import Click
print(json.dumps(dict(Click.objects.filter(link_id=%d).values_list("kind").annotate(n=Count("pk")).order_by())))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on port {port} after {timeout}s")


def python_env(home: Path, port: int, clicks: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KERYX_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        {
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "keryx.settings.production",
            "KERYX_HOME": str(home),
            "KERYX_BASE_URL": f"http://127.0.0.1:{port}",
            "KERYX_CLICKS_QUEUE": clicks,
            "KERYX_LOG_LEVEL": "WARNING",
        }
    )
    return env


def run_python(code: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"setup failed:\n{done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1]


def nginx_config(folder: Path, port: int, code: str, status: int, headers: list[list[str]]) -> Path:
    location = next(v for k, v in headers if k == "location")
    extra = "\n".join(
        f"      add_header {k} {json.dumps(v)} always;"
        for k, v in headers
        if k not in {"location", "content-length"}
    )
    conf = folder / "nginx.conf"
    conf.write_text(
        textwrap.dedent(
            f"""\
            worker_processes 1;
            daemon off;
            pid {folder}/nginx.pid;
            error_log {folder}/nginx-error.log warn;
            events {{ worker_connections 4096; }}
            http {{
              access_log off;
              server_tokens off;
              client_body_temp_path {folder}/tmp; proxy_temp_path {folder}/tmp;
              fastcgi_temp_path {folder}/tmp; uwsgi_temp_path {folder}/tmp; scgi_temp_path {folder}/tmp;
              server {{
                listen 127.0.0.1:{port};
                location = /r/{code} {{
            {extra}
                  return {status} "{location}";
                }}
              }}
            }}
            """
        )
    )
    (folder / "tmp").mkdir(exist_ok=True)
    return conf


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, IndexError):
            continue
        pending += [int(c) for c in children]
    return total / ticks


def run_wrk(
    port: int, path: str, args: argparse.Namespace, script: Path, server_pid: int
) -> dict[str, Any]:
    tracked_seconds = max(1, args.duration - args.tail)
    command = [
        "taskset", "-c", "0", "wrk",
        f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
        "--latency", "-H", f"User-Agent: {USER_AGENT}",
        "-s", str(script), f"http://127.0.0.1:{port}", "--", str(tracked_seconds), path,
    ]  # fmt: skip
    server_before = tree_cpu_seconds(server_pid)
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as sink:
        wrk = subprocess.Popen(command, stdout=sink, text=True)
        _pid, status, usage = os.wait4(wrk.pid, 0)
        wrk.returncode = os.waitstatus_to_exitcode(status)
        sink.seek(0)
        out = sink.read()
    elapsed = time.monotonic() - started
    server_cpu = tree_cpu_seconds(server_pid) - server_before
    if wrk.returncode != 0:
        raise SystemExit(f"wrk failed:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    values = {k: int(v) for k, v in re.findall(r"KX_(\w+) (\d+)", out)}
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        # How busy each side's core was: a server core well below 1.0 while wrk's is at 1.0
        # means the load generator, not the server, set the rate.
        "server_core_busy": round(server_cpu / elapsed, 2),
        "wrk_core_busy": round((usage.ru_utime + usage.ru_stime) / elapsed, 2),
        "server_cpu_us_per_request": round(server_cpu * 1e6 / max(1, values["COMPLETED"]), 1),
        "p99_ms": values["P99_US"] / 1000.0,
        "tracked": values["TRACKED"],
        "completed": values["COMPLETED"],
        "errors": values["ERRORS"],
        "non_3xx": int(non_2xx.group(1)) if non_2xx else 0,
    }


def check_response(port: int, path: str, expect_status: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: {USER_AGENT}\r\nConnection: close\r\n\r\n".encode()
        )
        head = s.recv(4096).decode("latin-1")
    if f" {expect_status} " not in head.splitlines()[0]:
        raise SystemExit(f"unexpected answer on port {port}:\n{head}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="Write the JSON result here.")
    parser.add_argument("--quick", action="store_true", help="One short round.")
    parser.add_argument("--duration", type=int, default=12, help="Seconds per wrk run.")
    parser.add_argument("--rounds", type=int, default=3, help="nginx/Keryx pairs of runs.")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (on core 0).")
    parser.add_argument("--tail", type=int, default=3, help="Untracked seconds at the end.")
    parser.add_argument(
        "--clicks",
        choices=("spool", "memory"),
        default="spool",
        help="spool: the web process writes anonymous batches to files that `keryx worker` "
        "(run by the bench, on wrk's core) stores; memory: the web process stores them itself.",
    )
    args = parser.parse_args()
    if args.quick:
        args.duration, args.rounds = 6, 1

    missing = [tool for tool in ("wrk", "nginx", "taskset") if shutil.which(tool) is None]
    if missing:
        print(f"bench/redirect.py needs {', '.join(missing)}. {INSTALL_HINT}", file=sys.stderr)
        return 2
    if (os.cpu_count() or 1) < 2:
        print(
            "bench/redirect.py needs 2 CPU cores (one for wrk, one for the server).",
            file=sys.stderr,
        )
        return 2

    folder = Path(tempfile.mkdtemp(prefix="keryx-bench-redirect-"))
    keryx_port, nginx_port = free_port(), free_port()
    env = python_env(folder / "home", keryx_port, args.clicks)
    (folder / "home").mkdir()
    print(f"Preparing an embedded Keryx in {folder} …")
    subprocess.run([sys.executable, "-m", "keryx", "migrate", "-v", "0"], env=env, check=True)
    created = json.loads(run_python(SETUP_SNIPPET, env))
    code, link_id = created["code"], created["link_id"]
    path = f"/r/{code}"
    script = folder / "bench.lua"
    script.write_text(WRK_SCRIPT)
    conf = nginx_config(folder, nginx_port, code, created["status"], created["headers"])

    rounds: list[dict[str, Any]] = []
    for number in range(1, args.rounds + 1):
        nginx = subprocess.Popen(
            ["taskset", "-c", "1", "nginx", "-c", str(conf), "-p", str(folder)]
        )
        try:
            wait_port(nginx_port)
            check_response(nginx_port, path, created["status"])
            nginx_result = run_wrk(nginx_port, path, args, script, nginx.pid)
        finally:
            nginx.send_signal(signal.SIGQUIT)
            nginx.wait(timeout=20)

        before = json.loads(run_python(COUNT_SNIPPET % link_id, env))
        worker = None
        if args.clicks == "spool":
            # The worker that stores the spool files, as `keryx serve` runs it beside granian.
            worker = subprocess.Popen(
                ["taskset", "-c", "0", "nice", "-n", "19", sys.executable, "-m", "keryx", "worker"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=(folder / "worker.log").open("a"),
            )
        granian = subprocess.Popen(
            [
                "taskset",
                "-c",
                "1",
                sys.executable,
                "-m",
                "granian",
                "--interface",
                "asgi",
                "--host",
                "127.0.0.1",
                "--port",
                str(keryx_port),
                "--workers",
                "1",
                "--no-ws",
                "--log-level",
                "warning",
                "keryx.asgi:application",
            ],
            env=env,
        )
        try:
            wait_port(keryx_port)
            check_response(keryx_port, f"{path}?kx_notrack=1", created["status"])
            keryx_result = run_wrk(keryx_port, path, args, script, granian.pid)
        finally:
            stopped_at = time.monotonic()
            granian.send_signal(signal.SIGTERM)
            granian.wait(timeout=120)
            shutdown_s = time.monotonic() - stopped_at
        worker_cpu = 0.0
        if worker is not None:
            # Counting waits for the worker to have stored every spool file.
            spool = folder / "home" / "clicks-spool"
            deadline = time.monotonic() + 300
            while any(spool.glob("*.clicks")) and time.monotonic() < deadline:
                time.sleep(0.2)
            worker_cpu = tree_cpu_seconds(worker.pid)
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
        after = json.loads(run_python(COUNT_SNIPPET % link_id, env))
        recorded = after.get("human", 0) - before.get("human", 0)
        result = {
            "round": number,
            "nginx": nginx_result,
            "keryx": keryx_result,
            "clicks_recorded": recorded,
            "worker_cpu_us_per_click": round(
                worker_cpu * 1e6 / max(1, keryx_result["completed"]), 1
            ),
            "clicks_other_kinds": {
                k: v - before.get(k, 0) for k, v in after.items() if k != "human"
            },
            "shutdown_seconds": round(shutdown_s, 2),
        }
        rounds.append(result)
        print(
            f"round {number}: nginx {nginx_result['rps']:,.0f} req/s "
            f"(core {nginx_result['server_core_busy']:.0%}, wrk {nginx_result['wrk_core_busy']:.0%})"
            f" · keryx {keryx_result['rps']:,.0f} req/s (p99 {keryx_result['p99_ms']:.1f} ms, core "
            f"{keryx_result['server_core_busy']:.0%}, wrk {keryx_result['wrk_core_busy']:.0%}) · "
            f"tracked {keryx_result['tracked']:,} → stored {recorded:,} · shutdown {shutdown_s:.1f} s"
        )

    keryx_rps = statistics.median(r["keryx"]["rps"] for r in rounds)
    nginx_rps = statistics.median(r["nginx"]["rps"] for r in rounds)
    requests = sum(r["keryx"]["tracked"] for r in rounds)
    recorded = sum(r["clicks_recorded"] for r in rounds)
    output = {
        "keryx_rps": round(keryx_rps, 1),
        "nginx_rps": round(nginx_rps, 1),
        "ratio": round(keryx_rps / nginx_rps, 3),
        "p99_ms": round(statistics.median(r["keryx"]["p99_ms"] for r in rounds), 2),
        "requests": requests,
        "clicks_recorded": recorded,
        "clicks_lost": requests - recorded,
        "nginx_p99_ms": round(statistics.median(r["nginx"]["p99_ms"] for r in rounds), 2),
        # The same comparison by CPU time per request on the server's core, which other
        # load on the machine disturbs less than requests per second.
        "keryx_cpu_us_per_request": statistics.median(
            r["keryx"]["server_cpu_us_per_request"] for r in rounds
        ),
        "nginx_cpu_us_per_request": statistics.median(
            r["nginx"]["server_cpu_us_per_request"] for r in rounds
        ),
        "setup": {
            "cpu": "wrk on core 0 (1 thread); server on core 1 (nginx: 1 worker; granian: 1 worker)",
            "wrk": f"-t{args.threads} -c{args.connections} -d{args.duration}s --latency, same Lua script for both",
            "keryx": "granian --interface asgi keryx.asgi:application, SQLite (WAL)",
            "clicks": (
                "spool: anonymous batches in files, stored by `keryx worker` on core 0"
                if args.clicks == "spool"
                else "memory: stored by the web process's writer thread"
            ),
            "rounds": args.rounds,
        },
        "rounds": rounds,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(output, indent=2) + "\n")
    print(
        f"\nKeryx {keryx_rps:,.0f} req/s vs nginx {nginx_rps:,.0f} req/s → ratio "
        f"{output['ratio']:.2f} (goal ≥ 0.25); p99 {output['p99_ms']} ms; clicks "
        f"{recorded:,} of {requests:,} stored, {requests - recorded} lost. → {args.out}"
    )
    shutil.rmtree(folder, ignore_errors=True)
    return 0 if requests == recorded else 1


if __name__ == "__main__":
    raise SystemExit(main())
