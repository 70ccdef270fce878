"""The test network: a small HTTP server that behaves like a social network's posts API.

It exists so the publishing pipeline, its tests and its benchmarks run against a real network
call with real latency and real failures, and so that afterwards someone *counts* what the
network really stored. Nothing here imports Django; start it as its own process::

    python -m keryx.networks.testnet.server --port 0 --latency-ms 100 \\
        --fail-percent 5 --timeout-percent 1 --port-file /tmp/testnet.port

API (every call but ``/_*`` needs ``Authorization: Bearer <account>[:<generation>]``):

- ``POST /api/posts`` ``{"text", "link", "first_comment", "thread", "fingerprint", "media"}``
  with an optional ``Idempotency-Key`` header: 201 with the post; a key seen before for the
  same account answers 200 with the post it created (nothing new is stored).
- ``GET /api/posts?fingerprint=…&since=…``: this account's posts, newest first.
- ``GET|DELETE /api/posts/<id>``, ``GET /api/posts/<id>/metrics``.
- ``GET /api/posts/<id>/comments?cursor=…``: the comments under any post id (made up, the same
  every time: ``comments_per_post`` of them, ``comments_page_size`` a page, oldest first),
  ``{"comments": [...], "next": "<cursor>"}`` with ``next`` empty on the last page. Each page
  waits ``read_latency_ms``; ``/_stats`` counts the pages served and lists the cursors asked
  (``comment_cursors``), so a test sees where a killed reader resumed.
- ``POST /oauth/token`` (form ``refresh_token``): a new access token for the same account.

Failure injection (per create request, decided after the latency): ``fail_percent`` answers
``fail_status`` (503) and stores nothing; ``rate_limit_percent`` answers 429 with ``Retry-After``;
``timeout_percent`` *stores the post* and then never answers (the connection is held for
``hang_seconds`` and closed), the ambiguous case a publisher must not retry blindly. A text
containing ``reject_marker`` is refused with 422; a token starting with ``expired`` gets 401.

Control (no auth): ``GET /_health``, ``GET /_stats``, ``GET /_posts``, ``POST /_config``
(JSON, any of the settings above), ``POST /_reset``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Behaviour:
    latency_ms: float = 0.0
    fail_percent: float = 0.0
    # 503 says "nothing was done"; 500 is ambiguous (the client reports it unconfirmed).
    fail_status: int = 503
    timeout_percent: float = 0.0
    rate_limit_percent: float = 0.0
    retry_after: float = 1.0
    hang_seconds: float = 5.0
    reject_marker: str = "#reject"
    seed: int | None = None
    comments_per_post: int = 0
    comments_page_size: int = 10
    read_latency_ms: float = 0.0


@dataclass
class Counters:
    requests: int = 0
    create_requests: int = 0
    stored: int = 0
    replayed: int = 0
    injected_failures: int = 0
    injected_timeouts: int = 0
    injected_rate_limits: int = 0
    rejected: int = 0
    unauthorised: int = 0
    deleted: int = 0
    comment_pages: int = 0
    comment_cursors: list[str] = field(default_factory=list)


@dataclass
class State:
    behaviour: Behaviour = field(default_factory=Behaviour)
    counters: Counters = field(default_factory=Counters)
    posts: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_key: dict[tuple[str, str], str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    rng: random.Random = field(default_factory=random.Random)
    next_id: int = 1

    def reset(self) -> None:
        with self.lock:
            self.counters = Counters()
            self.posts.clear()
            self.by_key.clear()
            self.next_id = 1

    def configure(self, values: dict[str, Any]) -> None:
        with self.lock:
            for key, value in values.items():
                if not hasattr(self.behaviour, key):
                    raise KeyError(key)
                setattr(self.behaviour, key, value)
            if "seed" in values:
                self.rng.seed(values["seed"])

    def stats(self) -> dict[str, Any]:
        with self.lock:
            fingerprints: dict[tuple[str, str], int] = {}
            for post in self.posts.values():
                if post["fingerprint"]:
                    k = (post["account"], post["fingerprint"])
                    fingerprints[k] = fingerprints.get(k, 0) + 1
            return {
                **asdict(self.counters),
                "posts": len(self.posts),
                "duplicate_fingerprints": sum(n - 1 for n in fingerprints.values() if n > 1),
                "behaviour": asdict(self.behaviour),
            }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _parse_time(value: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Answers go out at once (no Nagle delay waiting for the client's acknowledgement).
    disable_nagle_algorithm = True
    server: TestNetServer

    # --- plumbing ---------------------------------------------------------------------------
    def log_message(self, format: str, *args: Any) -> None:  # silence the access log
        return

    @property
    def state(self) -> State:
        return self.server.state

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _json_body(self) -> dict[str, Any]:
        raw = self._body()
        if not raw:
            return {}
        value = json.loads(raw)
        return value if isinstance(value, dict) else {}

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _account(self) -> str | None:
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or not auth[7:].strip():
            self._send(401, {"error": "missing token"})
            return None
        token = auth[7:].strip()
        if token.startswith("expired"):
            with self.state.lock:
                self.state.counters.unauthorised += 1
            self._send(401, {"error": "The access token has expired."})
            return None
        return token.split(":", 1)[0]

    # --- routes -----------------------------------------------------------------------------
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        with self.state.lock:
            self.state.counters.requests += 1
        if parts.path == "/_health":
            self._send(200, {"ok": True})
        elif parts.path == "/_stats":
            self._send(200, self.state.stats())
        elif parts.path == "/_posts":
            with self.state.lock:
                posts = list(self.state.posts.values())
            self._send(200, {"posts": posts})
        elif parts.path == "/api/posts":
            self._list(parse_qs(parts.query))
        elif parts.path.startswith("/api/posts/") and parts.path.endswith("/comments"):
            self._comments(
                parts.path[len("/api/posts/") : -len("/comments")], parse_qs(parts.query)
            )
        elif parts.path.startswith("/api/posts/"):
            self._get(parts.path[len("/api/posts/") :])
        else:
            self._send(404, {"error": "not found"})

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        with self.state.lock:
            self.state.counters.requests += 1
        if parts.path == "/api/posts":
            self._create()
        elif parts.path == "/oauth/token":
            self._refresh()
        elif parts.path == "/_config":
            try:
                self.state.configure(self._json_body())
            except (KeyError, ValueError) as exc:
                self._send(400, {"error": f"unknown setting {exc}"})
                return
            self._send(200, self.state.stats()["behaviour"])
        elif parts.path == "/_reset":
            self._body()
            self.state.reset()
            self._send(200, {"ok": True})
        else:
            self._send(404, {"error": "not found"})

    def do_DELETE(self) -> None:
        parts = urlsplit(self.path)
        account = self._account()
        if account is None:
            return
        post_id = parts.path[len("/api/posts/") :]
        with self.state.lock:
            post = self.state.posts.get(post_id)
            if post is None or post["account"] != account or post["deleted"]:
                found = False
            else:
                post["deleted"] = True
                self.state.counters.deleted += 1
                found = True
        if found:
            self._send(200, {"deleted": post_id})
        else:
            self._send(404, {"error": "no such post"})

    def _create(self) -> None:
        try:
            body = self._json_body()
        except ValueError:
            self._send(400, {"error": "The body is not JSON."})
            return
        account = self._account()
        if account is None:
            return
        state = self.state
        behaviour = state.behaviour
        if behaviour.latency_ms:
            time.sleep(behaviour.latency_ms / 1000)
        with state.lock:
            state.counters.create_requests += 1
            roll = state.rng.random() * 100
        if roll < behaviour.fail_percent:
            with state.lock:
                state.counters.injected_failures += 1
            self._send(behaviour.fail_status, {"error": "The service is temporarily unavailable."})
            return
        if roll < behaviour.fail_percent + behaviour.rate_limit_percent:
            with state.lock:
                state.counters.injected_rate_limits += 1
            self._send(
                429,
                {"error": "Too many requests."},
                {"Retry-After": str(behaviour.retry_after)},
            )
            return
        hang = (
            behaviour.fail_percent + behaviour.rate_limit_percent
            <= roll
            < behaviour.fail_percent + behaviour.rate_limit_percent + behaviour.timeout_percent
        )
        text = str(body.get("text", ""))
        if behaviour.reject_marker and behaviour.reject_marker in text:
            with state.lock:
                state.counters.rejected += 1
            self._send(
                422,
                {"error": f"Posts may not contain “{behaviour.reject_marker}”."},
            )
            return
        key = self.headers.get("Idempotency-Key", "")
        with state.lock:
            existing = state.by_key.get((account, key)) if key else None
            if existing is not None:
                state.counters.replayed += 1
                post = state.posts[existing]
                created = False
            else:
                post_id = str(state.next_id)
                state.next_id += 1
                post = {
                    "id": post_id,
                    "account": account,
                    "text": text,
                    "link": str(body.get("link", "")),
                    "first_comment": str(body.get("first_comment", "")),
                    "thread": list(body.get("thread") or []),
                    "media": list(body.get("media") or []),
                    "fingerprint": str(body.get("fingerprint", "")),
                    "idempotency_key": key,
                    "created_at": _now().isoformat(),
                    "url": f"{self.server.base_url}/@{account}/{post_id}",
                    "deleted": False,
                }
                state.posts[post_id] = post
                if key:
                    state.by_key[(account, key)] = post_id
                state.counters.stored += 1
                created = True
            if hang:
                state.counters.injected_timeouts += 1
        if hang:
            # Accepted and stored, but the answer never comes: the client times out.
            time.sleep(behaviour.hang_seconds)
            self.close_connection = True
            return
        self._send(201 if created else 200, post)

    def _list(self, query: dict[str, list[str]]) -> None:
        account = self._account()
        if account is None:
            return
        fingerprint = (query.get("fingerprint") or [""])[0]
        since = _parse_time((query.get("since") or [""])[0]) if query.get("since") else None
        with self.state.lock:
            posts = [
                p
                for p in self.state.posts.values()
                if p["account"] == account
                and not p["deleted"]
                and (not fingerprint or p["fingerprint"] == fingerprint)
                and (since is None or dt.datetime.fromisoformat(p["created_at"]) >= since)
            ]
        posts.sort(key=lambda p: int(p["id"]), reverse=True)
        self._send(200, {"posts": posts})

    def _get(self, rest: str) -> None:
        account = self._account()
        if account is None:
            return
        post_id, _, sub = rest.partition("/")
        with self.state.lock:
            post = self.state.posts.get(post_id)
        if post is None or post["account"] != account or post["deleted"]:
            self._send(404, {"error": "no such post"})
        elif sub == "metrics":
            digest = int(hashlib.sha256(post_id.encode()).hexdigest()[:8], 16)
            self._send(
                200,
                {
                    "likes": digest % 50,
                    "shares": digest % 7,
                    "comments": digest % 11,
                    "impressions": 500 + digest % 1500,
                },
            )
        else:
            self._send(200, post)

    def _comments(self, post_id: str, query: dict[str, list[str]]) -> None:
        if self._account() is None:
            return
        behaviour = self.state.behaviour
        raw = (query.get("cursor") or [""])[0]
        start = int(raw) if raw.isdigit() else 0
        if behaviour.read_latency_ms:
            time.sleep(behaviour.read_latency_ms / 1000)
        size = max(1, behaviour.comments_page_size)
        end = min(start + size, behaviour.comments_per_post)
        base = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
        comments = [
            {
                "id": f"{post_id}-c{i}",
                "text": f"Comment {i} under {post_id}",
                "author": f"reader{i}",
                "created_at": (base + dt.timedelta(minutes=i)).isoformat(),
            }
            for i in range(start, end)
        ]
        with self.state.lock:
            self.state.counters.comment_pages += 1
            self.state.counters.comment_cursors.append(raw)
        self._send(
            200,
            {"comments": comments, "next": str(end) if end < behaviour.comments_per_post else ""},
        )

    def _refresh(self) -> None:
        form = parse_qs(self._body().decode("utf-8"))
        refresh = (form.get("refresh_token") or [""])[0]
        if not refresh or refresh.startswith("revoked"):
            self._send(400, {"error": "invalid_grant"})
            return
        account = refresh.split(":", 1)[0]
        token = f"{account}:{int(time.time() * 1000)}"
        self._send(
            200,
            {
                "access_token": token,
                "refresh_token": refresh,
                "token_type": "bearer",
                "expires_in": 3600,
            },
        )


class TestNetServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that went away (a killed worker, a timeout) is part of the game.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def __init__(self, address: tuple[str, int], behaviour: Behaviour) -> None:
        super().__init__(address, Handler)
        self.state = State(behaviour=behaviour)
        if behaviour.seed is not None:
            self.state.rng.seed(behaviour.seed)
        host, port = self.server_address[:2]
        self.base_url = f"http://{host!s}:{port}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Keryx's local test network server.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file", default="", help="Write the bound port here when ready.")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--fail-percent", type=float, default=0.0)
    parser.add_argument("--timeout-percent", type=float, default=0.0)
    parser.add_argument("--rate-limit-percent", type=float, default=0.0)
    parser.add_argument("--hang-seconds", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    behaviour = Behaviour(
        latency_ms=args.latency_ms,
        fail_percent=args.fail_percent,
        timeout_percent=args.timeout_percent,
        rate_limit_percent=args.rate_limit_percent,
        hang_seconds=args.hang_seconds,
        seed=args.seed,
    )
    server = TestNetServer((args.host, args.port), behaviour)
    if args.port_file:
        tmp = Path(args.port_file + ".tmp")
        tmp.write_text(str(server.server_address[1]))
        tmp.replace(args.port_file)
    sys.stdout.write(f"testnet listening on {server.base_url}\n")
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
