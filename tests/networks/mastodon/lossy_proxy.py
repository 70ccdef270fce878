"""A real HTTP proxy in front of a test server that can lose an answer: it forwards the request,
lets the server act on it, and then keeps the answer back until the client has given up — the
"did it reach the network?" case a timeout after sending leaves behind. (mastodon_mock's own
latency fault cannot do this: it delays *before* the handler, and the handler is cancelled when
the client goes away, so nothing is created.)"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up (the point of losing an answer) is not an error here."""


HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


class LossyProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.lose: dict[tuple[str, str], int] = {}  # (method, path) → answers still to lose
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.hold_seconds = 3.0
        self.url = ""

    def lose_next(self, method: str, path: str, count: int = 1) -> None:
        self.lose[(method, path)] = count

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                return

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path.split("?", 1)[0]
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                proxy.requests.append((self.command, path, headers))
                answer = httpx.request(
                    self.command,
                    proxy.upstream + self.path,
                    content=body,
                    headers=headers,
                    timeout=30,
                )
                key = (self.command, path)
                if proxy.lose.get(key, 0) > 0:
                    proxy.lose[key] -= 1
                    time.sleep(proxy.hold_seconds)  # the server acted; the answer never comes
                    self.close_connection = True
                    return
                self.send_response(answer.status_code)
                for name, value in answer.headers.items():
                    if name.lower() not in HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_DELETE = do_PUT = _forward

        return Handler


@contextmanager
def lossy_proxy(upstream: str) -> Iterator[LossyProxy]:
    proxy = LossyProxy(upstream)
    server = _QuietServer(("127.0.0.1", 0), proxy._handler())
    server.daemon_threads = True
    proxy.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        server.shutdown()
        server.server_close()
