"""What ``/r/<code>`` answers, computed once per link and kept in memory.

A :class:`Target` holds the three possible header lists of a link's redirect, ready to send;
the hot path only picks one. :data:`TARGETS` is the process-wide code → target map; it is
filled on first use (or all at once when the server starts) and dropped whenever a link
changes anywhere (see ``LinkCacheState``).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from keryx.links.domain.utm import UTM_KEYS, is_own_site, tracked_url

logger = logging.getLogger(__name__)

COOKIE_FIRST = "kx_first"
COOKIE_LAST = "kx_last"
COOKIE_MAX_AGE = 30 * 24 * 3600
CODE_ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_CHARACTERS = frozenset(CODE_ALPHABET)
CODE_MAX_LENGTH = 16

Headers = list[tuple[bytes, bytes]]


def looks_like_code(code: str) -> bool:
    return 4 <= len(code) <= CODE_MAX_LENGTH and all(c in CODE_CHARACTERS for c in code)


@dataclass(frozen=True, slots=True)
class Target:
    link_id: int
    code: str
    status: int
    location: str  # with UTM parameters (and kx=<code> on Keryx's own site)
    untracked_location: str  # without kx, for Do-Not-Track visitors
    sets_cookies: bool  # only when the visitor lands on Keryx's own site
    headers_new: Headers  # no kx_first cookie yet: set both cookies
    headers_returning: Headers  # kx_first present: set kx_last only
    headers_untracked: Headers  # DNT / GPC / kx_notrack: no cookies, no code


def cookie_attributes() -> dict[str, Any]:
    """The attributes of the kx_first / kx_last cookies (Django's ``set_cookie`` names)."""
    return {
        "max_age": COOKIE_MAX_AGE,
        "path": "/",
        "samesite": "Lax",
        "httponly": True,
        "secure": settings.KERYX_BASE_URL.startswith("https://"),
    }


def _set_cookie(name: str, value: str) -> tuple[bytes, bytes]:
    attrs = cookie_attributes()
    text = f"{name}={value}; Max-Age={attrs['max_age']}; Path=/; SameSite=Lax; HttpOnly"
    if attrs["secure"]:
        text += "; Secure"
    return (b"set-cookie", text.encode("ascii"))


def _common_headers(location: str) -> Headers:
    headers: Headers = [
        (b"location", location.encode("ascii")),
        (b"content-length", b"0"),
        # Every click must reach Keryx to be counted: nothing may cache the redirect.
        (b"cache-control", b"private, no-store"),
        (b"x-content-type-options", b"nosniff"),
    ]
    if settings.SECURE_REFERRER_POLICY:
        headers.append((b"referrer-policy", str(settings.SECURE_REFERRER_POLICY).encode("ascii")))
    return headers


def build_target(
    *, link_id: int, code: str, destination: str, utm: dict[str, str], permanent: bool
) -> Target:
    location = tracked_url(destination, utm, code=code)
    untracked = tracked_url(destination, utm)
    own_site = is_own_site(destination)
    common = _common_headers(location)
    cookies_new = [_set_cookie(COOKIE_FIRST, code), _set_cookie(COOKIE_LAST, code)]
    return Target(
        link_id=link_id,
        code=code,
        status=301 if permanent else 302,
        location=location,
        untracked_location=untracked,
        sets_cookies=own_site,
        headers_new=common + cookies_new if own_site else common,
        headers_returning=common + cookies_new[1:] if own_site else common,
        headers_untracked=_common_headers(untracked),
    )


_FIELDS = ("id", "code", "destination", "permanent", *UTM_KEYS)


def _target_of(row: dict[str, Any]) -> Target:
    return build_target(
        link_id=row["id"],
        code=row["code"],
        destination=row["destination"],
        utm={key: row[key] for key in UTM_KEYS},
        permanent=row["permanent"],
    )


class TargetCache:
    """code → :class:`Target`, shared by the ASGI router and the Django view of a process.

    ``generation`` is the last ``LinkCacheState.generation`` this process saw. An entry read
    from the database is kept only if no change was seen while it was being read, so a slow
    reader never puts back a link that was just changed.
    """

    def __init__(self) -> None:
        self._targets: dict[str, Target] = {}
        self._lock = threading.Lock()
        self.generation: int | None = None

    def get(self, code: str) -> Target | None:
        return self._targets.get(code)

    def __len__(self) -> int:
        return len(self._targets)

    def put(self, target: Target, *, seen_generation: int | None) -> None:
        with self._lock:
            if seen_generation == self.generation:
                self._targets[target.code] = target

    def reset(self, generation: int | None) -> None:
        """Forget every target; called when a link changed (here or in another process)."""
        with self._lock:
            self.generation = generation
            self._targets = {}

    def refresh_generation(self) -> None:
        """Drop every target if a link changed since this process last looked."""
        from keryx.links.models import LinkCacheState

        current = LinkCacheState.objects.filter(pk=1).values_list("generation", flat=True).first()
        if current != self.generation:
            self.reset(current)

    def load(self, code: str) -> Target | None:
        """The target of ``code``, from memory or the database (then remembered)."""
        found = self._targets.get(code)
        if found is not None or not looks_like_code(code):
            return found
        from keryx.links.models import TrackedLink

        seen = self.generation
        row = TrackedLink.objects.filter(code=code).values(*_FIELDS).first()
        if row is None:
            return None
        target = _target_of(row)
        self.put(target, seen_generation=seen)
        return target

    def load_all(self) -> int:
        """Read every link at once (server start), so even the first click is answered from
        memory."""
        from keryx.links.models import LinkCacheState, TrackedLink

        state = LinkCacheState.objects.filter(pk=1).values_list("generation", flat=True).first()
        targets = {row["code"]: _target_of(row) for row in TrackedLink.objects.values(*_FIELDS)}
        with self._lock:
            self.generation = state
            self._targets = targets
        return len(targets)


TARGETS = TargetCache()
