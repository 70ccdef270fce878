"""Running the real `keryx` command in subprocesses, as a user would."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a fresh machine: no test settings, no secrets, only KERYX_HOME."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KERYX_", "DJANGO_", "DATABASE_URL", "REDIS_URL", "PYTEST"))
    }
    env["KERYX_HOME"] = str(home)
    env.update(extra)
    return env


def keryx(
    *args: str, env: Mapping[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "keryx", *args],
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def wait_http(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError as exc:
            last = exc
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {timeout}s: {last!r}")


@contextmanager
def running(*args: str, env: Mapping[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Start `keryx <args>` in its own session; stop it with SIGTERM at the end."""
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "keryx", *args],
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def login(client: httpx.Client, email: str, password: str) -> httpx.Response:
    client.get("/accounts/login/")
    token = client.cookies.get("csrftoken")
    return client.post(
        "/accounts/login/",
        data={"login": email, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": str(client.base_url) + "/accounts/login/"},
        follow_redirects=True,
    )


def post_form(client: httpx.Client, path: str, data: dict[str, str]) -> httpx.Response:
    token = client.cookies.get("csrftoken") or ""
    return client.post(
        path,
        data={**data, "csrfmiddlewaretoken": token},
        headers={"Referer": str(client.base_url) + path},
        follow_redirects=True,
    )
