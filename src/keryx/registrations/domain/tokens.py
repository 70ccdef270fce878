"""Signed tokens in links and tickets: nothing to store, nothing to guess.

* confirmation link: the registration's public id, timestamped (expires);
* self-service link: the public id, signed (valid as long as the registration exists);
* ticket (in the QR code): the ticket code, signed.

Each kind has its own salt, so one kind of token never passes for another.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core import signing

_CONFIRM = "keryx.registrations.confirm"
_MANAGE = "keryx.registrations.manage"
_TICKET = "keryx.registrations.ticket"


@dataclass(frozen=True)
class ConfirmToken:
    public_id: uuid.UUID
    expired: bool


def confirm_token_make(public_id: uuid.UUID) -> str:
    return signing.TimestampSigner(salt=_CONFIRM).sign(public_id.hex)


def confirm_token_read(token: str, *, max_age: dt.timedelta) -> ConfirmToken | None:
    """The registration a confirmation token names, and whether it is past ``max_age``."""
    signer = signing.TimestampSigner(salt=_CONFIRM)
    try:
        value = signer.unsign(token, max_age=max_age)
        expired = False
    except signing.SignatureExpired:
        try:
            value = signer.unsign(token)
        except signing.BadSignature:
            return None
        expired = True
    except signing.BadSignature:
        return None
    public_id = _uuid(value)
    return ConfirmToken(public_id=public_id, expired=expired) if public_id else None


def manage_token_make(public_id: uuid.UUID) -> str:
    return signing.Signer(salt=_MANAGE).sign(public_id.hex)


def manage_token_read(token: str) -> uuid.UUID | None:
    try:
        return _uuid(signing.Signer(salt=_MANAGE).unsign(token))
    except signing.BadSignature:
        return None


def ticket_token_make(ticket_code: str) -> str:
    return signing.Signer(salt=_TICKET).sign(ticket_code)


def ticket_token_read(token: str) -> str | None:
    try:
        return signing.Signer(salt=_TICKET).unsign(token.strip())
    except signing.BadSignature:
        return None


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(hex=value)
    except ValueError:
        return None
