"""A real local AT Protocol network (PLC + PDS) for integration tests.

``tests/pds/server.mjs`` runs ``TestNetworkNoAppView`` from ``@atproto/dev-env``
(pinned in ``tests/pds/package.json``): an in-memory did:plc directory and one
PDS on SQLite in a temporary directory. This module starts it as a subprocess,
waits for the single JSON "ready" line it prints on stdout and stops it again.

Install the Node dependencies once (CI does the same)::

    npm ci --prefix tests/pds

Usage::

    with run_local_pds() as pds:
        account = pds.create_account("alice.test", "hunter2hunter2")
        httpx.post(f"{pds.pds_url}/xrpc/com.atproto.repo.createRecord", ...,
                   headers={"Authorization": f"Bearer {account.access_jwt}"})

Handles must end in ``pds.handle_domain`` (``.test``). Ports are fixed
(PDS 2583, PLC 2582) unless ``KERYX_PDS_PORT`` / ``KERYX_PLC_PORT`` or the
constructor arguments say otherwise, so only one local PDS runs per machine
at a time with the defaults.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import IO, Any, NamedTuple, Self

import httpx

PDS_DIR = Path(__file__).resolve().parent.parent / "pds"
DEFAULT_PDS_PORT = 2583
DEFAULT_PLC_PORT = 2582
READY_TIMEOUT_SECONDS = 90.0
STOP_TIMEOUT_SECONDS = 20.0
_STDERR_TAIL_CHARS = 6000


class LocalPdsError(RuntimeError):
    """The local PDS could not be started, or an XRPC call to it failed."""


class PdsAccount(NamedTuple):
    """An account created on the local PDS: unpacks as ``did, handle, access_jwt``."""

    did: str
    handle: str
    access_jwt: str


class LocalPds:
    """One ``node tests/pds/server.mjs`` process; use as a context manager."""

    def __init__(
        self,
        *,
        pds_port: int | None = None,
        plc_port: int | None = None,
        ready_timeout: float = READY_TIMEOUT_SECONDS,
        pds_dir: Path = PDS_DIR,
        node: str = "node",
        env: Mapping[str, str] | None = None,
    ) -> None:
        self._pds_port = pds_port
        self._plc_port = plc_port
        self._ready_timeout = ready_timeout
        self._pds_dir = pds_dir
        self._node = node
        self._extra_env = dict(env or {})
        self._process: subprocess.Popen[str] | None = None
        self._stderr_file: IO[str] | None = None
        self._stdout_thread: threading.Thread | None = None
        self._stdout_lines: queue.Queue[str | None] = queue.Queue()
        self._ready: dict[str, Any] | None = None
        self.startup_seconds: float | None = None
        """Wall-clock seconds from spawning node to the ready line (for reports)."""

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> None:
        """Spawn the server and block until it is ready (or raise LocalPdsError)."""
        if self._process is not None:
            raise LocalPdsError("this LocalPds has already been started")
        node = self._check_prerequisites()

        env = {**os.environ, **self._extra_env}
        if self._pds_port is not None:
            env["KERYX_PDS_PORT"] = str(self._pds_port)
        if self._plc_port is not None:
            env["KERYX_PLC_PORT"] = str(self._plc_port)

        # stderr goes to a file: it can never fill a pipe and block the server,
        # and it is there to quote when start-up fails.
        self._stderr_file = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
        started = time.monotonic()
        self._process = subprocess.Popen(
            [node, str(self._pds_dir / "server.mjs"), "--exit-with-stdin"],
            cwd=self._pds_dir,
            env=env,
            stdin=subprocess.PIPE,  # closed by us (or by our death): the server exits
            stdout=subprocess.PIPE,
            stderr=self._stderr_file,
            text=True,
            encoding="utf-8",
            start_new_session=True,  # a Ctrl-C in pytest reaches us, and we stop it
        )
        self._stdout_thread = threading.Thread(
            target=self._pump_stdout, args=(self._process,), name="local-pds-stdout", daemon=True
        )
        self._stdout_thread.start()
        try:
            self._ready = self._wait_until_ready(started + self._ready_timeout)
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - started

    def stop(self) -> None:
        """SIGTERM the server (it closes the network and exits 0); kill it if it hangs."""
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdin is not None:
            process.stdin.close()
        if self._stdout_thread is not None:
            self._stdout_thread.join(timeout=5)
        if process.stdout is not None:
            process.stdout.close()
        if self._stderr_file is not None:
            self._stderr_file.close()
            self._stderr_file = None
        self._process = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- what the server told us ------------------------------------------

    @property
    def pds_url(self) -> str:
        """Base URL of the PDS, e.g. ``http://localhost:2583``."""
        return str(self._ready_info()["pds"])

    @property
    def plc_url(self) -> str:
        """Base URL of the did:plc directory, e.g. ``http://localhost:2582``."""
        return str(self._ready_info()["plc"])

    @property
    def handle_domain(self) -> str:
        """Suffix that handles on this PDS must end with (``.test``)."""
        return str(self._ready_info().get("handleDomain", ".test"))

    @property
    def returncode(self) -> int | None:
        """Exit status of the server process, ``None`` while it runs."""
        return None if self._process is None else self._process.poll()

    def xrpc_url(self, nsid: str) -> str:
        """``{pds_url}/xrpc/{nsid}``."""
        return f"{self.pds_url}/xrpc/{nsid}"

    # -- XRPC helpers ------------------------------------------------------

    def create_account(self, handle: str, password: str, *, email: str | None = None) -> PdsAccount:
        """Create an account with ``com.atproto.server.createAccount``.

        The PDS requires an e-mail address; by default ``<handle>@example.com``.
        """
        body = {
            "handle": handle,
            "password": password,
            "email": email or f"{handle}@example.com",
        }
        response = httpx.post(
            self.xrpc_url("com.atproto.server.createAccount"), json=body, timeout=30
        )
        data = _xrpc_json(response, "com.atproto.server.createAccount")
        return PdsAccount(
            did=str(data["did"]), handle=str(data["handle"]), access_jwt=str(data["accessJwt"])
        )

    def create_app_password(self, account: PdsAccount, name: str = "Keryx") -> str:
        """An app password for ``account`` (what a user makes in Bluesky's settings)."""
        response = httpx.post(
            self.xrpc_url("com.atproto.server.createAppPassword"),
            json={"name": name},
            headers={"Authorization": f"Bearer {account.access_jwt}"},
            timeout=30,
        )
        return str(_xrpc_json(response, "com.atproto.server.createAppPassword")["password"])

    # -- internals ---------------------------------------------------------

    def _check_prerequisites(self) -> str:
        script = self._pds_dir / "server.mjs"
        if not script.is_file():
            raise LocalPdsError(f"{script} does not exist")
        if not (self._pds_dir / "node_modules" / "@atproto" / "dev-env").is_dir():
            raise LocalPdsError(
                f"{self._pds_dir / 'node_modules'} is missing (or lacks @atproto/dev-env). "
                "Install the local PDS once with:  npm ci --prefix tests/pds"
            )
        node = shutil.which(self._node)
        if node is None:
            raise LocalPdsError(
                f"{self._node!r} is not on PATH; the local PDS needs Node.js 20 or newer"
            )
        return node

    def _pump_stdout(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self._stdout_lines.put(line)
        self._stdout_lines.put(None)  # EOF

    def _wait_until_ready(self, deadline: float) -> dict[str, Any]:
        other_output: list[str] = []
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LocalPdsError(
                    f"local PDS not ready after {self._ready_timeout:g} s"
                    + self._diagnostics(other_output)
                )
            try:
                line = self._stdout_lines.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue
            if line is None:
                process = self._process
                code = process.wait(timeout=10) if process is not None else None
                raise LocalPdsError(
                    f"local PDS exited with status {code} before it was ready"
                    + self._diagnostics(other_output)
                )
            try:
                message = json.loads(line)
            except json.JSONDecodeError:
                other_output.append(line)
                continue
            if isinstance(message, dict) and message.get("ready") is True:
                return message
            other_output.append(line)

    def _diagnostics(self, stdout_lines: list[str]) -> str:
        parts: list[str] = []
        stderr = self._read_stderr()
        if stderr:
            parts.append(f"--- server stderr (last {_STDERR_TAIL_CHARS} chars) ---\n{stderr}")
        if stdout_lines:
            parts.append("--- server stdout ---\n" + "".join(stdout_lines)[-_STDERR_TAIL_CHARS:])
        if "EADDRINUSE" in stderr:
            parts.append(
                "A port is taken (another local PDS still running?). Stop it, or pick free "
                "ports with KERYX_PDS_PORT / KERYX_PLC_PORT."
            )
        return "\n" + "\n".join(parts) if parts else " (the server printed nothing)"

    def _read_stderr(self) -> str:
        if self._stderr_file is None:
            return ""
        self._stderr_file.flush()
        self._stderr_file.seek(0)
        return self._stderr_file.read()[-_STDERR_TAIL_CHARS:]

    def _ready_info(self) -> dict[str, Any]:
        if self._ready is None:
            raise LocalPdsError(
                "the local PDS is not running; use it inside `with run_local_pds()`"
            )
        return self._ready


def _xrpc_json(response: httpx.Response, nsid: str) -> dict[str, Any]:
    """Return the JSON body of a successful XRPC response, or raise LocalPdsError."""
    if response.is_success:
        data = response.json()
        if not isinstance(data, dict):
            raise LocalPdsError(f"{nsid}: expected a JSON object, got {data!r}")
        return data
    raise LocalPdsError(f"{nsid} failed with HTTP {response.status_code}: {response.text}")


@contextmanager
def run_local_pds(
    *,
    pds_port: int | None = None,
    plc_port: int | None = None,
    ready_timeout: float = READY_TIMEOUT_SECONDS,
) -> Iterator[LocalPds]:
    """Start the local PDS for the duration of the ``with`` block."""
    with LocalPds(pds_port=pds_port, plc_port=plc_port, ready_timeout=ready_timeout) as pds:
        yield pds
