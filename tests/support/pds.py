"""A real local AT Protocol network (PLC + PDS, optionally with an AppView) for integration tests.

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

With an AppView (reads: threads, notifications, counts, search)
----------------------------------------------------------------

``app.bsky.*`` reads (``getPostThread``, ``listNotifications``, ``getPosts``,
``searchPosts``) need an AppView, which indexes the PDS's firehose into
PostgreSQL. ``LocalPds(appview=True, postgres_url=..., redis_host=...)`` runs
``server.mjs --appview`` (dev-env's full ``TestNetwork``: PLC, PDS, AppView,
Ozone); the PDS proxies ``app.bsky.*`` calls to the AppView, so a client talks
to ``pds.pds_url`` only, as with bsky.social. The AppView indexes
asynchronously: call ``pds.process_all()`` after writing and before reading.
Index a post before replying to it (the AppView indexes each account's repo
on its own, and a reply indexed before its root notifies nobody)::

    root = pds.create_post(alice, "Σεμινάριο")
    pds.process_all()
    pds.create_post(bob, "Θα έρθω!", reply_to=root)
    pds.process_all()
    # listNotifications for alice now has bob's reply

In tests, use the ``bluesky_appview`` fixture (tests/conftest.py): one network
per test session (per xdist worker), on free ports, with a PostgreSQL database
of its own that is created for it and dropped afterwards, on the server of
``KERYX_TEST_DATABASE_URL``. It needs the PostgreSQL + Redis suite (``make
test-services``): without services it skips (and fails when
``KERYX_REQUIRE_SERVICES=1``). Mark the test module with
``pytest.mark.xdist_group("bluesky_appview")`` so its tests share one network::

    pytestmark = pytest.mark.xdist_group("bluesky_appview")

    def test_reply_appears(bluesky_appview: LocalPds) -> None:
        alice = bluesky_appview.create_account(f"alice-{uuid4().hex[:6]}.test", "pw-pw-pw-pw")
        password = bluesky_appview.create_app_password(alice)  # connect Keryx with this
        ...

Start-up takes 30-60 s (the AppView migrates its schema). Accounts are not
cleared between tests: use unique handles.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import socket
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
        appview: bool = False,
        postgres_url: str = "",
        redis_host: str = "",
        appview_port: int | None = None,
        ozone_port: int | None = None,
    ) -> None:
        if appview and not postgres_url:
            raise LocalPdsError("an AppView needs a PostgreSQL database (postgres_url)")
        self._appview = appview
        self._appview_env: dict[str, str] = {}
        if appview:
            self._appview_env = {
                "DB_POSTGRES_URL": postgres_url,
                # dev-env names the schemas appview_<it> and ozone_<it>: letters and _ only.
                "DB_POSTGRES_SCHEMA": "keryx",
                # Asserted by dev-env 0.3.215; its AppView does not connect to Redis.
                "REDIS_HOST": redis_host or "127.0.0.1:6379",
            }
            if appview_port is not None:
                self._appview_env["KERYX_APPVIEW_PORT"] = str(appview_port)
            if ozone_port is not None:
                self._appview_env["KERYX_OZONE_PORT"] = str(ozone_port)
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

        env = {**os.environ, **self._extra_env, **self._appview_env}
        if self._pds_port is not None:
            env["KERYX_PDS_PORT"] = str(self._pds_port)
        if self._plc_port is not None:
            env["KERYX_PLC_PORT"] = str(self._plc_port)

        # stderr goes to a file: it can never fill a pipe and block the server,
        # and it is there to quote when start-up fails.
        self._stderr_file = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
        started = time.monotonic()
        self._process = subprocess.Popen(
            [
                node,
                str(self._pds_dir / "server.mjs"),
                "--exit-with-stdin",
                *(["--appview"] if self._appview else []),
            ],
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
    def appview_url(self) -> str:
        """Base URL of the AppView (``appview=True`` only); clients go through the PDS."""
        return str(self._ready_info()["appview"])

    def process_all(self, timeout: float = 60.0) -> None:
        """Wait until the AppView has indexed everything the PDS has written so far."""
        info = self._ready_info()
        if "control" not in info:
            raise LocalPdsError("process_all() needs the AppView (LocalPds(appview=True))")
        response = httpx.post(f"{info['control']}/process-all", timeout=timeout)
        _xrpc_json(response, "process-all")

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

    def create_post(
        self,
        account: PdsAccount,
        text: str,
        *,
        reply_to: Mapping[str, Any] | None = None,
        mention: PdsAccount | None = None,
    ) -> dict[str, Any]:
        """Post ``text`` as ``account``; returns ``{"uri", "cid", "root"}``.

        ``reply_to`` is an earlier result of this method (the reply gets that post's root).
        ``mention`` adds a mention facet for the first ``@handle`` of that account in ``text``.
        """
        import datetime as dt

        record: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
        }
        if reply_to is not None:
            parent = {"uri": reply_to["uri"], "cid": reply_to["cid"]}
            record["reply"] = {"root": reply_to.get("root") or parent, "parent": parent}
        if mention is not None:
            encoded, at = text.encode("utf-8"), f"@{mention.handle}".encode()
            start = encoded.index(at)
            record["facets"] = [
                {
                    "index": {"byteStart": start, "byteEnd": start + len(at)},
                    "features": [{"$type": "app.bsky.richtext.facet#mention", "did": mention.did}],
                }
            ]
        response = httpx.post(
            self.xrpc_url("com.atproto.repo.createRecord"),
            json={"repo": account.did, "collection": "app.bsky.feed.post", "record": record},
            headers={"Authorization": f"Bearer {account.access_jwt}"},
            timeout=30,
        )
        data = _xrpc_json(response, "com.atproto.repo.createRecord")
        made = {"uri": str(data["uri"]), "cid": str(data["cid"])}
        root = record.get("reply", {}).get("root") or made
        return {**made, "root": root}

    def create_record(
        self, account: PdsAccount, collection: str, record: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Any record in ``account``'s repository; returns ``{"uri", "cid"}``."""
        import datetime as dt

        body = {
            "$type": collection,
            "createdAt": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
            **record,
        }
        response = httpx.post(
            self.xrpc_url("com.atproto.repo.createRecord"),
            json={"repo": account.did, "collection": collection, "record": body},
            headers={"Authorization": f"Bearer {account.access_jwt}"},
            timeout=30,
        )
        data = _xrpc_json(response, "com.atproto.repo.createRecord")
        return {"uri": str(data["uri"]), "cid": str(data["cid"])}

    def like(self, account: PdsAccount, post: Mapping[str, Any]) -> dict[str, Any]:
        """``account`` likes ``post`` (a result of :meth:`create_post`)."""
        subject = {"uri": post["uri"], "cid": post["cid"]}
        return self.create_record(account, "app.bsky.feed.like", {"subject": subject})

    def repost(self, account: PdsAccount, post: Mapping[str, Any]) -> dict[str, Any]:
        """``account`` reposts ``post`` (a result of :meth:`create_post`)."""
        subject = {"uri": post["uri"], "cid": post["cid"]}
        return self.create_record(account, "app.bsky.feed.repost", {"subject": subject})

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


def free_ports(count: int) -> list[int]:
    """``count`` different TCP ports nobody listens on right now (the OS picks them)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@contextmanager
def run_appview_network(
    postgres_server_url: str, redis_url: str = "", *, ready_timeout: float = 180.0
) -> Iterator[LocalPds]:
    """PLC + PDS + AppView on free ports, with a PostgreSQL database of its own (created on
    the server of ``postgres_server_url`` and dropped afterwards)."""
    from urllib.parse import urlsplit

    from tests.support.databases import scratch_database

    redis = urlsplit(redis_url) if redis_url else None
    redis_host = f"{redis.hostname or '127.0.0.1'}:{redis.port or 6379}" if redis else ""
    pds_port, plc_port, appview_port, ozone_port = free_ports(4)
    with (
        scratch_database(postgres_server_url, "kx_bsky_appview") as database_url,
        LocalPds(
            pds_port=pds_port,
            plc_port=plc_port,
            appview=True,
            postgres_url=database_url,
            redis_host=redis_host,
            appview_port=appview_port,
            ozone_port=ozone_port,
            ready_timeout=ready_timeout,
        ) as network,
    ):
        yield network


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
