"""Meta's Graph API, shared by the three Meta connectors (Facebook, Instagram with Facebook
Login, Threads on ``graph.threads.net``): the client machinery (:class:`GraphAPI`, paging),
the one mapping of Graph error payloads to typed errors (:func:`graph_error`), insights,
Graph times, media addresses Meta downloads from, container polling and the publishing-quota
answer Instagram and Threads share, and the Meta developer app from settings. A Meta network's
package imports this module, never another network's package (decision 0560).

- Handling errors: https://developers.facebook.com/docs/graph-api/guides/error-handling
- Rate limits: https://developers.facebook.com/docs/graph-api/overview/rate-limiting
- Paging: https://developers.facebook.com/docs/graph-api/results
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Self
from urllib.parse import quote, urlencode, urlsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from keryx.core.http import (
    AuthExpired,
    OutboundClient,
    OutboundError,
    RateLimited,
    Rejected,
    Unavailable,
    Unconfirmed,
    retry_after_seconds,
)
from keryx.networks.base import Conversation, OAuthApp, WebhookAnswer, WebhookRequest
from keryx.networks.support import tls_transport
from keryx.networks.webhooks import delivery_id, meta_check, meta_handshake

logger = logging.getLogger(__name__)


GRAPH_VERSION = "v25.0"


GRAPH_URL = f"https://graph.facebook.com/{GRAPH_VERSION}"


# Codes from "Handling Errors" and "Rate Limits" (Graph API docs).
THROTTLE_CODES = frozenset({4, 17, 32, 341, 613})


BUSINESS_USE_CASE_CODES = range(80001, 80015)  # 80001 Pages ... 80014 catalog batch


AUTH_CODES = frozenset({102, 190})


AUTH_SUBCODES = frozenset({458, 459, 460, 461, 463, 464, 465, 466, 467, 468})


TRANSIENT_CODES = frozenset({1, 2, -1, -2})


# Instagram "reached the maximum number of posts" (code 9) is a quota, not a rejection.
QUOTA_SUBCODES = frozenset({2207042})


DEFAULT_RETRY_AFTER = 600.0


def _graph_error_body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def _plain(message: str) -> str:
    """``"(#100) Invalid parameter"`` → ``"Invalid parameter"``."""
    message = message.strip()
    if message.startswith("(#") and ")" in message:
        message = message.split(")", 1)[1].strip()
    return message


def usage_retry_after(response: httpx.Response) -> float | None:
    """Seconds until access returns, from ``X-Business-Use-Case-Usage`` (minutes, per business
    object) or a ``Retry-After`` header; None when Meta said nothing."""
    raw = response.headers.get("x-business-use-case-usage")
    minutes: list[float] = []
    if raw:
        try:
            usage = json.loads(raw)
        except ValueError:
            usage = {}
        if isinstance(usage, dict):
            for entries in usage.values():
                for entry in entries if isinstance(entries, list) else []:
                    value = (
                        entry.get("estimated_time_to_regain_access")
                        if isinstance(entry, dict)
                        else None
                    )
                    if isinstance(value, int | float) and value > 0:
                        minutes.append(float(value))
    if minutes:
        return max(minutes) * 60.0
    if response.headers.get("retry-after"):
        return retry_after_seconds(response)
    return None


def graph_error(response: httpx.Response, *, service: str, write: bool) -> OutboundError:
    """The typed error for a Graph API error response.

    ``write`` is True for a request that may have made something public (a post, a comment):
    when such a request fails in a way that does not say whether it was done (a 5xx, an
    "unknown" or "service" error), the answer is :class:`Unconfirmed`, never a retry.
    """
    error = _graph_error_body(response)
    code = error.get("code")
    subcode = error.get("error_subcode")
    said = _plain(str(error.get("error_user_msg") or error.get("message") or ""))
    detail = json.dumps({"status": response.status_code, "error": error}, ensure_ascii=False)
    status = response.status_code

    if code in AUTH_CODES or subcode in AUTH_SUBCODES:
        reason = {
            458: _("Keryx is no longer authorised by this account."),
            459: _("the account must log in to the network and clear a security check."),
            460: _("the account's password was changed."),
            463: _("the access token has expired."),
            464: _("the account is not confirmed."),
            467: _("the person logged out or revoked access."),
        }.get(
            subcode if isinstance(subcode, int) else 0, said or _("the access token is not valid.")
        )
        return AuthExpired(
            _("%(service)s no longer accepts Keryx's access: %(reason)s")
            % {"service": service, "reason": reason},
            detail=detail,
            status=status,
        )
    if (
        subcode in QUOTA_SUBCODES
        or code in THROTTLE_CODES
        or (isinstance(code, int) and code in BUSINESS_USE_CASE_CODES)
    ):
        if code == 4 and subcode == 2207051:  # Instagram's anti-spam restriction is a rejection
            return Rejected(said, detail=detail, status=status)
        wait = usage_retry_after(response)
        if subcode in QUOTA_SUBCODES:
            wait = wait or 3600.0
        return RateLimited(
            _("%(service)s asks Keryx to slow down: %(said)s")
            % {"service": service, "said": said or _("too many requests")},
            retry_after=wait if wait is not None else DEFAULT_RETRY_AFTER,
            detail=detail,
            status=status,
        )
    if status == 429:
        wait = usage_retry_after(response)
        return RateLimited(
            _("%(service)s asks Keryx to slow down.") % {"service": service},
            retry_after=wait if wait is not None else DEFAULT_RETRY_AFTER,
            detail=detail,
            status=status,
        )
    if error and (code in TRANSIENT_CODES or error.get("is_transient") is True):
        # Meta's own structured answer: nothing was done, "wait and retry the operation".
        return Unavailable(
            _("%(service)s is having trouble: %(said)s")
            % {"service": service, "said": said or f"HTTP {status}"},
            detail=detail,
            status=status,
        )
    if status >= 500 or not error:
        # A bare server error (a gateway's 502 or 504) may come after the request was done:
        # for a write that is Unconfirmed, unless the server says it did not take it (503).
        if write and status != 503:
            return Unconfirmed(
                _(
                    "%(service)s answered with an error that does not say whether the post was "
                    "made (HTTP %(status)s)."
                )
                % {"service": service, "status": status},
                detail=detail,
                status=status,
            )
        return Unavailable(
            _("%(service)s is having trouble (HTTP %(status)s).")
            % {"service": service, "status": status},
            detail=detail,
            status=status,
        )
    hint: str | None = None
    if code == 368:
        hint = _(
            "The account is blocked from posting for a while for a policy reason; wait, check "
            "the account on the network, then publish again."
        )
    elif code == 506:
        hint = _("It duplicates a recent post: change the text, then publish again.")
    elif code == 1609005:
        hint = _("The link could not be read: check the address, then publish again.")
    elif code == 10 or (isinstance(code, int) and 200 <= code <= 299):
        hint = _(
            "Keryx lacks a permission: reconnect the account and grant every permission it "
            "asks for."
        )
    # The reason is the network's own words (Rejected.reason), shown to the user as they are.
    return Rejected(said or f"HTTP {status}", detail=detail, status=status, hint=hint)


class GraphAPI:
    """One Meta Graph API host (``graph.facebook.com`` or ``graph.threads.net``).

    Reads are GETs with the token as the ``access_token`` parameter, writes are form POSTs with
    the token in the body, as the Graph API documentation shows them. A write is *not*
    idempotent unless the caller says so: a timeout after sending it raises ``Unconfirmed``.
    """

    def __init__(
        self,
        *,
        service: str,
        base_url: str,
        access_token: str = "",
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.service = service
        self.base_url = base_url.rstrip("/")
        self.access_token = access_token
        self._http = OutboundClient(
            service=service, base_url=self.base_url, transport=transport or tls_transport()
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check(self, response: httpx.Response, *, write: bool) -> dict[str, Any]:
        if response.status_code >= 400:
            raise graph_error(response, service=self.service, write=write)
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            raise graph_error(response, service=self.service, write=write)
        if not isinstance(body, dict):
            if write:
                raise Unconfirmed(
                    _("%(service)s answered in a way Keryx cannot read.")
                    % {"service": self.service},
                    detail=response.text[:500],
                    status=response.status_code,
                )
            raise Unavailable(
                _("%(service)s answered in a way Keryx cannot read.") % {"service": self.service},
                detail=response.text[:500],
                status=response.status_code,
            )
        return body

    def get(
        self, path: str, params: Mapping[str, Any] | None = None, *, token: str = ""
    ) -> dict[str, Any]:
        query = {**(params or {}), "access_token": token or self.access_token}
        return self._check(self._http.get(path, params=query), write=False)

    def post(
        self,
        path: str,
        data: Mapping[str, Any] | None = None,
        *,
        files: Mapping[str, Any] | None = None,
        idempotent: bool = False,
        token: str = "",
    ) -> dict[str, Any]:
        form = {k: v for k, v in (data or {}).items() if v is not None}
        form["access_token"] = token or self.access_token
        response = self._http.post(path, data=form, files=files, idempotent=idempotent)
        return self._check(response, write=not idempotent)

    def delete(self, path: str) -> dict[str, Any]:
        response = self._http.delete(path, params={"access_token": self.access_token})
        return self._check(response, write=False)

    def pages(
        self, path: str, params: Mapping[str, Any] | None = None, *, max_pages: int = 5
    ) -> Iterator[dict[str, Any]]:
        """Every item of a paged edge, following ``paging.next`` on this host only."""
        body = self.get(path, params)
        host = urlsplit(self.base_url).netloc
        for _page in range(max_pages):
            yield from body.get("data") or []
            next_url = (body.get("paging") or {}).get("next")
            if not next_url or urlsplit(next_url).netloc != host:
                return
            # ``next`` already carries the query, token included.
            body = self._check(self._http.get(next_url), write=False)

    def one_page(
        self, path: str, params: Mapping[str, Any] | None = None, *, cursor: str = ""
    ) -> tuple[list[dict[str, Any]], str]:
        """One page of a paged edge and the cursor of the next (``paging.cursors.after``
        when ``paging.next`` says there is more; empty on the last page). Graph API paging:
        https://developers.facebook.com/docs/graph-api/results"""
        query = dict(params or {})
        if cursor:
            query["after"] = cursor
        body = self.get(path, query)
        paging = body.get("paging") or {}
        after = str((paging.get("cursors") or {}).get("after") or "") if paging.get("next") else ""
        return list(body.get("data") or []), after


def exchange_error(response: httpx.Response, service: str) -> OutboundError:
    error = graph_error(response, service=service, write=False)
    if isinstance(error, AuthExpired | RateLimited | Unavailable):
        return error
    # A refused code exchange means the login must be done again.
    return Rejected(
        _("%(service)s did not accept the login: %(said)s. Connect the account again.")
        % {"service": service, "said": error.message},
        detail=error.detail,
        status=error.status,
    )


def insight_values(body: Mapping[str, Any]) -> dict[str, int]:
    """``{"data": [{"name": "reach", "values": [{"value": 12}]}]}`` (or ``total_value``) →
    ``{"reach": 12}``."""
    values: dict[str, int] = {}
    for item in body.get("data") or []:
        name = item.get("name")
        value: Any = None
        if isinstance(item.get("total_value"), dict):
            value = item["total_value"].get("value")
        elif item.get("values"):
            value = item["values"][-1].get("value")
        if isinstance(name, str) and isinstance(value, int | float):
            values[name] = int(value)
    return values


def parse_graph_time(value: Any) -> dt.datetime | None:
    """``2026-11-28T05:09:24+0000`` (Graph API) → an aware datetime."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def unix(moment: dt.datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp())


_PRIVATE_HOSTS = re.compile(
    r"^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[?::1\]?$|0\.0\.0\.0)"
)


def public_media_url(path: Path, *, network: str) -> str:
    """The address at which the network can download a media file Keryx stores.

    Instagram and Threads do not take uploads: they fetch each image from a public URL, so
    Keryx must be reachable from the internet at ``KERYX_BASE_URL`` and serve ``MEDIA_URL``
    without login (docs/networks/instagram.md).
    """
    base = settings.KERYX_BASE_URL.rstrip("/")
    host = urlsplit(base).hostname or ""
    if not base.startswith("https://") or _PRIVATE_HOSTS.match(host):
        raise Rejected(
            _(
                "%(network)s downloads images from Keryx, but Keryx's address (%(base)s) is not "
                "a public https address. Set KERYX_BASE_URL to the address at which the "
                "internet reaches Keryx."
            )
            % {"network": network, "base": base}
        )
    media_root = Path(settings.MEDIA_ROOT).resolve()
    try:
        relative = path.resolve().relative_to(media_root)
    except ValueError:
        raise Rejected(
            _("The image %(name)s is not in Keryx's media library.") % {"name": path.name}
        ) from None
    media_url = (
        settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else f"/{settings.MEDIA_URL}"
    )
    return f"{base}{media_url.rstrip('/')}/{quote(relative.as_posix())}"


META_SETTINGS = "KERYX_META_APP_ID and KERYX_META_APP_SECRET"


def meta_oauth_app() -> OAuthApp | None:
    """The Meta developer app (Facebook Login, also for Instagram) from settings."""
    app_id = str(getattr(settings, "KERYX_META_APP_ID", "") or "")
    secret = str(getattr(settings, "KERYX_META_APP_SECRET", "") or "")
    return OAuthApp(client_id=app_id, client_secret=secret) if app_id and secret else None


def wait_until_finished(
    status: Callable[[str], dict[str, Any]],
    container_id: str,
    *,
    network: str,
    attempts: int,
    interval: float,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Poll a container until it is ``FINISHED``, at most ``attempts`` times.

    Nothing is public yet, so every outcome here is safe: ``ERROR`` is a rejection with
    Instagram's reason, ``EXPIRED`` or still ``IN_PROGRESS`` after the wait is
    :class:`Unavailable` (a new try makes new containers).
    """
    for attempt in range(attempts):
        body = status(container_id)
        code = str(body.get("status_code") or body.get("status") or "")
        if code in {"FINISHED", "PUBLISHED"}:
            return
        if code == "ERROR":
            raise Rejected(
                _("%(network)s could not process the media: %(reason)s")
                % {
                    "network": network,
                    "reason": _container_error(body),
                }
            )
        if code == "EXPIRED":
            raise Unavailable(
                _("%(network)s let the prepared media expire; it will be prepared again.")
                % {"network": network}
            )
        if attempt + 1 < attempts:
            sleep(interval)
    raise Unavailable(
        _("%(network)s is still processing the media; Keryx will try again.") % {"network": network}
    )


def publishing_quota_reached(limit: dict[str, Any]) -> tuple[int, int] | None:
    """``(posts, hours)`` when a ``content_publishing_limit`` answer (Instagram and Threads
    give the same shape) says the account has used its whole quota, else ``None``."""
    usage = limit.get("quota_usage")
    config = limit.get("config") or {}
    total = config.get("quota_total")
    if isinstance(usage, int) and isinstance(total, int) and usage >= total:
        return usage, int(config.get("quota_duration") or 86400) // 3600
    return None


def _container_error(body: dict[str, Any]) -> str:
    """Instagram puts the reason in ``status`` (next to ``status_code``); Threads in
    ``error_message`` (next to ``status``)."""
    if body.get("error_message"):
        return str(body["error_message"])
    if body.get("status_code") and body.get("status"):
        return str(body["status"])
    return "ERROR"


FACEBOOK_DIALOG_URL = f"https://www.facebook.com/{GRAPH_VERSION}/dialog/oauth"


class FacebookLogin(GraphAPI):
    """Facebook Login (the manual flow), which Facebook Pages and Instagram share:
    https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow"""

    def __init__(self, *, access_token: str = "", transport: httpx.BaseTransport | None = None):
        super().__init__(
            service="Facebook", base_url=GRAPH_URL, access_token=access_token, transport=transport
        )

    @staticmethod
    def dialog_url(*, app_id: str, redirect_uri: str, state: str, scopes: Sequence[str]) -> str:
        query = urlencode(
            {
                "client_id": app_id,
                "redirect_uri": redirect_uri,
                "state": state,
                "response_type": "code",
                "scope": ",".join(scopes),
            }
        )
        return f"{FACEBOOK_DIALOG_URL}?{query}"

    def exchange_code(
        self, *, app_id: str, app_secret: str, redirect_uri: str, code: str
    ) -> dict[str, Any]:
        """``{"access_token", "token_type", "expires_in"}`` for a short-lived User token."""
        response = self._http.get(
            "/oauth/access_token",
            params={
                "client_id": app_id,
                "client_secret": app_secret,
                "redirect_uri": redirect_uri,
                "code": code,
            },
        )
        if response.status_code >= 400:
            raise exchange_error(response, self.service)
        return self._check(response, write=False)

    def long_lived_user_token(self, *, app_id: str, app_secret: str, token: str) -> dict[str, Any]:
        response = self._http.get(
            "/oauth/access_token",
            params={
                "grant_type": "fb_exchange_token",
                "client_id": app_id,
                "client_secret": app_secret,
                "fb_exchange_token": token,
            },
        )
        if response.status_code >= 400:
            raise exchange_error(response, self.service)
        return self._check(response, write=False)

    def managed_pages(self, *, user_token: str, fields: str) -> list[dict[str, Any]]:
        """The Pages the person can act for, each with its Page access token
        (``GET /me/accounts``)."""
        self.access_token = user_token
        return list(self.pages("/me/accounts", {"fields": fields, "limit": 100}))


def facebook_user_token(*, redirect_uri: str, code: str, app: OAuthApp) -> str:
    """The long-lived User token for an authorisation code (Facebook Login)."""
    with FacebookLogin() as api:
        short = api.exchange_code(
            app_id=app.client_id,
            app_secret=app.client_secret,
            redirect_uri=redirect_uri,
            code=code,
        )
        long = api.long_lived_user_token(
            app_id=app.client_id,
            app_secret=app.client_secret,
            token=str(short["access_token"]),
        )
    return str(long["access_token"])


def meta_webhook(
    request: WebhookRequest,
    *,
    app_secret: str,
    verify_token: str,
    items: Callable[[dict[str, Any]], list[Conversation]],
) -> WebhookAnswer:
    """A Meta webhook (Facebook Pages ``feed``, Instagram ``comments`` and ``mentions``): the
    ``hub.challenge`` handshake, then ``X-Hub-Signature-256``, then the delivery's items
    (https://developers.facebook.com/docs/graph-api/webhooks/getting-started)."""
    handshake = meta_handshake(request, verify_token=verify_token)
    if handshake is not None:
        return handshake
    meta_check(request, app_secret=app_secret)
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = {}
    found: list[Conversation] = []
    for entry in body.get("entry") or [] if isinstance(body, dict) else []:
        for change in entry.get("changes") or []:
            found += items({**change, "_account": str(entry.get("id") or "")})
    return WebhookAnswer(delivery=delivery_id(request), items=tuple(found))
