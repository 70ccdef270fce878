"""A fake OpenAI-compatible server on the loopback address, for the AI drafting tests.

It implements ``POST /v1/chat/completions`` (the request and answer shapes of the OpenAI API
reference, "Create chat completion") with canned answers that depend on the request: the task
line of the last user message decides what comes back. It records every request body, so a
test can assert exactly what left Keryx. ``mode`` switches it to answering slowly (past the
client's timeout) or with a 500.

The ``openai`` client has its own HTTP stack (respx does not see it): this is a real socket.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

LONG = (
    "Join us for a day of practical talks, real case studies and honest conversation about "
    "digital marketing for small organisations. Bring your questions and your team: every "
    "session ends with time for discussion, and you leave with a plan you can use on Monday. "
    "Register now, places are limited and the early-bird price ends soon. #Seminar2026 "
    "See you there!"
)
SHORT = "Practical talks, real cases, a plan for Monday. Register now: places are limited!"


class FakeOpenAI:
    """``with FakeOpenAI() as server:`` → ``server.url`` is the base URL (with ``/v1``)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.mode = "ok"  # ok | slow | error
        self.delay = 3.0
        # How many rewrites answer over the limit before a short one (0: always short).
        self.overlong_rewrites = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- answers ---------------------------------------------------------------------------

    def answer(self, body: dict[str, Any]) -> str:
        messages = body.get("messages") or []
        last = str(messages[-1].get("content", "")) if messages else ""
        first_user = next(
            (str(m.get("content", "")) for m in messages if m.get("role") == "user"), ""
        )
        if "Shorten it to at most" in last:
            return SHORT
        if "Task: rewrite" in last:
            if self.overlong_rewrites > 0:
                self.overlong_rewrites -= 1
                return LONG
            return SHORT
        if "Task: translate" in last:
            if "into English" in last:
                return "Join us at the seminar on digital marketing! #Σεμινάριο2026"
            return "Ελάτε στο σεμινάριο για το ψηφιακό μάρκετινγκ! #Seminar2026"
        if "Task: suggest" in last:
            return "#ψηφιακό_μάρκετινγκ #DigitalMarketing #Σεμινάριο2026 #Athens #smallbusiness"
        if "Task: write" in last:
            title = re.search(r"^Seminar: (.+)$", first_user, flags=re.MULTILINE)
            name = title.group(1) if title else "the seminar"
            return f'"Μια πρακτική ιστορία για το «{name}». Δηλώστε συμμετοχή σήμερα!"'
        return "OK"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, {"error": {"message": "not found", "type": "invalid"}})
                    return
                body = json.loads(raw or b"{}")
                fake.requests.append(body)
                fake.headers.append({k.lower(): v for k, v in self.headers.items()})
                if fake.mode == "slow":
                    time.sleep(fake.delay)
                if fake.mode == "error":
                    self._send(
                        500,
                        {"error": {"message": "The server had an error", "type": "server_error"}},
                    )
                    return
                content = fake.answer(body)
                self._send(
                    200,
                    {
                        "id": f"chatcmpl-{len(fake.requests)}",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": body.get("model", ""),
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": content},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    },
                )

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

        return Handler


_shared: FakeOpenAI | None = None
_lock = threading.Lock()


def shared_server() -> FakeOpenAI:
    """One fake server for the whole test process (the API role matrix's cases)."""
    global _shared
    with _lock:
        if _shared is None:
            _shared = FakeOpenAI().__enter__()
        return _shared


def enable_for_one_request(url: str) -> None:
    """Turn AI drafting on until the next request finishes (the role matrix sends one request
    per test and has no fixtures of ours to turn it off again)."""
    from django.core.signals import request_finished
    from django.test.utils import override_settings

    override = override_settings(KERYX_AI_URL=url, KERYX_AI_MODEL="fake-model", KERYX_AI_KEY="")
    override.enable()

    def done(**kwargs: Any) -> None:
        request_finished.disconnect(done)
        override.disable()

    request_finished.connect(done, weak=False)
