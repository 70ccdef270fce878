"""The composable ASGI front: apps mount fast paths and lifespan hooks; Django answers the rest.

An app registers a :class:`Mount` in its ``AppConfig.ready()``::

    register_mount(Mount("links.redirect", wrap=RedirectRouter, order=10,
                         startup=..., shutdown=...))

``wrap(inner)`` returns an ASGI app that answers its own paths and passes everything else to
``inner``. :func:`build_application` nests the mounts around Django, the lowest ``order``
outermost (the tracked-link redirect is first: its hot path pays for nothing in front of it),
and puts the lifespan handler innermost: it runs every mount's startup hooks in order and the
shutdown hooks in reverse. A hook is a plain function (run in a thread) or a coroutine
function (run on the server's loop).

Server-Sent Events routes are mounted the same way: :func:`register_sse_route` names a path
prefix and a resolver that turns the rest of the path into the streams to send (or ``None``:
404); one SSE router answers all of them with :func:`keryx.core.realtime.sse.stream_events`.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]
Hook = Callable[[], Any]
Resolver = Callable[[str, MutableMapping[str, Any]], Awaitable[Sequence[str] | None]]


@dataclass(frozen=True)
class Mount:
    name: str
    wrap: Callable[[ASGIApp], ASGIApp] | None = None
    order: int = 100
    startup: Hook | None = None
    shutdown: Hook | None = None


_MOUNTS: dict[str, Mount] = {}
_SSE_ROUTES: dict[str, Resolver] = {}


def register_mount(mount: Mount) -> Mount:
    _MOUNTS[mount.name] = mount
    return mount


def mounts() -> list[Mount]:
    return sorted(_MOUNTS.values(), key=lambda m: (m.order, m.name))


def register_sse_route(prefix: str, resolve: Resolver) -> None:
    """Serve ``GET <prefix><rest>`` as an event stream of ``await resolve(rest, scope)``."""
    _SSE_ROUTES[prefix] = resolve


async def _run_hook(hook: Hook) -> None:
    if inspect.iscoroutinefunction(hook):
        await hook()
    else:
        await asyncio.to_thread(hook)


class LifespanApp:
    """Innermost: the ASGI lifespan for every mount (Django does not speak it), and a bound on
    the Django requests handled at once (``KERYX_WEB_CONCURRENCY``): under ASGI each holds a
    thread and a database connection, and a burst (a room voting) must queue here rather
    than open a connection per request until the database refuses them."""

    def __init__(self, app: ASGIApp, hooks: Sequence[Mount]) -> None:
        self.app = app
        self.hooks = list(hooks)
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            if self._slots is None:
                from django.conf import settings

                self._slots = asyncio.Semaphore(max(1, int(settings.KERYX_WEB_CONCURRENCY)))
            async with self._slots:
                await self.app(scope, receive, send)
            return
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    for mount in self.hooks:
                        if mount.startup is not None:
                            await _run_hook(mount.startup)
                except Exception as exc:
                    logger.exception("startup failed")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                try:
                    for mount in reversed(self.hooks):
                        if mount.shutdown is not None:
                            try:
                                await _run_hook(mount.shutdown)
                            except Exception:
                                logger.exception("%s: shutdown failed", mount.name)
                finally:
                    await send({"type": "lifespan.shutdown.complete"})
                return


class SSERouter:
    """Answers the registered SSE prefixes; everything else goes to the inner app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.prefixes = tuple(_SSE_ROUTES)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefixes):
            path: str = scope["path"]
            for prefix, resolve in _SSE_ROUTES.items():
                if path.startswith(prefix) and scope["method"] == "GET":
                    streams = await resolve(path[len(prefix) :], scope)
                    if streams is None:
                        break
                    from keryx.core.realtime.sse import stream_events

                    await stream_events(scope, receive, send, streams=streams)
                    return
        await self.app(scope, receive, send)


def build_application(django_app: ASGIApp) -> ASGIApp:
    """Django with every registered mount around it (call after ``django.setup()``)."""
    ordered = mounts()
    app: ASGIApp = LifespanApp(django_app, ordered)
    for mount in reversed(ordered):
        if mount.wrap is not None:
            app = mount.wrap(app)
    return app


async def _realtime_shutdown() -> None:
    from keryx.core.realtime.hub import stop_hub
    from keryx.core.realtime.publish import COALESCER
    from keryx.core.realtime.sse import close_all

    close_all()
    await asyncio.to_thread(COALESCER.flush)
    await stop_hub()


def register_core_mounts() -> None:
    register_mount(Mount("core.realtime", wrap=SSERouter, order=50, shutdown=_realtime_shutdown))
