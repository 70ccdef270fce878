"""The one Redis connection helper every app uses (never ``redis.Redis.from_url`` elsewhere).

``redis_client()`` gives the process's shared synchronous client (one connection pool per
process, recreated after a fork); ``async_redis_client()`` gives a client for the running
event loop (the SSE readers' wake-up subscriber). Both read ``settings.REDIS_URL``; with no
URL (the embedded shape) ``redis_configured()`` is false and callers take their in-process
path instead.
"""

from __future__ import annotations

import contextlib
import os
import threading
from typing import Any

from django.conf import settings

_lock = threading.Lock()
_clients: dict[tuple[str, int, float], Any] = {}


def redis_configured() -> bool:
    return bool(getattr(settings, "REDIS_URL", ""))


def redis_client(*, url: str | None = None, socket_timeout: float = 5.0) -> Any:
    """The shared client for ``url`` (default ``REDIS_URL``); thread-safe, one pool per
    process. Raises ``RuntimeError`` when no URL is configured."""
    url = url or settings.REDIS_URL
    if not url:
        raise RuntimeError("REDIS_URL is not set")
    key = (url, os.getpid(), socket_timeout)
    client = _clients.get(key)
    if client is None:
        import redis

        with _lock:
            client = _clients.get(key)
            if client is None:
                client = redis.Redis.from_url(
                    url, socket_timeout=socket_timeout, health_check_interval=30
                )
                _clients[key] = client
    return client


def async_redis_client(*, url: str | None = None) -> Any:
    """A new asyncio client (its own pool) for the running loop; the caller closes it
    (``await client.aclose()``). Pub/sub subscribers hold a connection for their lifetime,
    so they get one of their own rather than sharing the loop-less synchronous pool."""
    url = url or settings.REDIS_URL
    if not url:
        raise RuntimeError("REDIS_URL is not set")
    import redis.asyncio

    return redis.asyncio.Redis.from_url(url, health_check_interval=30)


def redis_reset() -> None:
    """Close every shared client (tests that switch REDIS_URL; never needed in production)."""
    with _lock:
        for client in _clients.values():
            with contextlib.suppress(Exception):  # closing a broken connection
                client.close()
        _clients.clear()
