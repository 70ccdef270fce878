"""Reading Server-Sent Events in tests: through the ASGI application in-process, or over HTTP."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any


@dataclass
class SSEEvent:
    id: int
    event: str
    data: Any


def parse_sse(text: str) -> tuple[list[SSEEvent], str]:
    """Complete events in ``text`` and the unparsed rest (comments and ``retry:`` skipped)."""
    events: list[SSEEvent] = []
    while "\n\n" in text:
        block, text = text.split("\n\n", 1)
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            if not line or line.startswith(":"):
                continue
            name, _, value = line.partition(": ")
            fields[name] = value
        if "data" in fields:
            events.append(
                SSEEvent(
                    int(fields["id"]), fields.get("event", "message"), json.loads(fields["data"])
                )
            )
    return events, text


class ASGIStream:
    """One SSE request to an ASGI app, running as a task; ``events`` fills as frames arrive."""

    def __init__(
        self, app: Any, path: str, *, last_event_id: int | None = None, query: str = ""
    ) -> None:
        headers = [(b"host", b"127.0.0.1:8000"), (b"accept", b"text/event-stream")]
        if last_event_id is not None:
            headers.append((b"last-event-id", str(last_event_id).encode()))
        self.scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": query.encode(),
            "client": ("203.0.113.9", 50000),
            "server": ("127.0.0.1", 8000),
            "headers": headers,
        }
        self.app = app
        self.status: int | None = None
        self.headers: dict[str, str] = {}
        self.events: list[SSEEvent] = []
        self.raw = ""
        self.heartbeats = 0
        self._rest = ""
        self._gone = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> ASGIStream:
        requested = False

        async def receive() -> dict[str, Any]:
            nonlocal requested
            if not requested:
                requested = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await self._gone.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                self.status = message["status"]
                self.headers = {k.decode(): v.decode() for k, v in message["headers"]}
            else:
                chunk = message.get("body", b"").decode()
                self.raw += chunk
                self.heartbeats += chunk.count(": keep-alive")
                events, self._rest = parse_sse(self._rest + chunk)
                self.events.extend(events)

        self._task = asyncio.create_task(self.app(self.scope, receive, send))
        return self

    async def wait_for(self, predicate: Any, timeout: float = 5.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while not predicate(self.events):
            if self._task is not None and self._task.done():
                self._task.result()
                raise AssertionError(f"the stream ended: {self.raw!r}")
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"timed out; got {self.events!r}")
            await asyncio.sleep(0.02)

    async def __aexit__(self, *_exc: object) -> None:
        self._gone.set()
        if self._task is not None:
            await asyncio.wait_for(self._task, timeout=5)
