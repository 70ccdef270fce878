"""Clicks are recorded off the hot path: the redirect appends a raw event to an in-process
queue (one ``deque.append``) and a background thread writes them in batches.

Lossless by construction:

- a batch leaves the queue only once it is stored; if the database (or Redis) refuses it, it
  stays and is retried with back-off, in order;
- ``stop()`` — called on the server's lifespan shutdown (SIGTERM) — drains the queue before
  the process ends; if storage is still unreachable at that moment, the prepared (already
  anonymous) clicks are written to a spill file under ``KERYX_HOME/clicks-spill/``, which the
  next start stores (each file once: its name is the batch key).

In the scaled shape (``KERYX_CLICKS_QUEUE=redis``) the thread appends each batch to a Redis
stream and a worker writes it to the database (``keryx.links.domain.clicks.clicks_drain``);
if Redis is unreachable the thread writes to the database itself. With
``KERYX_CLICKS_QUEUE=spool`` the thread writes each prepared (anonymous) batch to a file under
``KERYX_HOME/clicks-spool/`` and the worker stores the files (``clicks_spool_drain``), so the
database insert runs in the worker's process, off the web process's core.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import threading
import time
import uuid
from collections import deque
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

from keryx.links.domain.clicks import (
    Prepared,
    RawEvent,
    clicks_prepare,
    clicks_push,
    clicks_spool_write,
    clicks_store,
)

logger = logging.getLogger(__name__)


def _tidy_connections() -> None:
    """``close_old_connections()`` for a thread that lives as long as the process: a healthy
    SQLite connection is kept between rounds (with ``CONN_MAX_AGE = 0`` the thread reopened it,
    PRAGMAs and all, five times a second — about 1 µs per click under load); any other
    connection is closed once unusable or past its ``CONN_MAX_AGE``, as Django does."""
    for conn in connections.all(initialized_only=True):
        if conn.vendor == "sqlite" and conn.connection is not None and not conn.errors_occurred:
            continue
        conn.close_if_unusable_or_obsolete()


class ClickRecorder:
    def __init__(self, *, interval: float | None = None, batch_size: int = 5000) -> None:
        # None: KERYX_CLICKS_INTERVAL, read when the thread starts.
        self.interval = interval
        self.batch_size = batch_size
        # Start the writer thread on the first click. Tests that write in their own
        # transaction turn this off and call flush() themselves.
        self.autostart = True
        # Queue the worker's drain after a batch (Redis stream or spool); tests that drain
        # themselves turn this off.
        self.kick_worker = True
        self._queue: deque[RawEvent] = deque()
        self._prepared: list[Prepared] = []  # taken from the queue, not stored yet
        self._write_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._salts: dict[dt.date, str] = {}
        self._redis: Any = None
        self._last_drain_kick = 0.0
        self._kick_owed = False
        self._last_watch = 0.0
        self.watch_every = 1.0
        self.recorded = 0
        self.stored = 0
        self.failures = 0

    # --- the hot path -----------------------------------------------------------------------

    def record(self, event: RawEvent) -> None:
        self._queue.append(event)
        if self._thread is None and self.autostart:
            self.start()

    # --- life cycle ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def pending(self) -> int:
        return len(self._queue) + len(self._prepared)

    def start(self) -> None:
        with self._state_lock:
            if self.running:
                return
            self._stopping.clear()
            self._thread = threading.Thread(target=self._run, name="keryx-clicks", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 20.0) -> int:
        """Write everything still queued, then stop the thread. Returns the clicks stored
        meanwhile (by the thread's last round or here). Final: clicks recorded afterwards no
        longer start a thread (the process is ending)."""
        deadline = time.monotonic() + timeout
        stored_before = self.stored
        with self._state_lock:
            self.autostart = False
            thread = self._thread
            self._stopping.set()
            self._wake.set()
        if thread is not None:
            thread.join(max(0.1, deadline - time.monotonic()))
        delay = 0.1
        while self.pending() and time.monotonic() < deadline:
            try:
                self.flush(timeout=max(0.1, deadline - time.monotonic()))
            except Exception:
                logger.warning("clicks: could not store %d clicks; retrying", self.pending())
                time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
                delay = min(delay * 2, 2.0)
        if self.pending():
            # Wait (a little) for a write the thread may still be in, so nothing is in two
            # places or in none when the rest goes to disk.
            owned = self._write_lock.acquire(timeout=5.0)
            try:
                self._spill()
            finally:
                if owned:
                    self._write_lock.release()
        if self._kick_owed:
            try:
                self._kick_drain(force=True)
            except Exception:
                logger.warning("clicks: could not ask a worker to store the last batches")
        with self._state_lock:
            self._thread = None
        connections.close_all()
        return self.stored - stored_before

    # --- writing --------------------------------------------------------------------------------

    def flush(self, timeout: float | None = None) -> int:
        """Store everything queued now, in the calling thread. Raises if storage fails (the
        clicks then stay queued), or ``TimeoutError`` if another writer holds on longer than
        ``timeout`` seconds."""
        if not self._write_lock.acquire(timeout=-1 if timeout is None else timeout):
            raise TimeoutError("another writer is still storing clicks")
        try:
            total = 0
            while True:
                if not self._prepared:
                    batch: list[RawEvent] = []
                    queue = self._queue
                    while queue and len(batch) < self.batch_size:
                        batch.append(queue.popleft())
                    if not batch:
                        return total
                    try:
                        self._prepared = clicks_prepare(events=batch, salt_for=self._salt)
                    except Exception:
                        queue.extendleft(reversed(batch))
                        raise
                self._store(self._prepared)
                total += len(self._prepared)
                self.stored += len(self._prepared)
                self._prepared = []
        finally:
            self._write_lock.release()

    def _store(self, clicks: list[Prepared]) -> None:
        if settings.KERYX_CLICKS_QUEUE == "spool":
            # Anonymous already; the worker stores the file (on another core), once.
            clicks_spool_write(clicks=clicks)
            if self.kick_worker:
                self._kick_drain()
            return
        if settings.KERYX_CLICKS_QUEUE == "redis" and settings.REDIS_URL:
            key = f"batch:{uuid.uuid4().hex}"
            try:
                clicks_push(clicks=clicks, key=key, redis=self._redis_client())
            except Exception:
                logger.warning("clicks: Redis unreachable; writing %d clicks directly", len(clicks))
                # Same key: if the push did reach Redis after all, the drain skips the batch.
                clicks_store(clicks=clicks, batch_key=key)
            else:
                self._kick_drain()
            return
        clicks_store(clicks=clicks)

    def _redis_client(self) -> Any:
        if self._redis is None:
            from keryx.core.redis import redis_client

            self._redis = redis_client()
        return self._redis

    def _kick_drain(self, *, force: bool = False) -> None:
        """Ask a worker to drain the stream (or the spool) soon — at most once a second per
        process; a kick skipped for that is owed and sent by the thread's next round (or by
        ``stop()``), so the last batches do not wait for the periodic drain."""
        now = time.monotonic()
        if not force and now - self._last_drain_kick < 1.0:
            self._kick_owed = True
            return
        self._last_drain_kick = now
        self._kick_owed = False
        from keryx.links.tasks import drain_clicks

        drain_clicks()

    def _salt(self, day: dt.date) -> str:
        salt = self._salts.get(day)
        if salt is None:
            from keryx.links.domain.salts import visitor_salt_get

            salt = visitor_salt_get(day=day)
            self._salts = {d: s for d, s in self._salts.items() if d >= day - dt.timedelta(days=1)}
            self._salts[day] = salt
        return salt

    # --- the thread ---------------------------------------------------------------------------

    def _run(self) -> None:
        interval = self.interval if self.interval is not None else settings.KERYX_CLICKS_INTERVAL
        delay = interval
        self._replay_spills()
        while not self._stopping.is_set():
            self._wake.wait(delay)
            self._wake.clear()
            if self._stopping.is_set():
                break
            try:
                _tidy_connections()
                self._watch()
                self.flush()
                if self._kick_owed:
                    self._kick_drain()
                delay = interval
            except Exception:
                self.failures += 1
                logger.exception(
                    "clicks: storing failed; %d clicks wait for a retry", self.pending()
                )
                delay = min(max(delay, interval) * 2, 10.0)
        try:
            self.flush()
        except Exception:
            logger.warning("clicks: final write failed in the writer thread")
        connections.close_all()

    def _watch(self) -> None:
        """Once a second: notice link changes made by other processes, and have tomorrow's
        salt ready before midnight."""
        now = time.monotonic()
        if now - self._last_watch < self.watch_every:
            return
        self._last_watch = now
        from keryx.links.redirect.targets import TARGETS

        TARGETS.refresh_generation()
        today = dt.datetime.now(dt.UTC).date()
        self._salt(today + dt.timedelta(days=1))
        self._salt(today)

    # --- the last resort ------------------------------------------------------------------------

    def _spill_dir(self) -> Path:
        return Path(settings.KERYX_HOME) / "clicks-spill"

    def _spill(self) -> None:
        """Storage stayed unreachable until shutdown: keep the clicks on disk (anonymous)."""
        clicks = list(self._prepared)
        raw = list(self._queue)
        if raw:
            fallback = secrets.token_hex(32)  # a fresh salt: such visitors may count twice
            clicks += clicks_prepare(
                events=raw, salt_for=lambda day: self._salts.get(day) or fallback
            )
        if not clicks:
            return
        folder = self._spill_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{time.time_ns()}-{secrets.token_hex(4)}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for click in clicks:
                out.write(json.dumps(click, separators=(",", ":")) + "\n")
        logger.error(
            "clicks: storage unreachable at shutdown; %d clicks kept in %s", len(clicks), path
        )
        self._queue.clear()
        self._prepared = []

    def _replay_spills(self) -> None:
        folder = self._spill_dir()
        if not folder.is_dir():
            return
        for path in sorted(folder.glob("*.jsonl")):
            try:
                clicks = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
                clicks_store(clicks=clicks, batch_key=f"spill:{path.name}")
            except Exception:
                logger.exception("clicks: could not replay %s; will try again at next start", path)
                return
            path.unlink()
            logger.info("clicks: replayed %d clicks from %s", len(clicks), path)


RECORDER = ClickRecorder()
