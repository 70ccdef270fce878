"""The public side of tracked links: ``/r/<code>`` through Django.

The ASGI router answers known codes before Django sees them; this view answers the rest — a
code not in the process's memory yet (then remembered), an unknown or forged code (a friendly
page, nothing counted), and every request when Keryx runs without the router (tests, WSGI).
Both answer with the same status, ``Location`` and cookies (tests/links/test_redirect.py).
"""

from __future__ import annotations

import time

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from keryx.core.errors import RateLimited
from keryx.core.ratelimit import rate_limit_hit
from keryx.links.redirect.asgi import wants_no_tracking
from keryx.links.redirect.privacy import anonymise_ip, client_address
from keryx.links.redirect.recorder import RECORDER
from keryx.links.redirect.targets import (
    COOKIE_FIRST,
    COOKIE_LAST,
    TARGETS,
    cookie_attributes,
    looks_like_code,
)

NOT_FOUND_LIMIT = 60  # unknown codes per address and window, then 429
NOT_FOUND_WINDOW = 600


def _raw(request: HttpRequest, key: str) -> bytes:
    return str(request.META.get(key, "")).encode("latin-1", "replace")


def not_found(request: HttpRequest) -> HttpResponse:
    """The friendly page for an unknown code; someone trying codes one after another is
    slowed down (per anonymised address, shared by every web process through the cache)."""
    from django.conf import settings

    address = client_address(
        str(request.META.get("REMOTE_ADDR", "")),
        str(request.META.get("HTTP_X_FORWARDED_FOR", "")),
        settings.KERYX_PROXY_COUNT,
    )
    retry_after = 0
    try:
        rate_limit_hit(
            f"links:unknown-code:{anonymise_ip(address) or 'unknown'}",
            limit=NOT_FOUND_LIMIT,
            window=NOT_FOUND_WINDOW,
        )
    except RateLimited as exc:
        retry_after = exc.retry_after
    response = render(
        request,
        "links/not_found.html",
        {"limited": bool(retry_after)},
        status=429 if retry_after else 404,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def redirect(request: HttpRequest, code: str) -> HttpResponse:
    target = TARGETS.load(code) if looks_like_code(code) else None
    if target is None:
        return not_found(request)
    untracked = wants_no_tracking(
        dnt=_raw(request, "HTTP_DNT"),
        gpc=_raw(request, "HTTP_SEC_GPC"),
        query=_raw(request, "QUERY_STRING"),
    )
    RECORDER.record(
        (
            target.link_id,
            time.time(),
            request.method == "HEAD",
            untracked,
            str(request.META.get("REMOTE_ADDR", "")),
            _raw(request, "HTTP_X_FORWARDED_FOR"),
            _raw(request, "HTTP_USER_AGENT"),
            _raw(request, "HTTP_REFERER"),
        )
    )
    response = HttpResponse(status=target.status)
    response["Location"] = target.untracked_location if untracked else target.location
    response["Cache-Control"] = "private, no-store"
    if target.sets_cookies and not untracked:
        attributes = cookie_attributes()
        if not looks_like_code(request.COOKIES.get(COOKIE_FIRST, "")):
            response.set_cookie(COOKIE_FIRST, target.code, **attributes)
        response.set_cookie(COOKIE_LAST, target.code, **attributes)
    return response
