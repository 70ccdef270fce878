"""How much memory `keryx serve` holds when idle, and how long it takes to be ready.

    python bench/footprint.py --out FILE [--quick]

Starts `keryx serve` on a fresh KERYX_HOME with the demo loaded, waits until /readyz answers
200 (``ready_s``, from the start of the command; the database is migrated beforehand so the
figure is the server's own start), lets it settle, then sums the resident memory of every
process in its tree (``idle_rss_mb``) and, fairer where processes share pages, the
proportional set size (``idle_pss_mb``). Writes one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _tree(pid: int) -> list[int]:
    tree = _children()
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += tree.get(current, [])
    return found


def _kb(path: Path, field: str) -> int:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _name(pid: int) -> str:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    return " ".join(a.decode(errors="replace") for a in argv[:6] if a)[:90]


def measure(settle: float) -> dict[str, object]:
    home = Path(tempfile.mkdtemp(prefix="keryx-footprint-"))
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KERYX_", "DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(KERYX_HOME=str(home), PORT=str(port))
    keryx = [sys.executable, "-m", "keryx"]
    subprocess.run([*keryx, "migrate", "-v", "0"], env=env, check=True)
    subprocess.run([*keryx, "demo"], env=env, check=True, capture_output=True)
    started = time.monotonic()
    proc = subprocess.Popen(
        [*keryx, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    ready_s = None
    try:
        deadline = started + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                    ready_s = time.monotonic() - started
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        if ready_s is None:
            raise SystemExit("keryx serve did not become ready in 180 s")
        # One page each, as a person would, so the web worker has loaded what it serves.
        for path in ("/accounts/login/", "/healthz"):
            httpx.get(f"http://127.0.0.1:{port}{path}", timeout=10)
        time.sleep(settle)
        processes = []
        for pid in _tree(proc.pid):
            rss = _kb(Path(f"/proc/{pid}/status"), "VmRSS")
            pss = _kb(Path(f"/proc/{pid}/smaps_rollup"), "Pss")
            processes.append(
                {"pid": pid, "cmd": _name(pid), "rss_mb": rss / 1024, "pss_mb": pss / 1024}
            )
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
    return {
        "idle_rss_mb": round(sum(p["rss_mb"] for p in processes), 1),
        "idle_pss_mb": round(sum(p["pss_mb"] for p in processes), 1),
        "ready_s": round(ready_s, 2),
        "processes": [
            {**p, "rss_mb": round(p["rss_mb"], 1), "pss_mb": round(p["pss_mb"], 1)}
            for p in processes
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--quick", action="store_true", help="settle 3 s instead of 15 s")
    args = parser.parse_args()
    result = measure(settle=3.0 if args.quick else 15.0)
    for p in result["processes"]:  # type: ignore[union-attr]
        print(f"{p['rss_mb']:7.1f} MB RSS {p['pss_mb']:7.1f} MB PSS  {p['cmd']}")
    print(
        f"idle: {result['idle_rss_mb']} MB RSS ({result['idle_pss_mb']} MB PSS); "
        f"ready in {result['ready_s']} s"
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
