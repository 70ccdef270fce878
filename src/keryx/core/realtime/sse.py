"""Server-Sent Events over raw ASGI: what a connected browser receives.

:func:`stream_events` answers one request with ``text/event-stream`` and then:

* resumes: events of its streams above ``Last-Event-ID`` (sent by the browser's EventSource
  when it reconnects) or ``?after=N`` (the id the page was rendered at) are read from the
  table first, then live ones from the process's hub, each id sent once, in order;
* coalesces: frames are sent at most every ``KERYX_SSE_INTERVAL`` seconds, and of events
  with the same coalesce key only the newest goes out (a poll's counts), so a poll with
  thousands of votes a second gives each screen a few updates a second;
* sends a comment line every ``KERYX_SSE_HEARTBEAT`` seconds of silence (proxies keep the
  connection, the browser notices a dead one);
* stops when the client disconnects or the server shuts down.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from django.conf import settings

from keryx.core.realtime.hub import Frame, get_hub, read_events

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class _Open:
    """One open stream: its stop flag and the future it waits on (``None`` while busy)."""

    __slots__ = ("future", "stopped")

    def __init__(self) -> None:
        self.stopped = False
        self.future: asyncio.Future[None] | None = None

    def stop(self) -> None:
        self.stopped = True
        self.wake()

    def wake(self) -> None:
        if self.future is not None and not self.future.done():
            self.future.set_result(None)


# Every open stream: the server's shutdown stops them all, so SSE connections end and the
# process can exit (browsers reconnect to another process and resume by id).
_OPEN: set[_Open] = set()


def close_all() -> None:
    for stream in list(_OPEN):
        stream.stop()


HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache, no-store"),
    (b"x-accel-buffering", b"no"),
    (b"x-content-type-options", b"nosniff"),
]


def resume_point(scope: Scope) -> int | None:
    """``Last-Event-ID`` if the browser sent one, else ``?after=``, else ``None`` (live only:
    nothing from before the connection). ``0`` replays everything kept."""
    for name, value in scope.get("headers", ()):
        if name == b"last-event-id":
            with contextlib.suppress(ValueError):
                return max(0, int(value.decode("ascii", "replace").strip()))
    query = scope.get("query_string", b"").decode("ascii", "replace")
    for part in query.split("&"):
        key, _, value = part.partition("=")
        if key == "after":
            with contextlib.suppress(ValueError):
                return max(0, int(value))
    return None


def coalesce(frames: Sequence[Frame]) -> list[Frame]:
    """Keep every frame without a key, and the last of each key; order by id."""
    last: dict[str, int] = {}
    for frame in frames:
        if frame.coalesce:
            last[frame.coalesce] = frame.id
    return [f for f in frames if not f.coalesce or last[f.coalesce] == f.id]


async def stream_events(
    scope: Scope,
    receive: Receive,
    send: Send,
    *,
    streams: Sequence[str],
    heartbeat: float | None = None,
    interval: float | None = None,
) -> None:
    heartbeat = float(settings.KERYX_SSE_HEARTBEAT if heartbeat is None else heartbeat)
    interval = float(settings.KERYX_SSE_INTERVAL if interval is None else interval)
    hub = await get_hub()
    feed = hub.subscribe(frozenset(streams))
    me = _Open()
    _OPEN.add(me)

    async def watch() -> None:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                me.stop()
                return

    watcher = asyncio.create_task(watch())
    beat: asyncio.TimerHandle | None = None
    try:
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        await send({"type": "http.response.body", "body": b"retry: 2000\n\n", "more_body": True})
        resume = resume_point(scope)
        if resume is not None:
            last_sent = resume
            while True:
                replay = await asyncio.to_thread(
                    read_events, after=last_sent, streams=list(streams)
                )
                if replay:
                    await _send_frames(send, coalesce(replay))
                    last_sent = replay[-1].id
                if len(replay) < 1000:
                    break
        else:
            last_sent = hub.cursor
        # Per hand-out a stream only takes the feed's new frames and sends them: no task, no
        # timer (a busy room is 5,000 streams woken a few times a second). The hub hands out
        # new events at most once per interval; the heartbeat is one timer per silent period.
        loop = asyncio.get_running_loop()
        last_send = loop.time()
        beat = loop.call_later(heartbeat, me.wake)
        while not me.stopped:
            frames = feed.after(last_sent)
            if frames is None:
                # Further behind than the feed keeps (or resumed from before it began): the
                # table has every frame up to the feed's floor.
                floor = feed.floor
                frames = await asyncio.to_thread(
                    read_events, after=last_sent, streams=list(streams)
                )
                if len(frames) < 1000 and (not frames or frames[-1].id < floor):
                    last_sent = floor  # nothing of ours up to the floor but these
                    if frames:
                        await _send_frames(send, coalesce(frames))
                        last_send = loop.time()
                    continue
            if not frames:
                now = loop.time()
                if now >= beat.when():  # the heartbeat timer fired
                    if now - last_send >= heartbeat * 0.99:
                        await send(
                            {
                                "type": "http.response.body",
                                "body": b": keep-alive\n\n",
                                "more_body": True,
                            }
                        )
                        last_send = now
                    beat = loop.call_later(max(0.01, heartbeat - (now - last_send)), me.wake)
                    continue
                me.future = feed.wait()
                try:
                    await me.future
                finally:
                    feed.forget(me.future)
                    me.future = None
                continue
            now = loop.time()
            if now - last_send < interval:
                # The coalescing window: what arrives meanwhile goes out together,
                # superseded counts dropped.
                await asyncio.sleep(interval - (now - last_send))
                frames += feed.after(frames[-1].id) or []
            await _send_frames(send, coalesce(frames))
            last_sent = frames[-1].id
            last_send = loop.time()
    except OSError:
        pass  # the client went away mid-send
    finally:
        if beat is not None:
            beat.cancel()
        hub.unsubscribe(feed)
        _OPEN.discard(me)
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await watcher
        with contextlib.suppress(Exception):
            await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _send_frames(send: Send, frames: Sequence[Frame]) -> None:
    await send(
        {
            "type": "http.response.body",
            "body": b"".join(f.payload for f in frames),
            "more_body": True,
        }
    )
