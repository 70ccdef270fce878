"""Facebook Pages through Meta's Graph API: the only place its endpoints appear.

:class:`GraphAPI` is the Graph API machinery the three Meta connectors share (Facebook,
Instagram with Facebook Login, Threads on ``graph.threads.net``): every call goes through
:class:`keryx.core.http.OutboundClient`, and every error payload becomes one typed error in
:func:`graph_error`. :class:`FacebookClient` adds the Pages endpoints and Facebook Login.

Documentation behind each payload (fixtures/ keeps a copy of each with its source):

- Pages API, posts: https://developers.facebook.com/docs/pages-api/posts
- Page feed: https://developers.facebook.com/docs/graph-api/reference/page/feed
- Page photos / multi-photo posts: https://developers.facebook.com/docs/graph-api/photo-uploads
- Page published posts: https://developers.facebook.com/docs/graph-api/reference/page/published_posts
- Page insights: https://developers.facebook.com/docs/graph-api/reference/insights
- Handling errors: https://developers.facebook.com/docs/graph-api/guides/error-handling
- Rate limits: https://developers.facebook.com/docs/graph-api/overview/rate-limiting
- Facebook Login (manual flow), long-lived tokens, Page tokens:
  https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow
  https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived
  https://developers.facebook.com/docs/pages/getting-started
"""

from __future__ import annotations

import json
import logging
import ssl
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlencode, urlsplit

import httpx
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

logger = logging.getLogger(__name__)

GRAPH_VERSION = "v25.0"
GRAPH_URL = f"https://graph.facebook.com/{GRAPH_VERSION}"
FACEBOOK_DIALOG_URL = f"https://www.facebook.com/{GRAPH_VERSION}/dialog/oauth"

# Facebook Login permissions for publishing to and reading from Pages the user manages.
PAGE_SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_read_user_engagement",
    "pages_manage_posts",
    "pages_manage_engagement",
    "read_insights",
)

# Codes from "Handling Errors" and "Rate Limits" (Graph API docs).
THROTTLE_CODES = frozenset({4, 17, 32, 341, 613})
BUSINESS_USE_CASE_CODES = range(80001, 80015)  # 80001 Pages ... 80014 catalog batch
AUTH_CODES = frozenset({102, 190})
AUTH_SUBCODES = frozenset({458, 459, 460, 461, 463, 464, 465, 466, 467, 468})
TRANSIENT_CODES = frozenset({1, 2, -1, -2})
# Instagram "reached the maximum number of posts" (code 9) is a quota, not a rejection.
QUOTA_SUBCODES = frozenset({2207042})
DEFAULT_RETRY_AFTER = 600.0


@cache
def _tls_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()


def tls_transport() -> httpx.HTTPTransport:
    """A transport with the one TLS context of the process: loading the CA bundle costs about
    half a second, so each new client must not load it again."""
    return httpx.HTTPTransport(verify=_tls_context())


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


class FacebookClient(GraphAPI):
    """Pages endpoints, with a Page access token."""

    def __init__(self, *, access_token: str = "", transport: httpx.BaseTransport | None = None):
        super().__init__(
            service="Facebook", base_url=GRAPH_URL, access_token=access_token, transport=transport
        )

    # --- Facebook Login ----------------------------------------------------------------------
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

    def page(self, page_id: str) -> dict[str, Any]:
        return self.get(f"/{page_id}", {"fields": "id,name,link,picture{url}"})

    # --- posts ----------------------------------------------------------------------------------
    def upload_unpublished_photo(self, page_id: str, path: Path, mime: str) -> str:
        """Upload a photo without publishing it (``published=false``) and return its id, to be
        attached to a feed post. An unpublished photo is visible to nobody, so this upload is
        safe to repeat after a timeout."""
        with path.open("rb") as handle:
            body = self.post(
                f"/{page_id}/photos",
                {"published": "false"},
                files={"source": (path.name, handle, mime)},
                idempotent=True,
            )
        return str(body["id"])

    def create_feed_post(
        self, page_id: str, *, message: str, link: str = "", photo_ids: Sequence[str] = ()
    ) -> str:
        data: dict[str, Any] = {"message": message}
        if link:
            data["link"] = link
        for index, photo_id in enumerate(photo_ids):
            data[f"attached_media[{index}]"] = json.dumps({"media_fbid": photo_id})
        return str(self.post(f"/{page_id}/feed", data)["id"])

    def post_details(self, post_id: str) -> dict[str, Any]:
        return self.get(f"/{post_id}", {"fields": "id,permalink_url,created_time"})

    def comment(self, object_id: str, message: str) -> str:
        """Comment on a post, or reply to a comment."""
        return str(self.post(f"/{object_id}/comments", {"message": message})["id"])

    def delete_object(self, object_id: str) -> None:
        self.delete(f"/{object_id}")

    def published_posts(self, page_id: str, *, since: int) -> Iterator[dict[str, Any]]:
        return self.pages(
            f"/{page_id}/published_posts",
            {"fields": "id,message,created_time,permalink_url", "since": since, "limit": 50},
        )

    def engagement(self, post_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Reactions, comments and shares of up to 50 posts in one request."""
        body = self.get(
            "/",
            {
                "ids": ",".join(post_ids),
                "fields": "reactions.summary(total_count).limit(0),"
                "comments.summary(total_count).limit(0),shares",
            },
        )
        return {key: value for key, value in body.items() if isinstance(value, dict)}

    def post_insights(self, post_id: str, metrics: Sequence[str]) -> dict[str, int]:
        body = self.get(f"/{post_id}/insights", {"metric": ",".join(metrics)})
        return insight_values(body)

    def recent_posts_with_comments(self, page_id: str, *, limit: int = 25) -> list[dict[str, Any]]:
        fields = (
            "id,permalink_url,comments.filter(stream).order(reverse_chronological).limit(100)"
            "{id,message,created_time,from,permalink_url,parent{id}}"
        )
        body = self.get(f"/{page_id}/published_posts", {"fields": fields, "limit": limit})
        return list(body.get("data") or [])


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
