"""LinkedIn: posts as a member (``urn:li:person``) or as an organisation page
(``urn:li:organization``) through the Posts API, with images, a first comment, comments and
likes through the social actions API, organisation statistics, delete, and OAuth 2.0 with
refresh tokens where LinkedIn grants them.

A connected account: ``remote_id`` is the author URN; ``credentials`` hold the OAuth tokens
(``access_token``, ``expires_at``, and ``refresh_token``/``refresh_token_expires_at`` when
granted) and the granted ``scope``. One authorisation gives the member and every organisation
they may post for, each as its own account sharing the member's tokens.

Commentary is written in LinkedIn's *little* text format: reserved characters are escaped and
hashtags become ``{hashtag|#|tag}`` templates (:func:`to_little`); :func:`from_little` reads it
back for the reconciler.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Sequence
from typing import Any, ClassVar

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.core.http import AuthExpired
from keryx.networks.base import (
    Authorization,
    ConnectedAccount,
    Connector,
    Conversation,
    Metrics,
    OAuthApp,
    Page,
    Published,
    PublishRequest,
    Rejected,
    Unavailable,
    WebhookAnswer,
    WebhookRequest,
)
from keryx.networks.linkedin.client import LinkedInClient
from keryx.networks.linkedin.spec import SPEC
from keryx.networks.support import after_publish, fingerprint_matches, require_app
from keryx.networks.webhooks import delivery_id, linkedin_check, linkedin_handshake

logger = logging.getLogger(__name__)

# Refresh once fewer than this many days remain of the 60-day access token.
REFRESH_WITHIN = dt.timedelta(days=7)

# little text format: reserved characters are escaped with a backslash.
_RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")
_HASHTAG = re.compile(r"(?<![\w&#])#(\w+)")
_LITTLE_HASHTAG = re.compile(r"\{hashtag\|\\?[#＃]\|([^}]*)\}")
_LITTLE_MENTION = re.compile(r"@\[([^\]]*)\]\([^)]*\)")
_LITTLE_ESCAPE = re.compile(r"\\(.)")


def to_little(text: str) -> str:
    """Plain text → little: ``"#Σεμινάριο (Αθήνα)"`` → ``"{hashtag|#|Σεμινάριο} \\(Αθήνα\\)"``."""
    parts: list[str] = []
    position = 0
    for match in _HASHTAG.finditer(text):
        parts.append(_RESERVED.sub(r"\\\1", text[position : match.start()]))
        parts.append("{hashtag|#|" + _RESERVED.sub(r"\\\1", match.group(1)) + "}")
        position = match.end()
    parts.append(_RESERVED.sub(r"\\\1", text[position:]))
    return "".join(parts)


def from_little(text: str) -> str:
    """little → plain text, as a reader sees it."""
    text = _LITTLE_HASHTAG.sub(lambda m: "#" + m.group(1), text)
    text = _LITTLE_MENTION.sub(lambda m: "@" + m.group(1), text)
    return _LITTLE_ESCAPE.sub(r"\1", text)


LINKEDIN_SETTINGS = "KERYX_LINKEDIN_CLIENT_ID and KERYX_LINKEDIN_CLIENT_SECRET"


def linkedin_oauth_app() -> OAuthApp | None:
    client_id = str(getattr(settings, "KERYX_LINKEDIN_CLIENT_ID", "") or "")
    secret = str(getattr(settings, "KERYX_LINKEDIN_CLIENT_SECRET", "") or "")
    return OAuthApp(client_id=client_id, client_secret=secret) if client_id and secret else None


def token_credentials(body: dict[str, Any]) -> tuple[dict[str, Any], dt.datetime | None]:
    now = timezone.now()
    expires_at = now + dt.timedelta(seconds=int(body.get("expires_in") or 0))
    credentials: dict[str, Any] = {
        "access_token": str(body["access_token"]),
        "expires_at": expires_at.isoformat(),
        "scope": str(body.get("scope") or ""),
    }
    if body.get("refresh_token"):
        credentials["refresh_token"] = str(body["refresh_token"])
        lifetime = int(body.get("refresh_token_expires_in") or 0)
        if lifetime:
            credentials["refresh_token_expires_at"] = (
                now + dt.timedelta(seconds=lifetime)
            ).isoformat()
    return credentials, expires_at


def post_url(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{urn}/"


class LinkedInConnector(Connector):
    key = "linkedin"
    label = "LinkedIn"
    capabilities = SPEC.capabilities
    image_poll_attempts: ClassVar[int] = 5
    image_poll_interval: ClassVar[float] = 2.0

    def client(self) -> LinkedInClient:
        return LinkedInClient(access_token=str(self.account.credentials.get("access_token", "")))

    @property
    def author(self) -> str:
        return self.account.remote_id

    @property
    def is_organization(self) -> bool:
        return self.author.startswith("urn:li:organization:")

    def _can_read_posts(self) -> bool:
        scopes = set(str(self.account.credentials.get("scope") or "").replace(",", " ").split())
        return (
            "r_organization_social" in scopes
            if self.is_organization
            else "r_member_social" in scopes
        )

    # --- writing ----------------------------------------------------------------------------
    def publish(self, request: PublishRequest) -> Published:
        self.refuse_unsupported(request)
        # An article card needs a title and thumbnail LinkedIn will not scrape; the link goes
        # into the text, where LinkedIn makes it clickable (docs/decisions/0554).
        text = self.text_with_link(request)
        body: dict[str, Any] = {
            "author": self.author,
            "commentary": to_little(text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        with self.client() as api:
            images = [
                {
                    "id": api.upload_image(owner=self.author, path=m.path, mime=m.mime),
                    "altText": m.alt_text,
                }
                for m in request.media
            ]
            for image in images:
                self._wait_for_image(api, image["id"])
            if len(images) == 1:
                body["content"] = {"media": _without_empty(images[0])}
            elif images:
                body["content"] = {"multiImage": {"images": [_without_empty(i) for i in images]}}
            urn = api.create_post(body)

            extra: dict[str, Any] = {"images": [i["id"] for i in images]}
            if request.first_comment:
                comment = after_publish(
                    extra,
                    "first_comment",
                    lambda: api.comment(
                        target=urn, actor=self.author, obj=urn, text=request.first_comment
                    ),
                )
                if comment:
                    extra["first_comment_id"] = str(
                        comment.get("commentUrn") or comment.get("id") or ""
                    )
        return Published(remote_id=urn, url=post_url(urn), extra=extra)

    def _wait_for_image(self, api: LinkedInClient, image_urn: str) -> None:
        """LinkedIn processes an uploaded image before a post may use it."""
        for attempt in range(self.image_poll_attempts):
            status = api.image_status(image_urn)
            if status == "AVAILABLE":
                return
            if status == "PROCESSING_FAILED":
                raise Rejected(_("LinkedIn could not process the image."))
            if attempt + 1 < self.image_poll_attempts:
                time.sleep(self.image_poll_interval)
        raise Unavailable(_("LinkedIn is still processing the image; Keryx will try again."))

    def find_published(self, fingerprint: str, *, since: dt.datetime) -> Published | None:
        if not self._can_read_posts():
            raise Rejected(
                _(
                    "LinkedIn does not let Keryx read this member's posts, so it cannot check "
                    "whether the post went out. Look at the profile and mark the post by hand."
                )
            )
        since_ms = since.timestamp() * 1000
        with self.client() as api:
            for post in api.posts_by_author(self.author):
                created = post.get("publishedAt") or post.get("createdAt") or 0
                if created < since_ms:
                    continue
                if fingerprint_matches(from_little(str(post.get("commentary") or "")), fingerprint):
                    urn = str(post["id"])
                    return Published(
                        remote_id=urn,
                        url=post_url(urn),
                        published_at=dt.datetime.fromtimestamp(created / 1000, tz=dt.UTC),
                    )
        return None

    def delete(self, remote_id: str) -> None:
        with self.client() as api:
            api.delete_post(remote_id)

    def reply(self, remote_id: str, text: str) -> Published:
        """Comment on a post, or answer a comment (``urn:li:comment:(<post>,<id>)``)."""
        target, obj, parent = remote_id, remote_id, ""
        match = re.fullmatch(r"urn:li:comment:\((urn:li:[^,]+),\d+\)", remote_id)
        if match:
            obj, parent = match.group(1), remote_id
        with self.client() as api:
            created = api.comment(
                target=target, actor=self.author, obj=obj, text=text, parent=parent
            )
        comment_urn = str(
            created.get("commentUrn") or created.get("$URN") or created.get("id") or ""
        )
        return Published(remote_id=comment_urn, url=post_url(obj))

    # --- reading ----------------------------------------------------------------------------
    def fetch_metrics(self, remote_ids: Sequence[str]) -> dict[str, Metrics]:
        metrics: dict[str, Metrics] = {}
        if not self._can_read_posts():
            return metrics  # a member's likes and comments need r_member_social
        with self.client() as api:
            statistics: dict[str, dict[str, Any]] = {}
            if self.is_organization and remote_ids:
                try:
                    for element in api.share_statistics(self.author, remote_ids):
                        key = str(element.get("share") or element.get("ugcPost") or "")
                        statistics[key] = element.get("totalShareStatistics") or {}
                except Rejected as exc:
                    logger.info("no share statistics for %s: %s", self.author, exc.message)
            for urn in remote_ids:
                actions = api.social_actions(urn)
                stats = statistics.get(urn, {})
                likes = (actions.get("likesSummary") or {}).get("totalLikes")
                comments = (actions.get("commentsSummary") or {}).get("aggregatedTotalComments")
                metrics[urn] = Metrics(
                    likes=_int(likes if likes is not None else stats.get("likeCount")),
                    comments=_int(comments if comments is not None else stats.get("commentCount")),
                    shares=_int(stats.get("shareCount")),
                    impressions=_int(stats.get("impressionCount")),
                    reach=_int(stats.get("uniqueImpressionsCount")),
                    clicks=_int(stats.get("clickCount")),
                    raw={"socialActions": actions, "statistics": stats},
                )
        return metrics

    def fetch_conversations(self, since: dt.datetime | None) -> list[Conversation]:
        if not self._can_read_posts():
            return []  # a member's posts cannot be listed without r_member_social
        since_ms = since.timestamp() * 1000 if since else 0
        found: list[Conversation] = []
        with self.client() as api:
            for post in api.posts_by_author(self.author, count=20):
                urn = str(post["id"])
                for comment in api.comments(urn):
                    created_ms = (comment.get("created") or {}).get("time") or 0
                    actor = str(comment.get("actor") or "")
                    if created_ms <= since_ms or actor == self.author:
                        continue
                    parent = str(comment.get("parentComment") or "")
                    found.append(
                        Conversation(
                            remote_id=str(
                                comment.get("commentUrn")
                                or comment.get("$URN")
                                or comment.get("id")
                            ),
                            kind="reply" if parent else "comment",
                            text=from_little(str((comment.get("message") or {}).get("text") or "")),
                            author_name=actor,
                            author_handle=actor,
                            created_at=dt.datetime.fromtimestamp(created_ms / 1000, tz=dt.UTC),
                            url=post_url(urn),
                            in_reply_to=parent or urn,
                            post_remote_id=urn,
                            raw=comment,
                        )
                    )
        found.sort(key=lambda c: c.created_at)
        return found

    COMMENTS_PAGE = 50

    def fetch_comments(self, post_remote_id: str, cursor: str = "") -> Page:
        """``GET /rest/socialActions/{urn}/comments`` paged by ``start`` and ``count`` (the
        cursor is the next ``start``; a short page is the last)."""
        start = int(cursor) if cursor.isdigit() else 0
        with self.client() as api:
            elements = api.comments(post_remote_id, count=self.COMMENTS_PAGE, start=start)
        items = []
        for comment in elements:
            actor = str(comment.get("actor") or "")
            parent = str(comment.get("parentComment") or "")
            created_ms = (comment.get("created") or {}).get("time") or 0
            items.append(
                Conversation(
                    remote_id=str(
                        comment.get("commentUrn") or comment.get("$URN") or comment.get("id")
                    ),
                    kind="reply" if parent else "comment",
                    text=from_little(str((comment.get("message") or {}).get("text") or "")),
                    author_name=actor,
                    author_handle=actor,
                    created_at=dt.datetime.fromtimestamp(created_ms / 1000, tz=dt.UTC),
                    url=post_url(post_remote_id),
                    in_reply_to=parent or post_remote_id,
                    post_remote_id=post_remote_id,
                    raw=comment,
                )
            )
        more = len(elements) >= self.COMMENTS_PAGE
        return Page(tuple(items), cursor=str(start + len(elements)) if more else "")

    @classmethod
    def handle_webhook(
        cls, request: WebhookRequest, *, secret: str, verify_token: str = ""
    ) -> WebhookAnswer:
        """The ``challengeCode`` validation, then ``X-LI-Signature``. A delivery is a
        trigger: the comments themselves are read with the API (pretix's rule)."""
        handshake = linkedin_handshake(request, client_secret=secret)
        if handshake is not None:
            return handshake
        linkedin_check(request, client_secret=secret)
        return WebhookAnswer(delivery=delivery_id(request))

    # --- credentials ------------------------------------------------------------------------
    def refresh_credentials(self) -> ConnectedAccount | None:
        """A new access token from the refresh token once fewer than seven days remain."""
        credentials = self.account.credentials
        expires_at = _parse_iso(credentials.get("expires_at"))
        now = timezone.now()
        if expires_at is not None and expires_at - now > REFRESH_WITHIN:
            return None
        refresh_token = str(credentials.get("refresh_token") or "")
        refresh_expires = _parse_iso(credentials.get("refresh_token_expires_at"))
        if not refresh_token or (refresh_expires is not None and refresh_expires <= now):
            if expires_at is not None and expires_at <= now:
                raise AuthExpired(
                    _("The LinkedIn access token expired on %(date)s.")
                    % {"date": expires_at.date()}
                )
            return None  # LinkedIn gave no refresh token: the account must be reconnected in time
        app = require_app(self.oauth_app(), network=self.label, settings_names=LINKEDIN_SETTINGS)
        with LinkedInClient() as api:
            body = api.token(
                {
                    "grant_type": "refresh_token",
                    "refresh_token": refresh_token,
                    "client_id": app.client_id,
                    "client_secret": app.client_secret,
                }
            )
        fresh, new_expiry = token_credentials(body)
        if "refresh_token" not in fresh:  # LinkedIn keeps the same refresh token
            fresh["refresh_token"] = refresh_token
            if credentials.get("refresh_token_expires_at"):
                fresh["refresh_token_expires_at"] = credentials["refresh_token_expires_at"]
        if not fresh["scope"]:
            fresh["scope"] = credentials.get("scope", "")
        return ConnectedAccount(
            remote_id=self.account.remote_id,
            name=self.account.handle or self.account.remote_id,
            handle=self.account.handle,
            credentials={**credentials, **fresh},
            token_expires_at=new_expiry,
        )

    def verify(self) -> ConnectedAccount:
        credentials = dict(self.account.credentials)
        expires_at = _parse_iso(credentials.get("expires_at"))
        with self.client() as api:
            if self.is_organization:
                details = api.organization(self.author.rsplit(":", 1)[-1])
                return _organization_account(self.author, details, credentials, expires_at)
            member = api.userinfo()
        return _member_account(member, credentials, expires_at)

    @classmethod
    def oauth_app(cls) -> OAuthApp | None:
        return linkedin_oauth_app()

    @classmethod
    def authorize_url(
        cls, *, redirect_uri: str, state: str, base_url: str = "", app: OAuthApp | None = None
    ) -> Authorization:
        app = require_app(
            app or cls.oauth_app(), network=cls.label, settings_names=LINKEDIN_SETTINGS
        )
        scopes = str(getattr(settings, "KERYX_LINKEDIN_SCOPES", "")).split()
        url = LinkedInClient.authorize_url(
            client_id=app.client_id, redirect_uri=redirect_uri, state=state, scopes=scopes
        )
        return Authorization(url=url, state=state)

    @classmethod
    def complete_authorization(
        cls,
        *,
        redirect_uri: str,
        code: str,
        authorization: Authorization,
        base_url: str = "",
        app: OAuthApp | None = None,
    ) -> list[ConnectedAccount]:
        """The member, and every organisation whose page they may post for."""
        app = require_app(
            app or cls.oauth_app(), network=cls.label, settings_names=LINKEDIN_SETTINGS
        )
        with LinkedInClient() as api:
            body = api.token(
                {
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": redirect_uri,
                    "client_id": app.client_id,
                    "client_secret": app.client_secret,
                }
            )
        credentials, expires_at = token_credentials(body)
        scopes = set(credentials["scope"].replace(",", " ").split())
        accounts: list[ConnectedAccount] = []
        with LinkedInClient(access_token=credentials["access_token"]) as api:
            member = api.userinfo()
            if "w_member_social" in scopes or not scopes:
                accounts.append(_member_account(member, dict(credentials), expires_at))
            if scopes & {"rw_organization_admin", "r_organization_admin"}:
                for urn in api.administered_organizations():
                    try:
                        details = api.organization(urn.rsplit(":", 1)[-1])
                    except Rejected as exc:  # a name is nice to have; the URN is enough
                        logger.info("no details for %s: %s", urn, exc.message)
                        details = {}
                    accounts.append(
                        _organization_account(urn, details, dict(credentials), expires_at)
                    )
        if not accounts:
            raise Rejected(
                _(
                    "LinkedIn gave Keryx no profile or page it may post for. Connect again and "
                    "allow every permission asked for."
                )
            )
        return accounts


def _member_account(
    member: dict[str, Any], credentials: dict[str, Any], expires_at: dt.datetime | None
) -> ConnectedAccount:
    return ConnectedAccount(
        remote_id=f"urn:li:person:{member['sub']}",
        name=str(member.get("name") or member["sub"]),
        avatar_url=str(member.get("picture") or ""),
        credentials=credentials,
        token_expires_at=expires_at,
    )


def _organization_account(
    urn: str, details: dict[str, Any], credentials: dict[str, Any], expires_at: dt.datetime | None
) -> ConnectedAccount:
    vanity = str(details.get("vanityName") or "")
    return ConnectedAccount(
        remote_id=urn,
        name=str(details.get("localizedName") or urn),
        handle=vanity,
        profile_url=f"https://www.linkedin.com/company/{vanity}/" if vanity else "",
        credentials=credentials,
        token_expires_at=expires_at,
    )


def _without_empty(image: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in image.items() if value}


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) else None


def _parse_iso(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


CONNECTOR = LinkedInConnector
