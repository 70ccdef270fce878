"""Personal data in core's outbox: the e-mails sent (address, texts) and the unsubscriptions.

Imported by ``CoreConfig.ready`` (core's ``personal_data`` module is the registry itself)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from keryx.core.models import OutboxMessage, Unsubscription
from keryx.core.personal_data import PersonalDataKind, Subject, register


def _find_messages(subject: Subject) -> QuerySet[Any]:
    """E-mails to the person, and e-mails to others that name them (a colleague's notice of a
    new registration, a mention)."""
    if not subject.email and not subject.names:
        return OutboxMessage.objects.none()
    to_them = Q(to_email__iexact=subject.email_folded) if subject.email else Q(pk__in=[])
    return OutboxMessage.objects.filter(
        to_them | subject.mentioned_in("subject", "body_text", "body_html")
    )


def _erase_messages(records: QuerySet[Any]) -> int:
    # Keep the row (a survey's "invited" count survives), drop who and what.
    return records.update(to_email="erased@invalid", subject="", body_text="", body_html="")


def _find_unsubscriptions(subject: Subject) -> QuerySet[Any]:
    if not subject.email:
        return Unsubscription.objects.none()
    return Unsubscription.objects.filter(email_folded=subject.email_folded)


def _erase_unsubscriptions(records: QuerySet[Any]) -> int:
    deleted, _by_model = records.delete()
    return deleted


register(
    PersonalDataKind(
        key="core.outboxmessage",
        model=OutboxMessage,
        label=_("E-mails sent through the outbox"),
        fields=("to_email", "subject", "body_text", "body_html"),
        find=_find_messages,
        erase=_erase_messages,
        retention_days=365,
        retention_anchor="queued_at",
    )
)
register(
    PersonalDataKind(
        key="core.unsubscription",
        model=Unsubscription,
        label=_("Addresses that left a mailing list"),
        fields=("email_folded",),
        find=_find_unsubscriptions,
        erase=_erase_unsubscriptions,
        notes=_("Erasing it means the address may receive that list's e-mails again."),
    )
)
