"""The wake-up signal: "there are new events, read the table". Carries only the newest id.

In-process: every :class:`~keryx.core.realtime.hub.Hub` of this process (one per event loop)
is woken through ``loop.call_soon_threadsafe``. With ``REDIS_URL`` the id is also published
on one Redis channel that every web process's hub subscribes to.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from keryx.core.redis import redis_client, redis_configured

logger = logging.getLogger(__name__)

CHANNEL = "keryx:events"

_lock = threading.Lock()
_listeners: list[Callable[[int], None]] = []


def listen(callback: Callable[[int], None]) -> None:
    """Call ``callback(event_id)`` (from any thread) whenever this process publishes."""
    with _lock:
        _listeners.append(callback)


def unlisten(callback: Callable[[int], None]) -> None:
    with _lock:
        if callback in _listeners:
            _listeners.remove(callback)


def notify(event_id: int) -> None:
    with _lock:
        listeners = list(_listeners)
    for callback in listeners:
        try:
            callback(event_id)
        except Exception:
            logger.warning("realtime: a local listener failed", exc_info=True)
    if redis_configured():
        try:
            redis_client().publish(CHANNEL, str(event_id))
        except Exception:
            # The readers' poll finds the event a little later.
            logger.warning("realtime: Redis unreachable; readers will poll", exc_info=True)
