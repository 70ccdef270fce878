"""A real webhook receiver for tests: an HTTP server on 127.0.0.1 in a thread of the test
process that records every request (method, path, headers, body) and answers 200 with
``{"id": …}`` for a post, or what the test tells it to. ``stop()`` closes the port, so the
next request to it is refused as a receiver that is down would refuse it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Receiver:
    url: str = ""
    requests: list[Received] = field(default_factory=list)
    status: int = 200
    _server: ThreadingHTTPServer | None = None

    @property
    def posts(self) -> list[Received]:
        """The deliveries of posts (not pings)."""
        return [r for r in self.requests if r.headers.get("x-keryx-event") == "post.publish"]

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            receiver.requests.append(
                Received(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
            )
            answer = json.dumps({"id": f"delivery-{len(receiver.requests)}"}).encode()
            self.send_response(receiver.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        do_GET = do_POST = _record

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def run_receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    receiver._server = server
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/keryx"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.stop()
