"""The webhook's HTTP side: signing, sending, and reading the receiver's answer.

Every delivery is a POST of JSON with these headers (docs/networks/webhook.md):

- ``X-Keryx-Event``: ``post.publish``
- ``X-Keryx-Delivery``: a new id for every delivery
- ``Idempotency-Key``: the same for every delivery of one variant (receivers de-duplicate on it)
- ``X-Keryx-Timestamp``: Unix seconds when it was signed
- ``X-Keryx-Signature``: ``sha256=`` + hex HMAC-SHA256 of ``"<timestamp>." + body`` with the secret
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.utils.translation import gettext as _

from keryx.core.http import (
    AuthExpired,
    OutboundClient,
    RateLimited,
    Rejected,
    Unavailable,
    retry_after_seconds,
)

SIGNATURE_HEADER = "X-Keryx-Signature"
TIMESTAMP_HEADER = "X-Keryx-Timestamp"
SIGNATURE_TOLERANCE = 300  # seconds a receiver should accept between signing and receiving


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 over ``b"<timestamp>." + body``."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signature_valid(
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    *,
    now: float | None = None,
    tolerance: int = SIGNATURE_TOLERANCE,
) -> bool:
    """What a receiver checks (the reference for docs/networks/webhook.md)."""
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - sent_at) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, sent_at, body), signature)


def host_of(url: str) -> str:
    return urlsplit(url).hostname or url


def _nested_errors(errors: Any, path: str = "") -> list[str]:
    """Discord's ``errors`` tree: ``{"content": {"_errors": [{"message": ...}]}}``."""
    found: list[str] = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            if key == "_errors" and isinstance(value, list):
                found += [f"{path}: {e.get('message', '')}" for e in value if isinstance(e, dict)]
            else:
                found += _nested_errors(value, f"{path}.{key}" if path else str(key))
    return found


def _reason(response: httpx.Response) -> str:
    """The receiver's own words: Discord's ``message`` (and field errors), Slack's plain-text
    body, or the JSON as sent."""
    try:
        data = response.json()
    except ValueError:
        return response.text.strip()[:500]
    if isinstance(data, dict):
        for key in ("message", "error", "detail", "error_description"):
            if isinstance(data.get(key), str) and data[key]:
                details = _nested_errors(data.get("errors"))
                return "; ".join([str(data[key]), *details])[:500]
    return json.dumps(data, ensure_ascii=False)[:500]


def raise_for_answer(response: httpx.Response, host: str) -> None:
    status = response.status_code
    if status < 300:
        return
    reason = _reason(response)
    if status in (401, 403, 404, 410):
        raise AuthExpired(
            _("The webhook at %(host)s no longer accepts posts (HTTP %(status)d: %(reason)s).")
            % {"host": host, "status": status, "reason": reason},
            status=status,
            detail=response.text[:1000],
            hint=_(
                "Create a new webhook URL in the receiving service and connect it again under "
                "Settings → Connected accounts."
            ),
        )
    if status == 429:
        wait = retry_after_seconds(response, default=0.0)
        if not wait:
            try:
                wait = float(response.json().get("retry_after", 60))
            except (ValueError, AttributeError, TypeError):
                wait = 60.0
        raise RateLimited(
            _("The webhook at %(host)s asks Keryx to slow down.") % {"host": host},
            retry_after=wait,
            status=status,
        )
    if status >= 500:
        raise Unavailable(
            _("The webhook at %(host)s had a server error (HTTP %(status)d).")
            % {"host": host, "status": status},
            status=status,
            detail=response.text[:1000],
        )
    if 300 <= status < 400:
        raise Rejected(
            _("The webhook URL redirects elsewhere (HTTP %(status)d); use the final URL.")
            % {"status": status},
            status=status,
        )
    raise Rejected(reason or f"HTTP {status}", status=status, detail=response.text[:1000])


class WebhookClient:
    def __init__(self, *, url: str, secret: str, transport: httpx.BaseTransport | None = None):
        self.url = url
        self.secret = secret
        self.host = host_of(url)
        self.transport = transport

    def ping(self, style: str) -> httpx.Response:
        """Ask the receiver whether it is there, without posting anything people see:
        Keryx JSON gets a signed ``ping`` event (receivers answer 2xx and show nothing);
        Discord answers a GET with the webhook itself; Slack answers an empty message with
        400 ``no_text`` (404, 403 or 410 when the webhook is gone); a Teams workflow is asked
        with a GET (any answer below 500 but 404 or 410 shows it is there). Raises a typed
        error when it is not (decision 0562)."""
        with OutboundClient(service=f"webhook {self.host}", transport=self.transport) as http:
            try:
                if style == "generic":
                    body = json.dumps(
                        {"event": "ping", "sent_at": int(time.time())}, separators=(",", ":")
                    ).encode("utf-8")
                    timestamp = int(time.time())
                    headers = {
                        "Content-Type": "application/json; charset=utf-8",
                        "X-Keryx-Event": "ping",
                        TIMESTAMP_HEADER: str(timestamp),
                    }
                    if self.secret:
                        headers[SIGNATURE_HEADER] = sign(self.secret, timestamp, body)
                    response = http.post(self.url, content=body, headers=headers, idempotent=True)
                elif style == "slack":
                    response = http.post(self.url, json={}, idempotent=True)
                else:
                    response = http.get(self.url)
            except Unavailable as exc:
                raise self._unreachable(exc) from exc
        if style == "slack" and response.status_code == 400:
            return response  # "no_text": the webhook is there and refused an empty message
        if (
            style == "teams"
            and response.status_code < 500
            and response.status_code
            not in (
                404,
                410,
            )
        ):
            return response
        raise_for_answer(response, self.host)
        return response

    def deliver(
        self,
        payload: dict[str, Any],
        *,
        delivery: str,
        idempotency_key: str,
        params: dict[str, str],
    ) -> httpx.Response:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Keryx-Event": "post.publish",
            "X-Keryx-Delivery": delivery,
            TIMESTAMP_HEADER: str(timestamp),
        }
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        if self.secret:
            headers[SIGNATURE_HEADER] = sign(self.secret, timestamp, body)
        with OutboundClient(service=f"webhook {self.host}", transport=self.transport) as http:
            try:
                response = http.post(self.url, content=body, headers=headers, params=params)
            except Unavailable as exc:  # nothing left this machine: safe to try again later
                raise self._unreachable(exc) from exc
        raise_for_answer(response, self.host)
        return response

    def _unreachable(self, exc: Unavailable) -> Unavailable:
        return Unavailable(
            _("The webhook at %(host)s could not be reached: nothing answers there.")
            % {"host": self.host},
            detail=exc.detail,
        )
