"""What the vote fast path checks before a vote reaches the group commit.

* **Forgery (the CSRF equivalent, decision 0804).** The vote is a cookie-authenticated POST,
  so a page on another site could try to make a phone send one. Two independent checks stop
  it: the browser's own word on where the request comes from — ``Sec-Fetch-Site`` must be
  ``same-origin`` when sent, and ``Origin``, when sent, must be this host (or a trusted
  origin) — and a **per-participant token** (an HMAC of the participant's cookie key with the
  server's secret) that only the room page carries and sends in ``X-Live-Token``. Another site
  can neither read the page nor add a custom header without a CORS preflight, which nothing
  here answers.
* **Rate limit**: 30 votes a minute per participant (as the Django path), counted per batch —
  in memory in the embedded shape (one web process), in Redis when scaled out, so every web
  process shares the count.
* **Idempotency**: a vote sent again with the same ``Idempotency-Key`` (a retry after a lost
  answer, a double click) gets the first answer back and changes nothing; kept two minutes.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from keryx.core.redis import redis_client, redis_configured

VOTE_LIMIT = (30, 60)  # per participant per minute, as keryx.live.domain.polls.VOTE_LIMIT
IDEMPOTENCY_SECONDS = 120
_SALT = "keryx.live.vote-token"


def participant_token(key: str) -> str:
    """The token the room page gives a participant's votes (``X-Live-Token``)."""
    return salted_hmac(_SALT, key).hexdigest()[:32]


def token_ok(key: str, token: str) -> bool:
    return bool(token) and constant_time_compare(participant_token(key), token)


def _host_of(origin: str) -> str:
    return origin.split("://", 1)[-1].rstrip("/").lower()


def same_origin(*, host: str, origin: str, fetch_site: str) -> bool:
    """``Sec-Fetch-Site`` and ``Origin`` (each only when the client sent it) say the request
    comes from this site's own page."""
    if fetch_site and fetch_site != "same-origin":
        return False
    if origin:
        if origin == "null":
            return False
        trusted = {_host_of(o) for o in settings.CSRF_TRUSTED_ORIGINS if o}
        if _host_of(origin) != host.lower() and _host_of(origin) not in trusted:
            return False
    return True


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


@dataclass(slots=True)
class Checked:
    """What :meth:`Guard.check` found for a batch."""

    recalled: list[Any]  # per idempotency key: the answer given before, or ``None``
    counts: list[tuple[int, int]]  # per vote: (votes in this window, seconds left)
    counters: list[str]  # per vote: the counter it was counted in (to take it back)


class Guard:
    """Rate limits and idempotency for one batch at a time (the writer thread's).

    A batch costs two calls: :meth:`check` before it is stored (recall the idempotency keys
    and count every vote) and :meth:`settle` after (remember the answers, and take back the
    count of a vote that was answered from an earlier answer, which changes nothing). With
    Redis each is one round trip."""

    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, int]] = {}  # participant → (window, count)
        self._answers: dict[str, tuple[float, Any]] = {}  # idempotency → (expires, answer)
        self._swept = time.monotonic()

    def check(self, keys: Sequence[str], participants: Sequence[str]) -> Checked:
        limit_window = VOTE_LIMIT[1]
        now = time.time()
        bucket = int(now // limit_window)
        left = max(1, int((bucket + 1) * limit_window - now) + 1)
        if redis_configured():
            import json

            counters = [f"kx:live:rl:{_digest(key)}:{bucket}" for key in participants]
            pipe = redis_client().pipeline(transaction=False)
            if keys:
                pipe.mget([f"kx:live:idem:{_digest(k)}" for k in keys])
            for name in counters:
                pipe.incr(name)
                pipe.expire(name, limit_window + 1)
            replies = pipe.execute()
            recalled = [json.loads(r) if r else None for r in replies[0]] if keys else []
            first = 1 if keys else 0
            return Checked(
                recalled,
                [(int(replies[first + 2 * i]), left) for i in range(len(participants))],
                counters,
            )
        now_mono = time.monotonic()
        self._sweep(now_mono)
        recalled = [
            hit[1] if (hit := self._answers.get(k)) is not None and hit[0] > now_mono else None
            for k in keys
        ]
        counts = []
        for key in participants:
            window, seen = self._counts.get(key, (bucket, 0))
            seen = seen + 1 if window == bucket else 1
            self._counts[key] = (bucket, seen)
            counts.append((seen, left))
        return Checked(recalled, counts, list(participants))

    def settle(self, answers: dict[str, Any], uncount: Sequence[str]) -> None:
        """Remember ``answers`` (idempotency key → answer) and take one vote off each
        counter in ``uncount`` (from :attr:`Checked.counters`)."""
        if not answers and not uncount:
            return
        if redis_configured():
            import json

            pipe = redis_client().pipeline(transaction=False)
            for key, answer in answers.items():
                pipe.set(f"kx:live:idem:{_digest(key)}", json.dumps(answer), ex=IDEMPOTENCY_SECONDS)
            for name in uncount:
                pipe.decr(name)
            pipe.execute()
            return
        expires = time.monotonic() + IDEMPOTENCY_SECONDS
        for key, answer in answers.items():
            self._answers[key] = (expires, answer)
        for key in uncount:
            window, seen = self._counts.get(key, (0, 0))
            if seen:
                self._counts[key] = (window, seen - 1)

    def _sweep(self, now: float) -> None:
        if now - self._swept < 30:
            return
        self._swept = now
        self._answers = {k: v for k, v in self._answers.items() if v[0] > now}
        bucket = int(time.time() // VOTE_LIMIT[1])
        self._counts = {k: v for k, v in self._counts.items() if v[0] >= bucket - 1}
