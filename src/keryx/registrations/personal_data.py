"""Personal data of the registrations app: registrants, their consents, the e-mails to them.

A registration is anonymised, not deleted, so the funnel's counts (registrations per link, per
network, check-ins) survive: name, e-mail, profession, organisation, region and interests are
blanked; the status, the source, the tracked-link codes, the coarse age band and gender and the
times stay. A registration to a seminar that has not ended is also cancelled (its place is
freed). Consents and the e-mails' delivery records are deleted.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keryx.core.personal_data import (
    PersonalDataKind,
    Subject,
    delete_records,
    erased_email,
    register,
)
from keryx.registrations.enums import RegistrationStatus
from keryx.registrations.models import Consent, RegistrantEmail, Registration

ERASED_DOMAIN = "@erased.invalid"


def _registrations(subject: Subject) -> QuerySet[Registration]:
    q = Q(pk__in=subject.registration_ids)
    if subject.email:
        q |= Q(email__iexact=subject.email.strip())
    return Registration.objects.filter(q)


def _resolve(subject: Subject) -> Subject:
    rows = list(_registrations(subject).values_list("id", "name"))
    return subject.merged(
        registration_ids=tuple(pk for pk, _name in rows),
        names=tuple(name for _pk, name in rows if name),
    )


def _erase_registrations(records: QuerySet[Registration]) -> int:
    now = timezone.now()
    touched = 0
    for reg in records.select_related("seminar"):
        reg.name = ""
        reg.email = erased_email(reg.pk)
        reg.profession = reg.organisation = reg.region = ""
        reg.interests = []
        fields = ["name", "email", "profession", "organisation", "region", "interests"]
        if reg.status != RegistrationStatus.CANCELLED and reg.seminar.ends_at > now:
            reg.status, reg.cancelled_at = RegistrationStatus.CANCELLED, now
            fields += ["status", "cancelled_at"]
        reg.save(update_fields=[*fields, "updated_at"])
        touched += 1
    # What hangs off an anonymised registration goes with it (also when retention anonymises).
    pks = records.values("pk")
    Consent.objects.filter(registration__in=pks).delete()
    RegistrantEmail.objects.filter(registration__in=pks).delete()
    return touched


def _export_registrations(records: QuerySet[Registration]) -> list[dict[str, Any]]:
    return [
        {
            "id": r.pk,
            "seminar": r.seminar.title,
            "seminar_starts_at": r.seminar.starts_at.isoformat(),
            "status": r.status,
            "name": r.name,
            "email": r.email,
            "language": r.language,
            "profession": r.profession,
            "organisation": r.organisation,
            "age_band": r.age_band,
            "gender": r.gender,
            "region": r.region,
            "interests": r.interests,
            "heard_from": r.heard_from,
            "registered_at": r.created_at.isoformat(),
            "confirmed_at": r.confirmed_at.isoformat() if r.confirmed_at else None,
            "cancelled_at": r.cancelled_at.isoformat() if r.cancelled_at else None,
            "checked_in_at": r.checked_in_at.isoformat() if r.checked_in_at else None,
            "ticket_code": r.ticket_code,
        }
        for r in records.select_related("seminar")
    ]


def _expired_registrations(now: datetime, days: int) -> QuerySet[Registration]:
    return Registration.objects.filter(seminar__ends_at__lt=now - timedelta(days=days)).exclude(
        email__endswith=ERASED_DOMAIN
    )


def _expired_consents(now: datetime, days: int) -> QuerySet[Consent]:
    return Consent.objects.filter(registration__seminar__ends_at__lt=now - timedelta(days=days))


register(
    PersonalDataKind(
        key="registrations.registration",
        model=Registration,
        label=_("Registrations and check-ins"),
        fields=(
            "name",
            "email",
            "profession",
            "organisation",
            "region",
            "interests",
            "age_band",
            "gender",
        ),
        find=_registrations,
        erase=_erase_registrations,
        export=_export_registrations,
        resolve=_resolve,
        workspace_field="seminar__workspace",
        retention_days=730,
        retention_anchor=_expired_registrations,
        notes=_(
            "Anonymised: the counts of the funnel stay. Kept 24 months after the seminar ends."
        ),
    )
)

register(
    PersonalDataKind(
        key="registrations.consent",
        model=Consent,
        label=_("Consents"),
        fields=("kind", "version", "text", "language", "accepted_at", "withdrawn_at"),
        find=lambda subject: Consent.objects.filter(registration_id__in=subject.registration_ids),
        erase=delete_records,
        workspace_field="registration__seminar__workspace",
        retention_days=730,
        retention_anchor=_expired_consents,
        notes=_("The text and version the person agreed to, when, and any withdrawal."),
    )
)

register(
    PersonalDataKind(
        key="registrations.registrantemail",
        model=RegistrantEmail,
        label=_("E-mails to registrants"),
        fields=("kind", "status", "queued_at", "sent_at", "error_detail"),
        find=lambda subject: RegistrantEmail.objects.filter(
            registration_id__in=subject.registration_ids
        ),
        erase=delete_records,
        workspace_field="registration__seminar__workspace",
        retention_days=180,
        retention_anchor="queued_at",
        notes=_("Which e-mails were sent and how delivery went; the texts are not stored."),
    )
)
