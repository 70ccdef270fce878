"""The ASGI router in front of Django (keryx.asgi.application): the hot path, the hand-over
to Django, and the lifespan that loads links and writes the queued clicks at shutdown."""

from __future__ import annotations

import asyncio
from http.cookies import SimpleCookie
from typing import Any

import pytest

from keryx.asgi import application
from keryx.links.models import Click
from keryx.links.redirect.recorder import RECORDER
from keryx.links.redirect.targets import TARGETS
from tests.links.conftest import BROWSER

pytestmark = pytest.mark.django_db(transaction=True)


def _scope(path: str, method: str, headers: dict[str, str] | None, query: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "client": ("203.0.113.57", 50000),
        "server": ("127.0.0.1", 8000),
        "headers": [(b"host", b"127.0.0.1:8000")]
        + [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
    }


async def acall(
    path: str, *, method: str = "GET", headers: dict[str, str] | None = None, query: str = ""
) -> dict[str, Any]:
    """One request through the whole ASGI application; returns status, headers, cookies."""
    sent: list[dict[str, Any]] = []
    requested = False

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Future()  # the client stays connected
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await application(_scope(path, method, headers, query), receive, send)
    raw = [(k.decode().lower(), v.decode()) for k, v in sent[0]["headers"]]
    cookies: SimpleCookie = SimpleCookie()
    for name, value in raw:
        if name == "set-cookie":
            cookies.load(value)
    return {
        "status": sent[0]["status"],
        "headers": dict(raw),
        "cookies": {name: cookies[name] for name in cookies},
        "body": b"".join(m.get("body", b"") for m in sent[1:]),
    }


def call(path: str, **kwargs: Any) -> dict[str, Any]:
    return asyncio.run(acall(path, **kwargs))


def _cookie_facts(cookies: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    return {
        name: (m.value, str(m["max-age"]), m["path"], m["samesite"], str(bool(m["httponly"])))
        for name, m in cookies.items()
    }


def test_router_answers_exactly_as_the_django_view(make_link) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="bluesky")
    TARGETS.reset(None)
    by_django = call(f"/r/{link.code}", headers={"User-Agent": BROWSER})
    assert "x-frame-options" in by_django["headers"]  # Django's middleware answered
    by_router = call(f"/r/{link.code}", headers={"User-Agent": BROWSER})
    assert "x-frame-options" not in by_router["headers"]  # the router answered
    assert by_router["status"] == by_django["status"] == 302
    assert by_router["headers"]["location"] == by_django["headers"]["location"]
    assert by_router["headers"]["cache-control"] == by_django["headers"]["cache-control"]
    assert _cookie_facts(by_router["cookies"]) == _cookie_facts(by_django["cookies"])
    assert set(by_router["cookies"]) == {"kx_first", "kx_last"}

    cookie = {"User-Agent": BROWSER, "Cookie": f"kx_first={link.code}; other=1"}
    assert set(call(f"/r/{link.code}", headers=cookie)["cookies"]) == {"kx_last"}
    untracked = call(f"/r/{link.code}", headers={"User-Agent": BROWSER, "DNT": "1"})
    assert untracked["cookies"] == {}
    assert "kx=" not in untracked["headers"]["location"]
    RECORDER.flush()
    assert sorted(Click.objects.values_list("kind", flat=True)) == [
        "anonymous",
        "human",
        "human",
        "human",
    ]


def test_router_hands_unknown_codes_and_other_paths_to_django(make_link) -> None:  # type: ignore[no-untyped-def]
    make_link(network="x")
    missing = call("/r/zzzzzzz", headers={"User-Agent": BROWSER})
    assert missing["status"] == 404
    assert b"This link does not exist" in missing["body"]
    assert call("/accounts/login/")["status"] == 200
    assert RECORDER.pending() == 0


def test_router_leaves_other_methods_to_django(make_link) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    TARGETS.load(link.code)
    posted = call(f"/r/{link.code}", method="POST")
    assert posted["status"] == 403  # Django's CSRF check answered, not the router
    assert "x-frame-options" in posted["headers"]
    assert RECORDER.pending() == 0


def test_lifespan_loads_links_and_writes_every_click_at_shutdown(make_link) -> None:  # type: ignore[no-untyped-def]
    links = [make_link(network="x"), make_link(network="facebook")]
    TARGETS.reset(None)
    RECORDER.interval = 60.0  # the thread will not get to write before shutdown
    seen: dict[str, Any] = {}

    async def server_life() -> None:
        inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        replies: list[str] = []

        async def receive() -> dict[str, Any]:
            return await inbox.get()

        async def send(message: dict[str, Any]) -> None:
            replies.append(message["type"])

        life = asyncio.create_task(application({"type": "lifespan"}, receive, send))
        await inbox.put({"type": "lifespan.startup"})
        while not replies:
            await asyncio.sleep(0.01)
        seen["startup"] = list(replies)
        seen["loaded"] = len(TARGETS)
        seen["running"] = RECORDER.running
        for n in range(250):
            reply = await acall(f"/r/{links[n % 2].code}", headers={"User-Agent": BROWSER})
            assert "x-frame-options" not in reply["headers"]
        seen["pending"] = RECORDER.pending()
        await inbox.put({"type": "lifespan.shutdown"})
        await life
        seen["replies"] = replies

    try:
        asyncio.run(server_life())
    finally:
        RECORDER.interval = None
    assert seen == {
        "startup": ["lifespan.startup.complete"],
        "loaded": 2,
        "running": True,
        "pending": 250,
        "replies": ["lifespan.startup.complete", "lifespan.shutdown.complete"],
    }
    assert not RECORDER.running
    assert Click.objects.filter(link=links[0], kind="human").count() == 125
    assert Click.objects.filter(link=links[1], kind="human").count() == 125
