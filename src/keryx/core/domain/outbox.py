"""The outbox: one service every e-mail goes through (decision 0850).

Callers write the message in the recipient's language (``translation.override``) and call
:func:`outbox_queue` inside the transaction that decides to send it; the row is delivered after
commit by core's :class:`~keryx.core.domain.delivery.DeliveryEngine`. Mail that belongs to a
list (``list_key``: survey invitations and reminders, announcements, digests) carries an
unsubscribe link in its body and the ``List-Unsubscribe`` / ``List-Unsubscribe-Post`` headers
(RFC 2369, RFC 8058); an address that left the list gets a row marked ``unsubscribed`` instead
of an e-mail, so staff see why. Transactional mail (a ticket, a confirmation link) has no list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone

from keryx.core.domain.delivery import DeliveryEngine, SweepReport
from keryx.core.models import OutboxMessage, OutboxStatus, Unsubscription

SALT = "keryx.outbox.unsubscribe"
_LIST_LABELS: dict[str, Callable[[str], str]] = {}


def register_list_label(prefix: str, label: Callable[[str], str]) -> None:
    """An app names its lists for the unsubscribe page: ``label(list_key)`` for every key
    ``<prefix>:…`` (called with the reader's language active)."""
    _LIST_LABELS[prefix] = label


def list_label(list_key: str) -> str:
    label = _LIST_LABELS.get(list_key.split(":", 1)[0])
    return label(list_key) if label is not None else ""


# --- unsubscribing --------------------------------------------------------------------------


def unsubscribe_token(email: str, list_key: str) -> str:
    return signing.Signer(salt=SALT).sign_object(
        [email.strip().casefold(), list_key], compress=True
    )


def unsubscribe_url(email: str, list_key: str) -> str:
    return f"{settings.KERYX_BASE_URL}/unsubscribe/{unsubscribe_token(email, list_key)}/"


def unsubscribe_parse(token: str) -> tuple[str, str] | None:
    """(folded address, list key), or None for a token Keryx did not sign."""
    try:
        email, list_key = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return str(email), str(list_key)


def is_unsubscribed(email: str, list_key: str) -> bool:
    return (
        bool(list_key)
        and Unsubscription.objects.filter(
            email_folded=email.strip().casefold(), list_key=list_key
        ).exists()
    )


def outbox_unsubscribe(*, email: str, list_key: str) -> bool:
    """Leave a list; True if the address was on it. Messages of that list still waiting are
    not sent. Safe to run twice (a mail client's one-click POST, then the page's button)."""
    folded = email.strip().casefold()
    try:
        with transaction.atomic():
            Unsubscription.objects.create(email_folded=folded, list_key=list_key)
    except IntegrityError:
        return False
    OutboxMessage.objects.filter(
        to_email__iexact=folded, list_key=list_key, status=OutboxStatus.QUEUED
    ).update(status=OutboxStatus.UNSUBSCRIBED)
    return True


# --- queueing -------------------------------------------------------------------------------


def outbox_queue(
    *,
    to: str,
    language: str,
    kind: str,
    subject: str,
    text: str,
    html: str = "",
    list_key: str = "",
    ref: str = "",
    workspace_id: int | None = None,
    now: dt.datetime | None = None,
) -> OutboxMessage:
    """Record one e-mail and queue its delivery once the transaction commits. The texts are
    final (already in ``language``); a list message's body should show
    :func:`unsubscribe_url` — the headers are added at sending."""
    now = now or timezone.now()
    unsubscribed = is_unsubscribed(to, list_key)
    row = OutboxMessage.objects.create(
        workspace_id=workspace_id,
        kind=kind,
        ref=ref,
        to_email=to,
        language=language,
        list_key=list_key,
        subject=subject[:250],
        body_text=text,
        body_html=html,
        status=OutboxStatus.UNSUBSCRIBED if unsubscribed else OutboxStatus.QUEUED,
        queued_at=now,
        next_try_at=now,
        enqueued_at=now,
    )
    if not unsubscribed:
        ENGINE.enqueue_on_commit(row.pk)
    return row


# --- delivering -----------------------------------------------------------------------------


def outbox_message(row: OutboxMessage) -> EmailMessage:
    headers = {"Message-ID": row.message_id, "Content-Language": row.language}
    if row.list_key:
        url = unsubscribe_url(row.to_email, row.list_key)
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=row.subject, body=row.body_text, to=[row.to_email], headers=headers
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    return message


def _enqueue(pk: int, eta: dt.datetime | None = None) -> None:
    from keryx.core.tasks import deliver_outbox_message

    if eta is not None:
        deliver_outbox_message.schedule(args=(pk,), eta=eta)
    else:
        deliver_outbox_message(pk)


ENGINE = DeliveryEngine(
    model=OutboxMessage,
    compose=outbox_message,
    enqueue=_enqueue,
    retry_setting="KERYX_OUTBOX_RETRY_MINUTES",
    name="outbox e-mail",
)


def outbox_deliver(*, pk: int, worker: str = "", now: dt.datetime | None = None) -> str:
    row = OutboxMessage.objects.filter(pk=pk).only("to_email", "list_key", "status").first()
    if (
        row is not None
        and row.status == OutboxStatus.QUEUED
        and is_unsubscribed(row.to_email, row.list_key)
    ):
        OutboxMessage.objects.filter(pk=pk, status=OutboxStatus.QUEUED).update(
            status=OutboxStatus.UNSUBSCRIBED
        )
        return "unsubscribed"
    return ENGINE.deliver(pk=pk, worker=worker, now=now)


def outbox_sweep(*, now: dt.datetime | None = None) -> SweepReport:
    return ENGINE.sweep(now=now)


def outbox_retry(*, message: OutboxMessage, now: dt.datetime | None = None) -> bool:
    """Staff's "Send again" for a failed message: a fresh series of tries."""
    if message.status != OutboxStatus.FAILED:
        return False
    return ENGINE.retry_row(message, now=now or timezone.now())
