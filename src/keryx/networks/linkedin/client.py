"""LinkedIn's versioned REST API (``api.linkedin.com/rest``) and OAuth 2.0: the only place
its endpoints appear. Every REST call carries ``LinkedIn-Version`` (``KERYX_LINKEDIN_VERSION``)
and ``X-Restli-Protocol-Version: 2.0.0``; every error becomes one typed error in
:func:`linkedin_error`.

Documentation behind each payload (fixtures/ keeps a copy of each with its source):

- Posts API: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api
- little text format: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/little-text-format
- Images API: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api
- Social actions (comments, likes): https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/network-update-social-actions
- Comments API: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/comments-api
- Organization share statistics: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/share-statistics
- Organization access control: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-access-control-by-role
- Organization lookup: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-lookup-api
- OAuth 2.0 (3-legged), refresh tokens: https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow
  https://learn.microsoft.com/en-us/linkedin/shared/authentication/programmatic-refresh-tokens
- Sign In with LinkedIn using OpenID Connect (userinfo): https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2
- Error handling: https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling
- Versioning: https://learn.microsoft.com/en-us/linkedin/marketing/versioning
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Self
from urllib.parse import quote, urlencode

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
from keryx.networks.support import tls_transport

API_URL = "https://api.linkedin.com"
AUTHORIZE_URL = "https://www.linkedin.com/oauth/v2/authorization"
TOKEN_URL = "https://www.linkedin.com/oauth/v2/accessToken"  # noqa: S105 (an address)
RESTLI_PROTOCOL = "2.0.0"
VERSION_FORMAT = re.compile(r"^20\d\d(0[1-9]|1[0-2])(\.\d\d)?$")
# Company page roles that may post as the organisation (Organization Access Control).
POSTING_ROLES = frozenset(
    {"ADMINISTRATOR", "CONTENT_ADMINISTRATOR", "DIRECT_SPONSORED_CONTENT_POSTER"}
)


def api_version() -> str:
    version = str(getattr(settings, "KERYX_LINKEDIN_VERSION", "") or "")
    if not VERSION_FORMAT.match(version):
        raise Rejected(
            _(
                "KERYX_LINKEDIN_VERSION must be a LinkedIn API version in YYYYMM form "
                "(for example 202607), not %(value)r."
            )
            % {"value": version}
        )
    return version


def urn_path(urn: str) -> str:
    """A URN as one path segment: ``urn:li:share:1`` → ``urn%3Ali%3Ashare%3A1``."""
    return quote(urn, safe="")


def _seconds_to_utc_midnight(now: dt.datetime | None = None) -> float:
    now = now or dt.datetime.now(dt.UTC)
    tomorrow = (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (tomorrow - now).total_seconds()


def linkedin_error(response: httpx.Response, *, write: bool) -> OutboundError:
    """The typed error for a LinkedIn error response.

    ``{"message", "serviceErrorCode", "status"}`` (and for 422 ``errorDetails.inputErrors``).
    """
    try:
        body = response.json()
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    status = response.status_code
    said = str(body.get("message") or "").strip()
    for error in ((body.get("errorDetails") or {}).get("inputErrors") or [])[:3]:
        description = str(error.get("description") or "").strip()
        field = ((error.get("input") or {}).get("inputPath") or {}).get("fieldPath")
        if description:
            said = f"{said} — {description}" + (f" ({field})" if field else "")
    detail = json.dumps({"status": status, "body": body}, ensure_ascii=False)[:2000]

    if status == 401:
        return AuthExpired(
            _("LinkedIn no longer accepts Keryx's access: %(said)s")
            % {"said": said or _("the access token is not valid.")},
            detail=detail,
            status=status,
        )
    if status == 429:
        wait = retry_after_seconds(response, default=3600.0)
        if not response.headers.get("retry-after") and "DAY" in said.upper():
            wait = _seconds_to_utc_midnight()  # daily limits reset at midnight UTC
        return RateLimited(
            _("LinkedIn asks Keryx to slow down: %(said)s")
            % {"said": said or _("too many requests")},
            retry_after=wait,
            detail=detail,
            status=status,
        )
    if status == 426:
        return Rejected(
            said or f"HTTP {status}",
            detail=detail,
            status=status,
            hint=_(
                "LinkedIn no longer supports API version %(version)s: the administrator must "
                "set KERYX_LINKEDIN_VERSION to a current version (YYYYMM)."
            )
            % {"version": response.request.headers.get("LinkedIn-Version", "?")},
        )
    if status >= 500:
        # 503: the service did not take the request. Any other server error after a write
        # leaves it unknown whether the post was made.
        if write and status != 503:
            return Unconfirmed(
                _(
                    "LinkedIn answered with an error that does not say whether the post was "
                    "made (HTTP %(status)s)."
                )
                % {"status": status},
                detail=detail,
                status=status,
            )
        return Unavailable(
            _("LinkedIn is having trouble: %(said)s") % {"said": said or f"HTTP {status}"},
            detail=detail,
            status=status,
        )
    hint = None
    if status == 403:
        hint = _(
            "Keryx lacks a permission for this: reconnect the account, or ask a page "
            "administrator for a role that can post."
        )
    # The reason is LinkedIn's own words (Rejected.reason), shown as they are.
    return Rejected(said or f"HTTP {status}", detail=detail, status=status, hint=hint)


class LinkedInClient:
    def __init__(self, *, access_token: str = "", transport: httpx.BaseTransport | None = None):
        headers = {"LinkedIn-Version": api_version(), "X-Restli-Protocol-Version": RESTLI_PROTOCOL}
        if access_token:
            headers["Authorization"] = f"Bearer {access_token}"
        self.access_token = access_token
        self._http = OutboundClient(
            service="LinkedIn",
            base_url=API_URL,
            headers=headers,
            transport=transport or tls_transport(),
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _json(self, response: httpx.Response, *, write: bool) -> dict[str, Any]:
        if response.status_code >= 400:
            raise linkedin_error(response, write=write)
        if not response.content:
            return {}
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise (Unconfirmed if write else Unavailable)(
                _("LinkedIn answered in a way Keryx cannot read."),
                detail=response.text[:500],
                status=response.status_code,
            )
        return body

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        return self._json(self._http.get(path, params=params), write=False)

    # --- OAuth 2.0 -----------------------------------------------------------------------------
    @staticmethod
    def authorize_url(
        *, client_id: str, redirect_uri: str, state: str, scopes: Sequence[str]
    ) -> str:
        query = urlencode(
            {
                "response_type": "code",
                "client_id": client_id,
                "redirect_uri": redirect_uri,
                "state": state,
                "scope": " ".join(scopes),
            }
        )
        return f"{AUTHORIZE_URL}?{query}"

    def token(self, form: Mapping[str, str]) -> dict[str, Any]:
        """``{"access_token", "expires_in", "refresh_token"?, "refresh_token_expires_in"?,
        "scope"}`` for an authorisation code or a refresh token."""
        response = self._http.post(
            TOKEN_URL,
            data=dict(form),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            idempotent=True,  # a code or refresh token is never spent twice into two posts
        )
        if 400 <= response.status_code < 500 and response.status_code != 429:
            try:
                body = response.json()
            except ValueError:
                body = {}
            error = str(body.get("error") or "") if isinstance(body, dict) else ""
            description = str(body.get("error_description") or "") if isinstance(body, dict) else ""
            message = _(
                "LinkedIn did not accept the login: %(said)s. Connect the account again."
            ) % {"said": description or error or f"HTTP {response.status_code}"}
            if error == "invalid_grant" and form.get("grant_type") == "refresh_token":
                raise AuthExpired(message, detail=response.text[:500], status=response.status_code)
            raise Rejected(message, detail=response.text[:500], status=response.status_code)
        return self._json(response, write=False)

    def userinfo(self) -> dict[str, Any]:
        """The member: ``{"sub", "name", "picture", …}`` from OpenID Connect's userinfo, or,
        for an app without the OpenID Connect product (a Community Management API app), from
        the lite profile (``r_basicprofile``) in the same shape."""
        try:
            return self.get("/v2/userinfo")
        except Rejected:
            profile = self.get("/v2/me")
            name = " ".join(
                str(profile.get(key) or "") for key in ("localizedFirstName", "localizedLastName")
            ).strip()
            return {"sub": str(profile["id"]), "name": name or str(profile["id"])}

    def administered_organizations(self) -> list[str]:
        """URNs of the organisations the member may post for (approved page roles)."""
        body = self.get(
            "/rest/organizationAcls", {"q": "roleAssignee", "state": "APPROVED", "count": 100}
        )
        urns: list[str] = []
        for element in body.get("elements") or []:
            if element.get("role") in POSTING_ROLES and element.get("organization") not in urns:
                urns.append(str(element["organization"]))
        return urns

    def organization(self, organization_id: str) -> dict[str, Any]:
        return self.get(f"/rest/organizations/{organization_id}")

    # --- images --------------------------------------------------------------------------------
    def upload_image(self, *, owner: str, path: Path, mime: str) -> str:
        """Register an image for ``owner`` and upload its bytes; return its ``urn:li:image``.
        Neither step publishes anything, so both are safe to repeat after a timeout."""
        initialized = self._json(
            self._http.post(
                "/rest/images",
                params={"action": "initializeUpload"},
                json={"initializeUploadRequest": {"owner": owner}},
                idempotent=True,
            ),
            write=False,
        )
        value = initialized.get("value") or {}
        upload_url, image = str(value.get("uploadUrl") or ""), str(value.get("image") or "")
        if not (upload_url.startswith("https://") and image):
            raise Unavailable(
                _("LinkedIn did not give an address to upload the image to."),
                detail=json.dumps(initialized)[:500],
            )
        response = self._http.request(
            "PUT",
            upload_url,
            content=path.read_bytes(),
            headers={"Content-Type": mime},
            idempotent=True,
        )
        if response.status_code >= 400:
            raise linkedin_error(response, write=False)
        return image

    def image_status(self, image_urn: str) -> str:
        return str(self.get(f"/rest/images/{urn_path(image_urn)}").get("status") or "")

    # --- posts ---------------------------------------------------------------------------------
    def create_post(self, body: Mapping[str, Any]) -> str:
        """Create a post and return its URN (the ``x-restli-id`` header)."""
        response = self._http.post("/rest/posts", json=dict(body))
        self._json(response, write=True)
        urn = response.headers.get("x-restli-id", "")
        if not urn:
            raise Unconfirmed(
                _("LinkedIn accepted the post but did not say which post it made."),
                detail=f"HTTP {response.status_code} without x-restli-id",
                status=response.status_code,
            )
        return urn

    def delete_post(self, urn: str) -> None:
        response = self._http.delete(
            f"/rest/posts/{urn_path(urn)}", headers={"X-RestLi-Method": "DELETE"}
        )
        self._json(response, write=False)

    def posts_by_author(self, author: str, *, count: int = 50) -> list[dict[str, Any]]:
        body = self.get(
            "/rest/posts",
            {"author": author, "q": "author", "count": count, "sortBy": "LAST_MODIFIED"},
        )
        return list(body.get("elements") or [])

    # --- social actions ------------------------------------------------------------------------
    def social_actions(self, urn: str) -> dict[str, Any]:
        """``likesSummary`` and ``commentsSummary`` of a post."""
        return self.get(f"/rest/socialActions/{urn_path(urn)}")

    def comments(self, urn: str, *, count: int = 50, start: int = 0) -> list[dict[str, Any]]:
        params = {"count": count, **({"start": start} if start else {})}
        body = self.get(f"/rest/socialActions/{urn_path(urn)}/comments", params)
        return list(body.get("elements") or [])

    def comment(
        self, *, target: str, actor: str, obj: str, text: str, parent: str = ""
    ) -> dict[str, Any]:
        """Comment on ``target`` (a post, or a comment when ``parent`` is set) as ``actor``."""
        body: dict[str, Any] = {"actor": actor, "object": obj, "message": {"text": text}}
        if parent:
            body["parentComment"] = parent
        response = self._http.post(f"/rest/socialActions/{urn_path(target)}/comments", json=body)
        created = self._json(response, write=True)
        if not created.get("id") and response.headers.get("x-restli-id"):
            created["id"] = response.headers["x-restli-id"]
        return created

    def share_statistics(self, organization: str, urns: Sequence[str]) -> list[dict[str, Any]]:
        """Lifetime statistics of an organisation's posts (impressions, clicks, …)."""
        shares = [u for u in urns if u.startswith("urn:li:share:")]
        ugc = [u for u in urns if u.startswith("urn:li:ugcPost:")]
        query = f"q=organizationalEntity&organizationalEntity={urn_path(organization)}"
        if shares:
            query += "&shares=List(" + ",".join(urn_path(u) for u in shares) + ")"
        if ugc:
            query += "&ugcPosts=List(" + ",".join(urn_path(u) for u in ugc) + ")"
        body = self._json(
            self._http.get(f"{API_URL}/rest/organizationalEntityShareStatistics?{query}"),
            write=False,
        )
        return list(body.get("elements") or [])
