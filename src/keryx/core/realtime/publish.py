"""Writing events: :func:`publish`, :func:`publish_on_commit`, :func:`publish_coalesced`."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from keryx.core.realtime import signal

logger = logging.getLogger(__name__)

# Any constant: the PostgreSQL advisory lock that orders event inserts by commit.
_ADVISORY_KEY = 0x6B6572797845  # "keryxE"


class WriteTurn:
    """SQLite has one writer at a time, and its busy handler is not fair: it sleeps longer and
    longer between tries. A thread that commits back to back — the live vote writer under
    load — took the lock again and again while an event insert waited, up to a second (the
    presenter screen froze while votes flowed). A publisher says here that it wants to write,
    and such a writer calls :meth:`let_others_go` before each transaction. One process only;
    nothing for PostgreSQL, whose locks are per row."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._wanted = 0

    @contextlib.contextmanager
    def wanted(self) -> Iterator[None]:
        with self._cond:
            self._wanted += 1
        try:
            yield
        finally:
            with self._cond:
                self._wanted -= 1
                self._cond.notify_all()

    def let_others_go(self, timeout: float = 0.5) -> None:
        with self._cond:
            if self._wanted:
                self._cond.wait_for(lambda: not self._wanted, timeout)


WRITE_TURN = WriteTurn()


def publish(
    stream: str, kind: str, data: dict[str, Any] | None = None, *, coalesce: str = ""
) -> int:
    """Store one event and wake the readers; returns its id (the SSE id).

    The insert is its own short transaction: on PostgreSQL it takes an advisory lock first,
    so ids are handed out in commit order and a reader reading ``id > N`` never skips a row
    that commits later with a smaller id. Call it outside a transaction (or through
    :func:`publish_on_commit`) so the lock is held only for the insert."""
    from keryx.core.models import Event

    turn = WRITE_TURN.wanted() if connection.vendor == "sqlite" else contextlib.nullcontext()
    with turn, transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_KEY])
        event = Event.objects.create(
            stream=stream, kind=kind, data=data or {}, coalesce_key=coalesce
        )
    if connection.in_atomic_block:
        transaction.on_commit(lambda: signal.notify(event.id))
    else:
        signal.notify(event.id)
    return event.id


def publish_on_commit(
    stream: str, kind: str, data: dict[str, Any] | None = None, *, coalesce: str = ""
) -> None:
    """Publish once the surrounding transaction commits (nothing if it rolls back): the way
    domain functions announce a change."""
    transaction.on_commit(lambda: publish(stream, kind, data, coalesce=coalesce))


def current_event_id() -> int:
    """The newest event id: a page renders its state and this id; its EventSource asks for
    what came after (``?after=``), so nothing between the render and the connection is lost."""
    from keryx.core.models import Event

    newest = Event.objects.order_by("-id").values_list("id", flat=True).first()
    return int(newest or 0)


class Coalescer:
    """At most one event per key per ``interval`` seconds in this process.

    ``mark(key, ...)`` after each change (on commit); a thread publishes ``build()`` — which
    reads the current state from the database — ``interval`` seconds after the first mark of
    a quiet key. A mark that arrives while an event is being built schedules another, so the
    last change is always sent."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._due: dict[str, tuple[float, str, str, Callable[[], dict[str, Any] | None]]] = {}
        self._thread: threading.Thread | None = None

    def mark(
        self,
        key: str,
        *,
        stream: str,
        kind: str,
        build: Callable[[], dict[str, Any] | None],
        interval: float | None = None,
    ) -> None:
        if interval is None:
            interval = settings.KERYX_EVENTS_COALESCE
        with self._lock:
            if key not in self._due:
                self._due[key] = (time.monotonic() + interval, stream, kind, build)
                self._lock.notify()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="keryx-coalescer", daemon=True
                )
                self._thread.start()

    def flush(self) -> None:
        """Publish everything pending now (tests, shutdown)."""
        with self._lock:
            due = list(self._due.items())
            self._due.clear()
        for key, (_at, stream, kind, build) in due:
            self._send(key, stream, kind, build)

    def _run(self) -> None:
        from django.db import close_old_connections

        while True:
            with self._lock:
                while not self._due:
                    self._lock.wait(timeout=60)
                    if not self._due:
                        return  # idle a minute: the thread ends; the next mark starts another
                now = time.monotonic()
                ready = [k for k, v in self._due.items() if v[0] <= now]
                if not ready:
                    self._lock.wait(timeout=min(v[0] for v in self._due.values()) - now)
                    continue
                jobs = [(k, self._due.pop(k)) for k in ready]
            close_old_connections()
            for key, (_at, stream, kind, build) in jobs:
                self._send(key, stream, kind, build)

    @staticmethod
    def _send(key: str, stream: str, kind: str, build: Callable[[], dict[str, Any] | None]) -> None:
        try:
            data = build()
            if data is not None:
                publish(stream, kind, data, coalesce=key)
        except Exception:
            logger.exception("realtime: could not publish %s", key)


COALESCER = Coalescer()


def publish_coalesced(
    key: str,
    *,
    stream: str,
    kind: str,
    build: Callable[[], dict[str, Any] | None],
    interval: float | None = None,
) -> None:
    """After commit, schedule one ``kind`` event on ``stream`` with ``build()``'s data, sent
    at most once per ``interval`` (``KERYX_EVENTS_COALESCE``, 0.25 s) per key and process."""
    transaction.on_commit(
        lambda: COALESCER.mark(key, stream=stream, kind=kind, build=build, interval=interval)
    )
