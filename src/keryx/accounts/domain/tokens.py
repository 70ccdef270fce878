"""Personal API tokens: ``kx_<prefix>_<secret>``; only a SHA-256 of the secret is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.models import ApiToken, User
from keryx.core.domain.audit import audit_record
from keryx.core.errors import NotFound, ValidationFailed

TOKEN_PREFIX = "kx_"  # noqa: S105 - a prefix, not a secret
_LAST_USED_GRANULARITY = dt.timedelta(minutes=5)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def token_create(
    *, user: User, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token; returns it and the full token string, which is never shown again."""
    name = name.strip()
    if not name:
        raise ValidationFailed(fields={"name": [_("Name the token after what will use it.")]})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailed(fields={"expires_at": [_("The expiry date must be in the future.")]})
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=prefix,
        secret_hash=_digest(secret),
        expires_at=expires_at,
    )
    audit_record(action="api_token.create", actor=user, workspace=None, obj=token)
    return token, f"{TOKEN_PREFIX}{prefix}_{secret}"


def token_revoke(*, user: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(action="api_token.revoke", actor=user, workspace=None, obj=token)
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user a token belongs to, or None for anything unknown, revoked or expired."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix, _sep, secret = raw[len(TOKEN_PREFIX) :].partition("_")
    if not prefix or not secret:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _digest(secret)):
        return None
    now = timezone.now()
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
