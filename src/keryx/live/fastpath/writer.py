"""Group commit: one thread per web process writes the pending votes in batches.

A request hands its :class:`~keryx.live.domain.ballots.Ballot` to :meth:`GroupCommit.submit`
and awaits the returned future. The writer thread takes everything pending (at most one
batch per ``KERYX_LIVE_GROUP_COMMIT_MS``, ``MAX_BATCH`` votes at a time), counts the rate
limits and looks up idempotency keys for the whole batch (one Redis round trip when scaled
out), stores it with :func:`~keryx.live.domain.ballots.ballots_commit` in one transaction
(two round trips on PostgreSQL), remembers the answers, and only then
resolves every future: a 2xx is never sent for a vote that is not committed. While one
batch commits, the next one gathers, so the batch grows with the load instead of the queue.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from keryx.core.realtime.publish import WRITE_TURN
from keryx.live.domain.ballots import Ballot, Outcome, ballots_commit
from keryx.live.fastpath.guards import VOTE_LIMIT, Guard

logger = logging.getLogger(__name__)

MAX_BATCH = 1000


@dataclass(slots=True)
class Pending:
    ballot: Ballot
    idempotency: str  # "" or "<participant key>:<Idempotency-Key>"
    future: asyncio.Future[Outcome]
    loop: asyncio.AbstractEventLoop


def _resolve(future: asyncio.Future[Outcome], outcome: Outcome) -> None:
    if not future.done():
        future.set_result(outcome)


def _as_json(outcome: Outcome) -> dict[str, Any]:
    return {
        "status": outcome.status,
        "code": outcome.code,
        "counted": outcome.counted,
        "poll_id": outcome.poll_id,
        "detail": outcome.detail,
    }


def _from_json(data: dict[str, Any]) -> Outcome:
    return Outcome(
        int(data["status"]),
        str(data["code"]),
        int(data.get("counted") or 0),
        data.get("poll_id"),
        dict(data.get("detail") or {}),
    )


class GroupCommit:
    def __init__(self) -> None:
        self._pending: deque[Pending] = deque()
        self._lock = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self.guard = Guard()
        self.batches = 0
        self.votes = 0
        self.busy = 0.0  # seconds spent storing batches
        self._last = 0.0  # when the last batch was taken
        self.largest = 0

    # --- the request's side (event loop) -----------------------------------------------------

    def submit(self, ballot: Ballot, *, idempotency: str = "") -> asyncio.Future[Outcome]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Outcome] = loop.create_future()
        with self._lock:
            if self._stopping:
                future.set_result(Outcome(503, "unavailable"))
                return future
            self._pending.append(Pending(ballot, idempotency, future, loop))
            self._lock.notify()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="keryx-live-votes", daemon=True
                )
                self._thread.start()
        return future

    def stop(self, timeout: float = 10.0) -> None:
        """Write what is pending, then stop (the server's shutdown)."""
        with self._lock:
            self._stopping = True
            self._lock.notify()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
        # Stopped, not closed for good: an application started again in the same process (a
        # lifespan restart, the next test) takes votes again with a new writer thread.
        with self._lock:
            self._stopping = False

    # --- the writer thread -------------------------------------------------------------------

    def _take(self) -> list[Pending]:
        """The next batch: everything pending, at most one batch per window. A vote after a
        quiet spell is stored at once; under load the window gathers the next batch while
        the event loop keeps the interpreter (one commit costs about the same for 1 vote as
        for 100)."""
        window = float(settings.KERYX_LIVE_GROUP_COMMIT_MS) / 1000
        with self._lock:
            while not self._pending:
                if self._stopping:
                    return []
                self._lock.wait(timeout=5)
                if not self._pending and not self._stopping:
                    return []  # idle: the thread ends; the next vote starts another
        wait = self._last + window - time.monotonic()
        if wait > 0 and not self._stopping:
            time.sleep(wait)
        self._last = time.monotonic()
        with self._lock:
            take = min(len(self._pending), MAX_BATCH)
            return [self._pending.popleft() for _ in range(take)]

    def _run(self) -> None:
        from django.db import connection

        try:
            while True:
                batch = self._take()
                if not batch:
                    return
                if connection.vendor == "sqlite":
                    WRITE_TURN.let_others_go()  # an event waiting to be published goes first
                began = time.perf_counter()
                try:
                    self._write(batch)
                except Exception:
                    logger.exception("live: a batch of %d votes could not be stored", len(batch))
                    for item in batch:
                        item.loop.call_soon_threadsafe(
                            _resolve, item.future, Outcome(503, "unavailable")
                        )
                    connection.close()
                self.busy += time.perf_counter() - began
                self.largest = max(self.largest, len(batch))
        finally:
            connection.close()

    def _write(self, batch: list[Pending]) -> None:
        outcomes: list[Outcome | None] = [None] * len(batch)
        # Idempotency: a key seen before (or earlier in this batch) gets the answer it got.
        first_of: dict[str, int] = {}
        repeats: list[tuple[int, int]] = []
        keyed: list[int] = []
        for i, item in enumerate(batch):
            key = item.idempotency
            if not key:
                continue
            if key in first_of:
                repeats.append((i, first_of[key]))
            else:
                first_of[key] = i
                keyed.append(i)
        repeated = {i for i, _first in repeats}
        asking = [i for i in range(len(batch)) if i not in repeated]
        # One round trip: recall the keys and count every vote that is not a repeat (a vote
        # answered from an earlier answer is taken off the count again in settle()).
        checked = self.guard.check(
            [batch[i].idempotency for i in keyed], [batch[i].ballot.participant_key for i in asking]
        )
        uncount: list[str] = []
        counter_of = dict(zip(asking, range(len(asking)), strict=True))
        for i, found in zip(keyed, checked.recalled, strict=True):
            if found is not None:
                outcomes[i] = _from_json(found)
                uncount.append(checked.counters[counter_of[i]])
        writable: list[int] = []
        for i in asking:
            if outcomes[i] is not None:
                continue
            seen, left = checked.counts[counter_of[i]]
            if seen > VOTE_LIMIT[0]:
                outcomes[i] = Outcome(429, "rate_limited", detail={"retry_after": left})
            else:
                writable.append(i)
        if writable:
            stored = _commit_retrying([batch[i].ballot for i in writable])
            for i, outcome in zip(writable, stored, strict=True):
                outcomes[i] = outcome
        for i, first in repeats:
            outcomes[i] = outcomes[first]
        self.guard.settle(
            {
                batch[i].idempotency: _as_json(o)
                for i in first_of.values()
                if (o := outcomes[i]) is not None and o.status < 500
            },
            uncount,
        )
        self.batches += 1
        self.votes += len(batch)
        for item, answer in zip(batch, outcomes, strict=True):
            item.loop.call_soon_threadsafe(
                _resolve, item.future, answer or Outcome(503, "unavailable")
            )


def _commit_retrying(ballots: list[Ballot], attempts: int = 4) -> list[Outcome]:
    """A batch that meets a locked database (SQLite: another writer past its busy timeout,
    or a shared-cache table lock in tests) is tried again a few times before it fails."""
    from django.db import OperationalError, connection

    for attempt in range(attempts):
        try:
            return ballots_commit(ballots)[0]
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            connection.close()
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


WRITER = GroupCommit()


def writer_stop() -> None:
    WRITER.stop()
    if WRITER.batches:
        logger.warning(
            "live: %d votes in %d batches (mean %.1f, largest %d), %.1f s storing them",
            WRITER.votes,
            WRITER.batches,
            WRITER.votes / WRITER.batches,
            WRITER.largest,
            WRITER.busy,
        )
