"""The reader: one hub per web process (per event loop) reads new events and hands them out.

The hub keeps the newest id it has read. It reads ``Event`` rows above it when woken (the
in-process signal, or a Redis pub/sub message in the scaled shape) and at least every
``KERYX_EVENTS_POLL`` seconds, then gives each event to the subscriptions of its stream. One
query per wake-up serves every connected browser of the process; each event's SSE frame is
built once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import weakref
from dataclasses import dataclass, field

from django.conf import settings

from keryx.core.realtime import signal
from keryx.core.redis import async_redis_client, redis_configured

logger = logging.getLogger(__name__)

BATCH = 1000


@dataclass(frozen=True, slots=True)
class Frame:
    """One event as the SSE stream sends it."""

    id: int
    stream: str
    kind: str
    coalesce: str
    payload: bytes  # ``id: …\nevent: …\ndata: …\n\n``


def frame_of(event_id: int, stream: str, kind: str, data: object, coalesce: str) -> Frame:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    payload = f"id: {event_id}\nevent: {kind}\ndata: {body}\n\n".encode()
    return Frame(event_id, stream, kind, coalesce, payload)


def read_events(*, after: int, streams: list[str] | None = None, limit: int = BATCH) -> list[Frame]:
    """Events with an id above ``after`` (of ``streams`` if given), oldest first."""
    from django.db import close_old_connections

    from keryx.core.models import Event

    close_old_connections()
    rows = Event.objects.filter(id__gt=after).order_by("id")
    if streams is not None:
        rows = rows.filter(stream__in=streams)
    return [
        frame_of(e.id, e.stream, e.kind, e.data, e.coalesce_key)
        for e in rows.only("id", "stream", "kind", "data", "coalesce_key")[:limit]
    ]


def newest_id() -> int:
    from django.db import close_old_connections

    from keryx.core.realtime.publish import current_event_id

    close_old_connections()
    return current_event_id()


@dataclass(eq=False)
class Subscription:
    streams: frozenset[str]
    frames: list[Frame] = field(default_factory=list)
    ready: asyncio.Event = field(default_factory=asyncio.Event)

    def push(self, frame: Frame) -> None:
        self.frames.append(frame)
        self.ready.set()

    def take(self) -> list[Frame]:
        frames, self.frames = self.frames, []
        self.ready.clear()
        return frames


class Hub:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.cursor = 0
        self.by_stream: dict[str, set[Subscription]] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._redis_task: asyncio.Task[None] | None = None
        self._started = asyncio.Event()
        self.reads = 0

    # --- life cycle -----------------------------------------------------------------------

    async def start(self) -> None:
        if self._task is not None:
            await self._started.wait()
            return
        self._task = asyncio.create_task(self._run(), name="keryx-events-hub")
        signal.listen(self._wake_threadsafe)
        if redis_configured():
            self._redis_task = asyncio.create_task(self._listen_redis(), name="keryx-events-redis")
        await self._started.wait()

    async def stop(self) -> None:
        signal.unlisten(self._wake_threadsafe)
        for task in (self._task, self._redis_task):
            if task is not None:
                task.cancel()
                # Bounded: a connection that does not close must not keep the server (or a
                # test) from stopping.
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await asyncio.wait_for(task, timeout=3)
        self._task = self._redis_task = None

    def _wake_threadsafe(self, _event_id: int) -> None:
        if not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._wake.set)

    # --- subscriptions ----------------------------------------------------------------------

    def subscribe(self, streams: frozenset[str]) -> Subscription:
        sub = Subscription(streams)
        for stream in streams:
            self.by_stream.setdefault(stream, set()).add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        for stream in sub.streams:
            subs = self.by_stream.get(stream)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self.by_stream[stream]

    def wake(self) -> None:
        self._wake.set()

    # --- reading ----------------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            try:
                self.cursor = await asyncio.to_thread(newest_id)
                break
            except Exception:
                logger.warning("realtime: cannot read the events table yet", exc_info=True)
                await asyncio.sleep(1)
        self._started.set()
        poll = float(settings.KERYX_EVENTS_POLL)
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=poll)
            self._wake.clear()
            try:
                if await self.read_once():
                    # Hand out at most one batch per interval: the wake-ups meanwhile are
                    # read together, and each stream is woken once for all of them.
                    await asyncio.sleep(float(settings.KERYX_SSE_INTERVAL))
            except Exception:
                logger.warning("realtime: reading events failed", exc_info=True)
                await asyncio.sleep(poll)

    async def read_once(self) -> int:
        """Read and hand out every event above the cursor; returns how many."""
        total = 0
        while True:
            frames = await asyncio.to_thread(read_events, after=self.cursor)
            self.reads += 1
            for frame in frames:
                for sub in self.by_stream.get(frame.stream, ()):
                    sub.push(frame)
            if frames:
                self.cursor = frames[-1].id
                total += len(frames)
            if len(frames) < BATCH:
                return total

    async def _listen_redis(self) -> None:
        while True:
            client = async_redis_client()
            try:
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                await pubsub.subscribe(signal.CHANNEL)
                async for _message in pubsub.listen():
                    self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("realtime: Redis subscription lost; retrying", exc_info=True)
                self._wake.set()  # read whatever was published meanwhile
                await asyncio.sleep(1)
            finally:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(client.aclose(), timeout=1)


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


async def get_hub() -> Hub:
    """The running loop's hub, started on first use."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Hub(loop)
    await hub.start()
    return hub


async def stop_hub() -> None:
    hub = _hubs.pop(asyncio.get_running_loop(), None)
    if hub is not None:
        await hub.stop()
