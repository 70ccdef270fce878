"""The one outbound HTTP client: every call has a timeout, and every failure becomes one of
five typed errors, decided once here and in each connector's error mapping.

- ``AuthExpired``  the credentials no longer work: the account must reconnect.
- ``RateLimited``  try again after ``retry_after`` seconds.
- ``Rejected``     final: the service said no (``reason`` is shown to the user).
- ``Unavailable``  transient and *nothing was done*: safe to retry with backoff.
- ``Unconfirmed``  the request may have reached the service: never retried blindly.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import httpx

import keryx

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=20.0, write=20.0, pool=5.0)
USER_AGENT = f"Keryx/{keryx.__version__} (+https://github.com/keryx)"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class OutboundError(Exception):
    """Base of the typed errors. ``message`` is for people; ``detail`` for logs."""

    code = "outbound_error"

    def __init__(self, message: str = "", *, detail: str = "", status: int | None = None) -> None:
        super().__init__(message or self.__class__.__name__)
        self.message = message
        self.detail = detail
        self.status = status


class AuthExpired(OutboundError):
    code = "auth_expired"


class RateLimited(OutboundError):
    code = "rate_limited"

    def __init__(self, message: str = "", *, retry_after: float = 60.0, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = max(0.0, retry_after)


class Rejected(OutboundError):
    code = "rejected"

    def __init__(self, reason: str = "", **kwargs: Any) -> None:
        super().__init__(reason, **kwargs)
        self.reason = reason


class Unavailable(OutboundError):
    code = "unavailable"


class Unconfirmed(OutboundError):
    code = "unconfirmed"


def retry_after_seconds(response: httpx.Response, default: float = 60.0) -> float:
    """Seconds to wait from ``Retry-After`` (seconds or HTTP date) or an epoch reset header."""
    value = response.headers.get("retry-after")
    if value:
        try:
            return float(value)
        except ValueError:
            from email.utils import parsedate_to_datetime

            try:
                return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
            except (TypeError, ValueError):
                pass
    for header in ("x-rate-limit-reset", "x-ratelimit-reset", "ratelimit-reset"):
        reset = response.headers.get(header)
        if reset:
            try:
                number = float(reset)
            except ValueError:
                continue
            # An epoch timestamp (X) or a number of seconds (IETF draft).
            return max(0.0, number - time.time()) if number > 1_000_000_000 else number
    return default


class OutboundClient:
    """An httpx client bound to one service, with timeouts and typed transport errors.

    ``idempotent=True`` marks a write that the service de-duplicates (an ``Idempotency-Key``):
    a timeout after sending it may be retried. Any other write that times out after sending
    raises ``Unconfirmed``.
    """

    def __init__(
        self,
        *,
        service: str,
        base_url: str = "",
        headers: Mapping[str, str] | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        on_response: Callable[[str, httpx.Response, float], None] | None = None,
    ) -> None:
        self.service = service
        self._on_response = on_response
        self._client = httpx.Client(
            base_url=base_url,
            headers={"User-Agent": USER_AGENT, **(headers or {})},
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )

    def __enter__(self) -> OutboundClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def request(
        self, method: str, url: str, *, idempotent: bool = False, **kwargs: Any
    ) -> httpx.Response:
        method = method.upper()
        request_id = uuid.uuid4().hex[:12]
        started = time.monotonic()
        try:
            response = self._client.request(method, url, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            # The request never left this machine.
            raise Unavailable(f"{self.service} could not be reached.", detail=repr(exc)) from exc
        except (
            httpx.ReadTimeout,
            httpx.WriteTimeout,
            httpx.RemoteProtocolError,
            httpx.ReadError,
            httpx.WriteError,
        ) as exc:
            if method in SAFE_METHODS or idempotent:
                raise Unavailable(
                    f"{self.service} did not answer in time.", detail=repr(exc)
                ) from exc
            raise Unconfirmed(
                f"{self.service} did not confirm the request; it may or may not have been done.",
                detail=repr(exc),
            ) from exc
        except httpx.HTTPError as exc:
            raise Unavailable(
                f"{self.service}: {exc.__class__.__name__}", detail=repr(exc)
            ) from exc
        elapsed = time.monotonic() - started
        logger.debug(
            "%s %s %s -> %s in %.0f ms [%s]",
            self.service,
            method,
            url,
            response.status_code,
            elapsed * 1000,
            request_id,
        )
        if self._on_response is not None:
            self._on_response(self.service, response, elapsed)
        return response

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", url, **kwargs)
