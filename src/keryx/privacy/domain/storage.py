"""Making erased data really gone from storage Keryx does not reach through the ORM.

* The task queue: a pending or scheduled task message whose arguments name the person (an
  invitation naming the inviter, say) is removed, on SQLite and on Redis alike.
* SQLite files: a deleted or overwritten row stays readable in the file's free pages and in the
  write-ahead log until they are reused. After an erasure the database and the queue file are
  checkpointed and vacuumed (decision 0764), so a copy of ``KERYX_HOME`` holds no trace.

Backups are outside Keryx: they rotate, and the erasure is repeated from the request log when an
older backup is ever restored (see docs/privacy.md).
"""

from __future__ import annotations

import heapq
import logging
import sqlite3
from collections.abc import Iterable
from typing import Any

from django.db import DatabaseError, connections

log = logging.getLogger(__name__)


def _names_anyone(message: Any, needles: list[str]) -> bool:
    text = repr((getattr(message, "args", ()), getattr(message, "kwargs", {}))).casefold()
    return any(n in text for n in needles)


def queue_scrub(needles: Iterable[str]) -> int:
    """Remove every queued or scheduled task message whose arguments contain a needle."""
    from huey.contrib.djhuey import HUEY

    wanted = [n.strip().casefold() for n in needles if len(n.strip()) >= 4]
    if not wanted:
        return 0
    storage = HUEY.storage
    removed = 0
    for source in ("enqueued_items", "scheduled_items"):
        items = getattr(storage, source, None)
        if items is None:
            continue
        for data in list(items()):
            try:
                message = HUEY.serializer.deserialize(data)
            except Exception:  # a message we cannot read is left alone
                log.warning("privacy: a task message could not be read; left in the queue")
                continue
            if _names_anyone(message, wanted):
                removed += _remove(storage, source, data)
    return removed


def _remove(storage: Any, source: str, data: bytes) -> int:
    kind = type(storage).__name__
    if kind == "SqliteStorage":
        table = "task" if source == "enqueued_items" else "schedule"
        storage.sql(
            f"delete from {table} where queue = ? and data = ?",  # noqa: S608 - fixed names
            (storage.name, data),
            commit=True,
        )
        return 1
    if kind.startswith("Redis"):
        if source == "enqueued_items":
            return int(storage.conn.lrem(storage.queue_key, 0, data))
        return int(storage.conn.zrem(storage.schedule_key, data))
    if kind == "MemoryStorage":  # tests and immediate mode: (priority, n, data) / (eta, data)
        bucket = storage._queue if source == "enqueued_items" else storage._schedule
        for item in list(bucket):
            if item[-1] == data:
                bucket.remove(item)
                heapq.heapify(bucket)
                return 1
    log.warning("privacy: cannot remove a task message from %s", kind)
    return 0


def sqlite_compact() -> list[str]:
    """Checkpoint and vacuum every SQLite file Keryx writes; returns the files compacted."""
    from huey.contrib.djhuey import HUEY

    done: list[str] = []
    for alias in connections:
        connection = connections[alias]
        if connection.vendor != "sqlite" or connection.in_atomic_block:
            continue
        name = str(connection.settings_dict.get("NAME") or "")
        if not name or name == ":memory:" or "mode=memory" in name:
            continue
        try:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                cursor.execute("VACUUM")
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except DatabaseError as exc:  # busy: another process holds the database
            log.warning("privacy: could not compact %s now (%s); the next erasure will", name, exc)
            continue
        done.append(name)
    filename = getattr(HUEY.storage, "filename", "")
    if type(HUEY.storage).__name__ == "SqliteStorage" and filename:
        db = sqlite3.connect(filename, timeout=30)
        try:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.execute("VACUUM")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            done.append(str(filename))
        except sqlite3.Error as exc:
            log.warning("privacy: could not compact the queue file now (%s)", exc)
        finally:
            db.close()
    return done
