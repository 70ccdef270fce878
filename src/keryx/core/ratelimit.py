"""A small fixed-window rate limiter on the cache, for public endpoints.

``rate_limit_hit("register:<ip>", limit=10, window=600)`` counts one request in the current
window of ``window`` seconds and raises :class:`keryx.core.errors.RateLimited` (with the
seconds until the window ends) once ``limit`` is passed. The count lives in Django's cache:
in memory in the embedded shape (one web process), in Redis when scaled out, so every web
process shares it. Fixed windows are coarse (a burst can straddle two windows) and cheap: one
``add`` and one ``incr`` per request.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.http import HttpRequest

from keryx.core.errors import RateLimited


def rate_limit_hit(key: str, *, limit: int, window: int) -> int:
    """Count a request under ``key``; return how many were counted in this window."""
    now = time.time()
    bucket = int(now // window)
    cache_key = "rl:" + hashlib.sha256(f"{key}:{window}:{bucket}".encode()).hexdigest()[:32]
    if cache.add(cache_key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=window + 1)
            count = 1
    if count > limit:
        retry_after = max(1, int((bucket + 1) * window - now) + 1)
        raise RateLimited(retry_after)
    return count


def client_ip(request: HttpRequest) -> str:
    """The client's address as the web server saw it (the proxy sets REMOTE_ADDR)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")
