"""The reader: one hub per web process (per event loop) reads new events and hands them out.

The hub keeps the newest id it has read. It reads ``Event`` rows above it when woken (the
in-process signal, or a Redis pub/sub message in the scaled shape) and at least every
``KERYX_EVENTS_POLL`` seconds, then adds each event once to the :class:`Feed` of every set of
streams that includes its stream, and wakes the connections waiting there. One query per
wake-up serves every connected browser of the process; each event's SSE frame is built once
and kept once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import weakref
from collections import deque
from dataclasses import dataclass

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


KEEP = 1000  # frames a feed keeps for its connections; one further behind reads the table


class Feed:
    """What every connection to the same streams shares: the frames handed out lately, in id
    order, and the futures of the connections waiting for more.

    A hand-out appends each frame once per feed (not once per connection) and resolves each
    waiting connection's bare future; a connection takes what is above its own last id.
    Frames at or below :attr:`floor` may be gone from :attr:`frames` (dropped past ``KEEP``,
    or from before the feed existed): a connection that far behind reads them from the
    events table, where the hub found them."""

    __slots__ = ("floor", "frames", "streams", "subscribers", "waiting")

    def __init__(self, streams: frozenset[str], floor: int) -> None:
        self.streams = streams
        self.frames: deque[Frame] = deque()
        self.floor = floor
        self.waiting: dict[asyncio.Future[None], None] = {}
        self.subscribers = 0

    def add(self, frame: Frame) -> None:
        self.frames.append(frame)
        if len(self.frames) > KEEP:
            self.floor = self.frames.popleft().id

    def after(self, last: int) -> list[Frame] | None:
        """The frames above ``last``; ``None`` if some may be missing here (read the table)."""
        if last < self.floor:
            return None
        found: list[Frame] = []
        for frame in reversed(self.frames):
            if frame.id <= last:
                break
            found.append(frame)
        found.reverse()
        return found

    def wait(self) -> asyncio.Future[None]:
        """A future resolved at the next hand-out, or by whoever resolves it first (a
        heartbeat timer, a disconnect: then :meth:`forget` it)."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting[future] = None
        return future

    def forget(self, future: asyncio.Future[None]) -> None:
        self.waiting.pop(future, None)

    def wake(self) -> None:
        waiting, self.waiting = self.waiting, {}
        for future in waiting:
            if not future.done():
                future.set_result(None)


class Hub:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.cursor = 0
        self.feeds: dict[frozenset[str], Feed] = {}
        self.by_stream: dict[str, list[Feed]] = {}
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

    def subscribe(self, streams: frozenset[str]) -> Feed:
        """The feed of ``streams`` for one more connection (:meth:`unsubscribe` it after)."""
        feed = self.feeds.get(streams)
        if feed is None:
            feed = self.feeds[streams] = Feed(streams, self.cursor)
            for stream in streams:
                self.by_stream.setdefault(stream, []).append(feed)
        feed.subscribers += 1
        return feed

    def unsubscribe(self, feed: Feed) -> None:
        feed.subscribers -= 1
        if feed.subscribers > 0 or self.feeds.get(feed.streams) is not feed:
            return
        del self.feeds[feed.streams]
        for stream in feed.streams:
            feeds = self.by_stream.get(stream, [])
            if feed in feeds:
                feeds.remove(feed)
            if not feeds:
                self.by_stream.pop(stream, None)

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
            touched: dict[Feed, None] = {}
            for frame in frames:
                for feed in self.by_stream.get(frame.stream, ()):
                    feed.add(frame)
                    touched[feed] = None
            if frames:
                self.cursor = frames[-1].id
                total += len(frames)
            for feed in touched:
                feed.wake()
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
