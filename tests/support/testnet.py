"""Starts Keryx's test network server (keryx.networks.testnet.server) as its own process."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

SRC = Path(__file__).resolve().parents[2] / "src"


class TestNet:
    """A running test network. ``TestNet(latency_ms=100, fail_percent=5)``; ``http_timeout``
    is how long this side's own requests to it (stats, posts) may take."""

    def __init__(self, *, http_timeout: float = 10, **behaviour: Any) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="keryx-testnet-")
        port_file = Path(self._dir.name) / "port"
        argv = [
            sys.executable,
            "-m",
            "keryx.networks.testnet.server",
            "--port-file",
            str(port_file),
        ]
        for key, value in behaviour.items():
            argv += [f"--{key.replace('_', '-')}", str(value)]
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
        }
        self.process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while not port_file.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the test network server did not start")
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{port_file.read_text().strip()}"
        self.http = httpx.Client(base_url=self.url, timeout=http_timeout)

    def configure(self, **behaviour: Any) -> dict[str, Any]:
        return dict(self.http.post("/_config", json=behaviour).raise_for_status().json())

    def reset(self) -> None:
        self.http.post("/_reset").raise_for_status()

    def stats(self) -> dict[str, Any]:
        return dict(self.http.get("/_stats").raise_for_status().json())

    def posts(self) -> list[dict[str, Any]]:
        return list(self.http.get("/_posts").raise_for_status().json()["posts"])

    def stop(self) -> None:
        self.http.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._dir.cleanup()

    def __enter__(self) -> TestNet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
