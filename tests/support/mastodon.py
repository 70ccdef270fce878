"""mastodon_mock (PyPI ``mastodon-mock``) as a real HTTP peer for integration tests.

``run_mastodon_mock()`` starts ``mastodon_mock serve`` in a subprocess of the
current interpreter on a free loopback port, with an in-memory SQLite
database, media in a temporary directory and a fixed seed of accounts whose
access tokens are the constants below, waits until ``GET /health`` answers
and yields the base URL (``http://127.0.0.1:<port>``). On exit it stops the
server and deletes the temporary directory.

Usage::

    with run_mastodon_mock() as base_url:
        httpx.post(f"{base_url}/api/v1/statuses", data={"status": "Γειά"},
                   headers={"Authorization": f"Bearer {MOCK_USER.access_token}"})

What the mock does and does not do (0.6.1) is written up in
docs/decisions/0100-test-peers.md.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

STARTUP_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0
_PORT_ATTEMPTS = 3
_LOG_TAIL_CHARS = 6000

# Runs the mock's own CLI, plus a watchdog thread: when its stdin reaches EOF
# (the test process died without stopping it) the server deletes its work dir
# and exits, so it never outlives the test run.
_LAUNCHER = """\
import os, shutil, sys, threading

def _exit_when_stdin_closes() -> None:
    sys.stdin.read()
    shutil.rmtree(os.environ["KERYX_MOCK_WORKDIR"], ignore_errors=True)
    os._exit(0)

threading.Thread(target=_exit_when_stdin_closes, daemon=True).start()
from mastodon_mock.cli import main
main(sys.argv[1:])
"""


class MastodonMockError(RuntimeError):
    """mastodon_mock is not installed, or did not start."""


@dataclass(frozen=True)
class MockAccount:
    """A local account seeded into the mock, with a ready-to-use bearer token."""

    username: str
    access_token: str
    display_name: str = ""


MOCK_USER = MockAccount("keryx", "keryx-mock-token", "Κέρυξ Σεμινάρια")
MOCK_OTHER_USER = MockAccount("other", "other-mock-token", "Other Account")
DEFAULT_ACCOUNTS: tuple[MockAccount, ...] = (MOCK_USER, MOCK_OTHER_USER)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _toml_string(value: str) -> str:
    # A JSON string literal is a valid TOML basic string for the characters used here.
    return json.dumps(value, ensure_ascii=False)


def _write_config(path: Path, media_dir: Path, accounts: Sequence[MockAccount]) -> None:
    lines = [
        'title = "Keryx test Mastodon"',
        f"media_storage_path = {_toml_string(str(media_dir))}",
        "",
        "[database]",
        'path = ":memory:"',
        "",
    ]
    for account in accounts:
        lines += [
            "[[seed.accounts]]",
            f"username = {_toml_string(account.username)}",
            f"display_name = {_toml_string(account.display_name or account.username)}",
            f"access_token = {_toml_string(account.access_token)}",
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")


def _log_tail(log_path: Path) -> str:
    try:
        text = log_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return text[-_LOG_TAIL_CHARS:]


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # uvicorn shuts down gracefully
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdin is not None:
        process.stdin.close()


def _wait_until_healthy(
    process: subprocess.Popen[bytes], base_url: str, deadline: float
) -> int | None:
    """Poll ``/health``; return None once it answers 200, or the exit status if it died."""
    with httpx.Client(base_url=base_url, timeout=2.0) as client:
        while time.monotonic() < deadline:
            code = process.poll()
            if code is not None:
                return code
            try:
                if client.get("/health").status_code == 200:
                    return None
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    raise TimeoutError


@contextmanager
def run_mastodon_mock(
    *,
    port: int | None = None,
    accounts: Sequence[MockAccount] = DEFAULT_ACCOUNTS,
    startup_timeout: float = STARTUP_TIMEOUT_SECONDS,
) -> Iterator[str]:
    """Run mastodon_mock on ``port`` (default: a free one); yield its base URL."""
    if importlib.util.find_spec("mastodon_mock") is None:
        raise MastodonMockError(
            f"mastodon_mock is not installed for {sys.executable}; "
            "install it with:  pip install mastodon-mock==0.6.1"
        )
    workdir = Path(tempfile.mkdtemp(prefix="keryx-mastodon-mock-"))
    try:
        config_path = workdir / "mastodon_mock.toml"
        media_dir = workdir / "media"
        media_dir.mkdir()
        _write_config(config_path, media_dir, accounts)
        log_path = workdir / "server.log"

        attempts = 1 if port is not None else _PORT_ATTEMPTS
        for attempt in range(1, attempts + 1):
            bind_port = port if port is not None else free_port()
            base_url = f"http://127.0.0.1:{bind_port}"
            with log_path.open("wb") as log:
                process = subprocess.Popen(
                    [
                        sys.executable,
                        "-c",
                        _LAUNCHER,
                        "serve",
                        "--config",
                        str(config_path),
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(bind_port),
                        "--in-memory",
                        "--log-level",
                        "warning",
                    ],
                    cwd=workdir,  # keeps it from reading a pyproject.toml [tool.mastodon_mock]
                    env={**os.environ, "KERYX_MOCK_WORKDIR": str(workdir)},
                    stdin=subprocess.PIPE,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            try:
                try:
                    exit_code = _wait_until_healthy(
                        process, base_url, time.monotonic() + startup_timeout
                    )
                except TimeoutError:
                    raise MastodonMockError(
                        f"mastodon_mock did not answer {base_url}/health within "
                        f"{startup_timeout:g} s\n--- server log ---\n{_log_tail(log_path)}"
                    ) from None
                if exit_code is None:
                    yield base_url
                    return
                log_text = _log_tail(log_path)
                if "address already in use" in log_text.lower() and attempt < attempts:
                    continue  # lost the race for the free port: try another one
                raise MastodonMockError(
                    f"mastodon_mock exited with status {exit_code} before answering"
                    f"\n--- server log ---\n{log_text}"
                )
            finally:
                _stop(process)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
