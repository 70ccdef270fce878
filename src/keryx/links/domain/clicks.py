"""Storing clicks: prepared off the request path, written in batches.

A *raw* event is what the redirect saw (link, time, method, Do-Not-Track, IP, user agent,
referrer); it lives only in the web process's memory. :func:`clicks_prepare` turns raw events
into *prepared* clicks — kind decided, IP anonymised, visitor hashed with the day's salt, the
user agent dropped for people — and only prepared clicks are ever stored, in the database or
in the Redis stream of the scaled shape.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import pickle
import secrets
import time
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from keryx.links.enums import ClickKind
from keryx.links.models import Click, ClickBatch, TrackedLink
from keryx.links.redirect.agents import HUMAN, classify_request
from keryx.links.redirect.privacy import (
    anonymise_ip,
    client_address,
    referrer_host,
    visitor_hash,
)

logger = logging.getLogger(__name__)

# (link_id, unix time, is HEAD, untracked, peer address, X-Forwarded-For, user agent, referrer)
RawEvent = tuple[int, float, bool, bool, str, bytes, bytes, bytes]
Prepared = dict[str, Any]

STREAM_GROUP = "keryx-click-writers"
_DAY = 86_400


def _text(value: bytes, limit: int) -> str:
    return value[: limit * 4].decode("utf-8", "replace")[:limit]


def _link_zone(link_id: int) -> dt.tzinfo:
    try:
        name = (
            TrackedLink.objects.filter(pk=link_id)
            .values_list("seminar__time_zone", flat=True)
            .first()
        )
        return zoneinfo.ZoneInfo(name) if name else dt.UTC
    except Exception:  # storage unreachable (the spill path) or an unknown zone: the UTC day
        return dt.UTC


def _local_noon(when: float, link_id: int, zones: dict[int, dt.tzinfo]) -> float:
    zone = zones.get(link_id)
    if zone is None:
        zone = zones[link_id] = _link_zone(link_id)
    day = dt.datetime.fromtimestamp(when, zone).date()
    return dt.datetime.combine(day, dt.time(12), tzinfo=zone).timestamp()


def clicks_prepare(
    *, events: Iterable[RawEvent], salt_for: Callable[[dt.date], str]
) -> list[Prepared]:
    """Decide each event's kind and make it anonymous; nothing personal survives this step."""
    prepared: list[Prepared] = []
    proxies = settings.KERYX_PROXY_COUNT
    days: dict[int, tuple[dt.date, str]] = {}
    zones: dict[int, dt.tzinfo] = {}
    for link_id, when, head, untracked, peer, forwarded, raw_agent, raw_referrer in events:
        day_number = int(when // _DAY)
        if untracked:
            # Only counted: no time of day, no address, no agent. The day is the seminar's
            # (kept as noon there), so the click is counted on the day its visitor lived it.
            prepared.append(
                {
                    "l": link_id,
                    "t": _local_noon(when, link_id, zones),
                    "k": ClickKind.ANONYMOUS.value,
                }
            )
            continue
        found = days.get(day_number)
        if found is None:
            day = dt.datetime.fromtimestamp(day_number * _DAY, dt.UTC).date()
            found = days[day_number] = (day, salt_for(day))
        agent = _text(raw_agent, 1000)
        kind, agent_name = classify_request("HEAD" if head else "GET", agent)
        address = client_address(peer, forwarded.decode("latin-1"), proxies) if forwarded else peer
        prepared.append(
            {
                "l": link_id,
                "t": when,
                "k": kind,
                "a": agent_name[:40],
                "v": visitor_hash(found[1], address, agent),
                "i": anonymise_ip(address),
                "u": "" if kind == HUMAN else agent[:300],
                "r": referrer_host(_text(raw_referrer, 2000)) if raw_referrer else "",
            }
        )
    return prepared


def _aware_stamp(when: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(when, dt.UTC)


def _sqlite_stamp() -> Callable[[float], str]:
    """What Django's SQLite backend stores for an aware datetime — naive UTC as text,
    ``YYYY-MM-DD HH:MM:SS[.ffffff]`` — with the text of each whole second made once per batch
    (a batch holds up to a few seconds of clicks; formatting a datetime per row cost ~3 µs)."""
    seconds: dict[int, str] = {}

    def stamp(when: float) -> str:
        second, micro = divmod(round(when * 1_000_000), 1_000_000)
        text = seconds.get(second)
        if text is None:
            moment = dt.datetime.fromtimestamp(second, dt.UTC).replace(tzinfo=None)
            text = seconds[second] = str(moment)
        return f"{text}.{micro:06d}" if micro else text

    return stamp


_COLUMNS = ("link_id", "at", "kind", "agent", "visitor", "ip", "user_agent", "referrer")


def _insert(clicks: Sequence[Prepared]) -> None:
    """One ``executemany`` of plain tuples: the ORM's per-field machinery costs about ten times
    more per row, on the same thread that must not slow the redirects down."""
    ops = connection.ops
    table = ops.quote_name(Click._meta.db_table)
    columns = ", ".join(ops.quote_name(c) for c in _COLUMNS)
    placeholders = ", ".join(["%s"] * len(_COLUMNS))
    address = ops.adapt_ipaddressfield_value
    stamp = _sqlite_stamp() if connection.vendor == "sqlite" else _aware_stamp
    rows = [
        (
            c["l"],
            stamp(c["t"]),
            c["k"],
            c.get("a", ""),
            c.get("v", ""),
            address(c.get("i")),
            c.get("u", ""),
            c.get("r", ""),
        )
        for c in clicks
    ]
    with connection.cursor() as cursor:
        # Table and column names come from the model, values are parameters.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        cursor.executemany(sql, rows)


def _row(click: Prepared) -> Click:
    return Click(
        link_id=click["l"],
        at=dt.datetime.fromtimestamp(click["t"], dt.UTC),
        kind=click["k"],
        agent=click.get("a", ""),
        visitor=click.get("v", ""),
        ip=click.get("i"),
        user_agent=click.get("u", ""),
        referrer=click.get("r", ""),
    )


def clicks_store(*, clicks: Sequence[Prepared], batch_key: str = "") -> int:
    """Write prepared clicks in one transaction; returns how many were stored.

    Clicks of a link deleted meanwhile are dropped (the link's clicks went with it). A batch
    that may arrive twice (a Redis stream entry, a spill file) carries a ``batch_key``: the
    second time nothing is stored.
    """
    if not clicks:
        return 0
    link_ids = {c["l"] for c in clicks}
    existing = set(TrackedLink.objects.filter(pk__in=link_ids).values_list("pk", flat=True))
    kept = [c for c in clicks if c["l"] in existing] if existing != link_ids else list(clicks)
    with transaction.atomic():
        if batch_key:
            try:
                with transaction.atomic():
                    ClickBatch.objects.create(key=batch_key[:80])
            except IntegrityError:
                return 0
        _insert(kept)
    return len(kept)


def click_batches_prune(*, older_than: dt.timedelta = dt.timedelta(days=7)) -> int:
    """Forget the keys of batches stored long ago; a batch is redelivered within minutes."""
    from django.utils import timezone

    deleted, _ = ClickBatch.objects.filter(stored_at__lt=timezone.now() - older_than).delete()
    return deleted


# --- the scaled shape: a Redis stream between the web processes and the workers -------------


def stream_key() -> str:
    return str(getattr(settings, "KERYX_CLICKS_STREAM", "keryx:clicks"))


def clicks_push(*, clicks: Sequence[Prepared], key: str, redis: Any) -> None:
    """Append one batch of prepared clicks to the stream (one entry per batch); ``key`` makes
    storing it idempotent."""
    if clicks:
        redis.xadd(stream_key(), {"key": key, "clicks": json.dumps(clicks, separators=(",", ":"))})


def _ensure_group(redis: Any) -> None:
    from redis.exceptions import ResponseError

    try:
        redis.xgroup_create(stream_key(), STREAM_GROUP, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def _write_entries(redis: Any, entries: Sequence[tuple[bytes, dict[bytes, bytes]]]) -> int:
    written = 0
    for entry_id, fields in entries:
        clicks = json.loads(fields[b"clicks"])
        written += clicks_store(clicks=clicks, batch_key=fields[b"key"].decode())
        # Acknowledge only once the rows are committed; a crash before this line leaves the
        # entry pending, and the next drain replays it (its batch key makes that harmless).
        redis.xack(stream_key(), STREAM_GROUP, entry_id)
        redis.xdel(stream_key(), entry_id)
    return written


def clicks_drain(
    *, redis: Any, consumer: str = "", max_entries: int = 10_000, idle_ms: int = 60_000
) -> int:
    """Move clicks from the stream to the database; returns how many were written.

    First takes over entries another worker read but never acknowledged (it crashed) once
    they have been idle ``idle_ms``, then reads new entries until the stream is empty.
    """
    _ensure_group(redis)
    consumer = consumer or f"{os.uname().nodename}:{os.getpid()}"
    key = stream_key()
    written = 0
    start = "0-0"
    while True:
        start, claimed, *_rest = redis.xautoclaim(
            key, STREAM_GROUP, consumer, min_idle_time=idle_ms, start_id=start, count=50
        )
        written += _write_entries(redis, claimed)
        if start in (b"0-0", "0-0"):
            break
    # Our own pending entries (a previous drain of this consumer failed half-way).
    pending = redis.xreadgroup(STREAM_GROUP, consumer, {key: "0"}, count=50)
    for _stream, entries in pending or []:
        written += _write_entries(redis, [e for e in entries if e[1]])
    seen = 0
    while seen < max_entries:
        batch = redis.xreadgroup(STREAM_GROUP, consumer, {key: ">"}, count=50)
        if not batch:
            break
        for _stream, entries in batch:
            seen += len(entries)
            written += _write_entries(redis, entries)
    return written


# --- the spool: files of prepared clicks that `keryx worker` stores ------------------------


SPOOL_SUFFIX = "clicks"


def spool_dir() -> Path:
    return Path(settings.KERYX_HOME) / "clicks-spool"


class _PlainUnpickler(pickle.Unpickler):
    """Loads lists, dicts, strings and numbers only: any class or function in a file is refused,
    so even a forged spool file cannot run code."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"spool files hold plain data, not {module}.{name}")


def clicks_spool_load(data: bytes) -> list[Prepared]:
    clicks = _PlainUnpickler(io.BytesIO(data)).load()
    if not isinstance(clicks, list):
        raise pickle.UnpicklingError("a spool file holds a list of clicks")
    return clicks


def clicks_spool_write(*, clicks: Sequence[Prepared], folder: Path | None = None) -> Path | None:
    """Hand one batch of prepared (already anonymous) clicks to the worker: the batch pickled
    (protocol 5; ~0.3 µs a click where JSON cost ~2 µs, on the web process's core) into a new
    file, written under a temporary name and renamed when complete, so a reader never sees half
    a batch. The file's name is the batch key. Only plain data is in it, and the reader loads
    plain data only."""
    if not clicks:
        return None
    folder = folder or spool_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns()}-{secrets.token_hex(4)}"
    partial = folder / f"{name}.partial"
    partial.write_bytes(pickle.dumps(list(clicks), protocol=5))
    path = folder / f"{name}.{SPOOL_SUFFIX}"
    partial.replace(path)
    return path


def clicks_spool_drain(*, folder: Path | None = None) -> int:
    """Store every complete spool file, oldest first, and delete it; returns the clicks stored.

    Each file is stored once whatever happens: its name is the batch key, so a file stored by
    a drain that died before deleting it — or by two drains at once — is skipped the second
    time. A file that cannot be stored stays for the next drain."""
    folder = folder or spool_dir()
    if not folder.is_dir():
        return 0
    written = 0
    for path in sorted(folder.glob(f"*.{SPOOL_SUFFIX}")):
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue  # another drain stored it meanwhile
        try:
            clicks = clicks_spool_load(data)
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError):
            # Not ours (or damaged): set aside for a person to look at; the rest goes on.
            logger.exception("clicks: %s is not a spool file of clicks; renamed .rejected", path)
            path.replace(path.with_suffix(".rejected"))
            continue
        written += clicks_store(clicks=clicks, batch_key=f"spool:{path.name}")
        path.unlink(missing_ok=True)
    return written
