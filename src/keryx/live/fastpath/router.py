"""``POST /j/<code>/p/<poll>/vote`` on the ASGI front, without Django's request stack.

The router answers a vote it can authenticate — the room's signed participant cookie, the
participant's token in ``X-Live-Token`` and a same-origin request (see
:mod:`keryx.live.fastpath.guards`) — by handing it to the group commit
(:mod:`keryx.live.fastpath.writer`) and answering once its batch is committed. A request
without ``X-Live-Token`` (an older page, the test client) goes to Django's vote view, which
keeps the same rules with Django's CSRF check.

Per vote the event loop only parses headers, checks one HMAC pair and reads a small body;
the database work is one shared transaction per batch in the writer thread.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

from django.conf import settings
from django.utils import translation

from keryx.live.domain.ballots import Ballot, Outcome
from keryx.live.fastpath.guards import same_origin, token_ok
from keryx.live.fastpath.writer import WRITER

logger = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]

_VOTE = re.compile(r"^/j/([A-Za-z0-9]{1,12})/p/([0-9]{1,12})/vote$")
_MAX_BODY = 8192
_WAIT = 30.0  # seconds a request waits for its batch before answering 503
_HEADERS = [
    (b"content-type", b"application/json"),
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
]
_ERROR_CODES = {
    "closed": "conflict",
    "archived": "conflict",
    "quiz_answered": "conflict",
}

# Room code → (room id, seminar id): rooms never change code or seminar.
_ROOMS: dict[str, tuple[int, int]] = {}


def _room_of(code: str) -> tuple[int, int] | None:
    from django.db import close_old_connections

    from keryx.live.models import Room

    close_old_connections()
    try:
        found = Room.objects.filter(code=code).values_list("pk", "seminar_id").first()
    finally:
        close_old_connections()
    return (int(found[0]), int(found[1])) if found else None


def _cookie(header: bytes, name: bytes) -> str:
    for part in header.split(b";"):
        key, _, value = part.strip().partition(b"=")
        if key == name:
            return value.strip().strip(b'"').decode("latin-1")
    return ""


_SIGNERS: dict[tuple[str, str], Any] = {}


def _cookie_signer(name: str) -> Any:
    """Django's signer for the cookie ``name`` — the one ``get_signed_cookie`` builds on every
    call (importing the backend, reading the settings) — made once per cookie and secret key.
    ``None`` if this Django has no such helper."""
    from django.core import signing

    from keryx.live.views.public import COOKIE

    salt_of = getattr(signing, "_cookie_signer_salt", None)
    if salt_of is None:
        return None
    found = _SIGNERS.get((name, settings.SECRET_KEY))
    if found is None:
        if len(_SIGNERS) > 10_000:
            _SIGNERS.clear()
        found = _SIGNERS[(name, settings.SECRET_KEY)] = signing.get_cookie_signer(
            salt=salt_of(name, COOKIE)
        )
    return found


def _participant_key(cookie: bytes, seminar_id: int) -> str:
    """The participant key in the room's signed cookie (``""``: none, or not ours)."""
    from django.core import signing
    from django.http import HttpRequest

    from keryx.live.views.public import COOKIE, COOKIE_AGE

    name = f"{COOKIE}_{seminar_id}"
    signed = _cookie(cookie, name.encode())
    if not signed:
        return ""
    signer = _cookie_signer(name)
    if signer is not None:
        try:
            return str(signer.unsign(signed, max_age=COOKIE_AGE))
        except signing.SignatureExpired:
            return ""
        except signing.BadSignature:
            pass  # perhaps signed the older way: Django's own reading below decides
    request = HttpRequest()
    request.COOKIES = {name: signed}
    return str(request.get_signed_cookie(name, default="", salt=COOKIE, max_age=COOKIE_AGE))


_LANGUAGES: dict[tuple[str, bytes], str] = {}


def _language(cookie: bytes, accept: bytes) -> str:
    """The language cookie, else ``Accept-Language``, else the default (as Django's
    LocaleMiddleware decides for the room page)."""
    chosen = _cookie(cookie, settings.LANGUAGE_COOKIE_NAME.encode()) if cookie else ""
    found = _LANGUAGES.get((chosen, accept))
    if found is None:
        found = _choose_language(chosen, accept)
        if len(_LANGUAGES) > 1000:
            _LANGUAGES.clear()
        _LANGUAGES[(chosen, accept)] = found
    return found


def _choose_language(chosen: str, accept: bytes) -> str:
    from django.utils.translation.trans_real import (
        get_supported_language_variant,
        parse_accept_lang_header,
    )

    candidates = [chosen] if chosen else []
    candidates += [lang for lang, _q in parse_accept_lang_header(accept.decode("latin-1"))]
    for lang in candidates:
        if lang and lang != "*":
            try:
                return get_supported_language_variant(lang)
            except LookupError:
                continue
    return str(settings.LANGUAGE_CODE)


def parse_answer(body: bytes, content_type: bytes) -> tuple[tuple[int, ...], int | None, str]:
    """``options``, ``value`` and ``text`` from a form or JSON body (ValueError: not valid)."""
    if content_type.startswith(b"application/json"):
        data = json.loads(body or b"{}")
        if not isinstance(data, dict):
            raise ValueError("not an object")
        raw = data.get("options", data.get("option", []))
        raw = raw if isinstance(raw, list) else [raw]
        value, text = data.get("value"), data.get("text", "")
    else:
        form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        raw = form.get("options", form.get("option", []))
        value = (form.get("value") or [""])[0]
        text = (form.get("text") or [""])[0]
    options = tuple(int(o) for o in raw if str(o).strip())
    number = int(str(value)) if value is not None and str(value).strip() else None
    return options, number, str(text or "")


class VoteRouter:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or not scope["path"].startswith("/j/")
            or not settings.KERYX_LIVE_FAST_VOTES
        ):
            await self.app(scope, receive, send)
            return
        found = _VOTE.match(scope["path"])
        token = b""
        if found is not None:
            for name, value in scope["headers"]:
                if name == b"x-live-token":
                    token = value
                    break
        if found is None or not token:
            await self.app(scope, receive, send)  # Django's view, with Django's CSRF check
            return
        await self.vote(scope, receive, send, found.group(1).upper(), int(found.group(2)), token)

    async def vote(
        self, scope: Scope, receive: Receive, send: Send, code: str, poll_id: int, token: bytes
    ) -> None:
        headers: dict[bytes, bytes] = {}
        cookie = b""
        for name, value in scope["headers"]:
            if name == b"cookie":
                cookie = value if not cookie else cookie + b"; " + value
            else:
                headers[name] = value
        language = _language(cookie, headers.get(b"accept-language", b""))
        host = headers.get(b"host", b"").decode("latin-1")
        if not same_origin(
            host=host,
            origin=headers.get(b"origin", b"").decode("latin-1"),
            fetch_site=headers.get(b"sec-fetch-site", b"").decode("latin-1"),
        ):
            await _answer(send, language, Outcome(403, "forbidden"))
            return
        room = _ROOMS.get(code)
        if room is None:
            room = await _look_up(code)
            if room is None:
                await _answer(send, language, Outcome(404, "not_found"))
                return
        key = _participant_key(cookie, room[1])
        if not key:
            await _answer(send, language, Outcome(404, "not_found"))
            return
        if not token_ok(key, token.decode("latin-1")):
            await _answer(send, language, Outcome(403, "forbidden"))
            return
        body = await _read_body(receive)
        if body is None:
            await _answer(send, language, Outcome(413, "invalid"))
            return
        try:
            options, value, text = parse_answer(body, headers.get(b"content-type", b""))
        except (ValueError, TypeError):
            await _answer(send, language, Outcome(422, "invalid"))
            return
        idempotency = headers.get(b"idempotency-key", b"")[:64].decode("latin-1")
        future = WRITER.submit(
            Ballot(code, poll_id, key, room[1], options, value, text[:1000]),
            idempotency=f"{key}:{idempotency}" if idempotency else "",
        )
        # The writer always answers; the timer only guards against a writer that hangs.
        timer = asyncio.get_running_loop().call_later(
            _WAIT, _give_up, future, Outcome(503, "unavailable")
        )
        outcome = await future
        timer.cancel()
        await _answer(send, language, outcome)


def _give_up(future: asyncio.Future[Outcome], outcome: Outcome) -> None:
    if not future.done():
        future.set_result(outcome)


_LOOKUPS: dict[str, asyncio.Future[tuple[int, int] | None]] = {}


async def _look_up(code: str) -> tuple[int, int] | None:
    """The room of ``code`` from the database, once for all the votes that wait for it."""
    pending = _LOOKUPS.get(code)
    if pending is not None:
        return await asyncio.shield(pending)
    future: asyncio.Future[tuple[int, int] | None] = asyncio.get_running_loop().create_future()
    _LOOKUPS[code] = future
    try:
        room = await asyncio.to_thread(_room_of, code)
        if room is not None:
            if len(_ROOMS) > 10_000:
                _ROOMS.clear()
            _ROOMS[code] = room
        future.set_result(room)
        return room
    except BaseException as exc:
        future.set_exception(exc)
        raise
    finally:
        _LOOKUPS.pop(code, None)


async def _read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > _MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _message(outcome: Outcome) -> str:
    from django.utils.translation import gettext as _

    from keryx.core.errors import RateLimited

    if outcome.code == "forbidden":
        return _("This vote did not come from the room's page. Reload the page and try again.")
    if outcome.code == "rate_limited":
        return RateLimited(1).message
    if outcome.code == "unavailable":
        return _("Your vote could not be stored just now. Please send it again.")
    return outcome.message()


_MESSAGES: dict[tuple[str, str, str], str] = {}


async def _answer(send: Send, language: str, outcome: Outcome) -> None:
    # Translated once per language and kind of answer (switching languages costs more than
    # the rest of a vote).
    signature = (language, outcome.code, str(outcome.detail.get("reason", "")))
    message = _MESSAGES.get(signature)
    if message is None:
        with translation.override(language):
            message = _MESSAGES[signature] = _message(outcome)
    headers = list(_HEADERS)
    if outcome.status == 200:
        body: dict[str, Any] = {
            "poll": outcome.poll_id,
            "counted": outcome.counted,
            "message": message,
        }
    else:
        body = {
            "error": _ERROR_CODES.get(outcome.code, outcome.code),
            "message": message,
            "fields": {},
        }
        retry = outcome.detail.get("retry_after") or (1 if outcome.status == 503 else None)
        if retry:
            headers.append((b"retry-after", str(retry).encode()))
    payload = json.dumps(body, ensure_ascii=False).encode()
    headers.append((b"content-length", str(len(payload)).encode()))
    await send({"type": "http.response.start", "status": outcome.status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
