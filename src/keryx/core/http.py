"""The one outbound HTTP client: every call has a timeout, and every failure becomes one of
five typed errors, decided once here and in each connector's error mapping.

- ``AuthExpired``  the credentials no longer work: the account must reconnect.
- ``RateLimited``  try again after ``retry_after`` seconds.
- ``Rejected``     final: the service said no (``reason`` is shown to the user).
- ``Unavailable``  transient and *nothing was done*: safe to retry with backoff.
- ``Unconfirmed``  the request may have reached the service: never retried blindly.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import socket
import ssl
import time
import uuid
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

import keryx

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=20.0, write=20.0, pool=5.0)
USER_AGENT = f"Keryx/{keryx.__version__} (+https://github.com/keryx)"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class OutboundError(Exception):
    """Base of the typed errors. ``message`` says what happened, ``hint`` what to do about it
    (both for people); ``detail`` is for logs."""

    code = "outbound_error"
    default_hint: str | Promise = ""

    def __init__(
        self,
        message: str = "",
        *,
        detail: str = "",
        status: int | None = None,
        hint: str | Promise | None = None,
    ) -> None:
        super().__init__(message or self.__class__.__name__)
        self.message = message
        self.detail = detail
        self.status = status
        self.hint = str(hint if hint is not None else self.default_hint)

    @property
    def user_message(self) -> str:
        """What happened and what to do, in one sentence pair."""
        return " ".join(part for part in (self.message, self.hint) if part)


class AuthExpired(OutboundError):
    code = "auth_expired"
    default_hint = _(
        "Reconnect the account under Settings → Connected accounts, then publish again."
    )


class RateLimited(OutboundError):
    code = "rate_limited"
    default_hint = _("Keryx waits and tries again by itself; nothing was published twice.")

    def __init__(self, message: str = "", *, retry_after: float = 60.0, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = max(0.0, retry_after)


class Rejected(OutboundError):
    """Final: the network said no. ``reason`` is the network's own words."""

    code = "rejected"
    default_hint = _("Change the post as the network asks, then publish it again.")

    def __init__(self, reason: str = "", **kwargs: Any) -> None:
        super().__init__(reason, **kwargs)
        self.reason = reason


class Unavailable(OutboundError):
    code = "unavailable"
    default_hint = _("Nothing was published; Keryx tries again shortly.")


class Unconfirmed(OutboundError):
    code = "unconfirmed"
    default_hint = _(
        "Keryx does not send it again by itself: check the account on the network, then mark "
        "the post as published or publish it again."
    )


def _private(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    return not ip.is_global or ip.is_multicast


def check_public_url(url: str) -> str:
    """Refuse a URL a user typed (a Mastodon server, a Bluesky PDS, a webhook) that is not
    ``https://`` or that points into this machine's own networks, so Keryx cannot be made to
    call its own internals. ``KERYX_ALLOW_PRIVATE_URLS`` (development, tests, a self-hosted
    server on the LAN) allows ``http://`` and private addresses. Returns the URL."""
    parts = urlsplit(url.strip())
    allow_private = bool(getattr(settings, "KERYX_ALLOW_PRIVATE_URLS", False))
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise Rejected(gettext("Enter a full address starting with https://."))
    if parts.username or parts.password:
        raise Rejected(gettext("Leave the user name and password out of the address."))
    if allow_private:
        return url.strip()
    if parts.scheme != "https":
        raise Rejected(
            gettext("Use an https:// address; Keryx does not send tokens unencrypted.")
            + " "
            + _private_hint()
        )
    host = parts.hostname
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        raise Rejected(
            gettext("This address points inside your own network; use a public one.")
            + " "
            + _private_hint()
        )
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        infos = []  # not resolvable now: the first request will say so (Unavailable)
    addresses = {info[4][0] for info in infos} | ({host} if _private(host) else set())
    if any(_private(str(a)) for a in addresses):
        raise Rejected(
            gettext("This address points inside your own network; use a public one.")
            + " "
            + _private_hint()
        )
    return url.strip()


def _private_hint() -> str:
    return gettext(
        "For local testing, whoever runs Keryx can allow http:// and private addresses with "
        "the setting KERYX_ALLOW_PRIVATE_URLS=true (see the README)."
    )


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
                # An ISO 8601 time (Mastodon: ``2026-03-02T10:05:00.000000Z``).
                try:
                    when = dt.datetime.fromisoformat(reset.replace("Z", "+00:00"))
                except ValueError:
                    continue
                if when.tzinfo is None:
                    when = when.replace(tzinfo=dt.UTC)
                return max(0.0, when.timestamp() - time.time())
            # An epoch timestamp (X) or a number of seconds (IETF draft).
            return max(0.0, number - time.time()) if number > 1_000_000_000 else number
    return default


def default_timeout() -> httpx.Timeout:
    """Connect in 5 s, read and write in ``KERYX_HTTP_TIMEOUT`` seconds (20)."""
    seconds = float(getattr(settings, "KERYX_HTTP_TIMEOUT", 20.0))
    return httpx.Timeout(connect=5.0, read=seconds, write=seconds, pool=5.0)


@lru_cache(maxsize=1)
def _tls() -> ssl.SSLContext:
    """One TLS context for every client (loading the CA bundle takes a tenth of a second)."""
    return httpx.create_ssl_context()


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
        timeout: httpx.Timeout | None = None,
        transport: httpx.BaseTransport | None = None,
        on_response: Callable[[str, httpx.Response, float], None] | None = None,
    ) -> None:
        self.service = service
        self._on_response = on_response
        self._client = httpx.Client(
            base_url=base_url,
            headers={"User-Agent": USER_AGENT, **(headers or {})},
            timeout=timeout or default_timeout(),
            transport=transport,
            follow_redirects=False,
            verify=_tls(),
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
