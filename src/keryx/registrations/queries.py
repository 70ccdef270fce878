"""Reads, scoped to the workspace. Personal data only with ``registrations.view``."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.errors import NotFound
from keryx.core.search import search_q
from keryx.registrations.enums import EmailStatus, RegistrationStatus
from keryx.registrations.models import RegistrantEmail, Registration
from keryx.seminars.models import Seminar

REGISTERED = RegistrationStatus.REGISTERED


@dataclass(frozen=True)
class Counts:
    registered: int
    confirmed: int
    checked_in: int
    waitlist: int
    cancelled: int
    capacity: int | None
    places_left: int | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def counts_of(seminar: Seminar) -> Counts:
    """Live numbers of a seminar (no personal data)."""
    row = Registration.objects.filter(seminar=seminar).aggregate(
        registered=Count("id", filter=Q(status=REGISTERED)),
        confirmed=Count("id", filter=Q(status=REGISTERED, confirmed_at__isnull=False)),
        checked_in=Count("id", filter=Q(status=REGISTERED, checked_in_at__isnull=False)),
        waitlist=Count("id", filter=Q(status=RegistrationStatus.WAITLISTED)),
        cancelled=Count("id", filter=Q(status=RegistrationStatus.CANCELLED)),
    )
    capacity = seminar.capacity
    left = None if capacity is None else max(0, capacity - row["registered"])
    return Counts(capacity=capacity, places_left=left, **row)


def registrations_of(
    access: Access,
    seminar: Seminar,
    *,
    status: str = "",
    q: str = "",
    confirmed: bool | None = None,
    checked_in: bool | None = None,
    email: str = "",
) -> QuerySet[Registration]:
    access.require(Perm.REGISTRATIONS_VIEW)
    if seminar.workspace_id != access.workspace.pk:
        raise NotFound()
    qs = Registration.objects.filter(seminar=seminar).select_related("checked_in_by")
    if status:
        qs = qs.filter(status=status)
    if q.strip():
        qs = qs.filter(search_q(q, ["name", "email"], exact=["ticket_code"]))
    if confirmed is not None:
        qs = qs.filter(confirmed_at__isnull=not confirmed)
    if checked_in is not None:
        qs = qs.filter(checked_in_at__isnull=not checked_in)
    if email in EMAIL_FILTERS:
        qs = qs.filter(
            Exists(
                RegistrantEmail.objects.filter(EMAIL_FILTERS[email], registration=OuterRef("pk"))
            )
        )
    return qs.order_by("created_at", "id")


# The registrant list's "E-mail" filter: failed, waiting to retry.
EMAIL_FILTERS = {
    "failed": Q(status=EmailStatus.FAILED),
    "retrying": Q(status=EmailStatus.QUEUED, tries__gt=0),
}


@dataclass(frozen=True)
class EmailSummary:
    """The state of a registrant's e-mails that matters most: failed, then waiting to retry,
    then on its way, then sent. ``latest`` is the e-mail it is about."""

    state: str  # "failed" | "retrying" | "queued" | "sent"
    latest: RegistrantEmail
    count: int


def email_summaries(registrations: list[Registration]) -> dict[int, EmailSummary]:
    """One query for a page of registrants."""
    rows = (
        RegistrantEmail.objects.filter(registration__in=registrations)
        .select_related("registration")
        .order_by("queued_at", "id")
    )
    by_registration: dict[int, list[RegistrantEmail]] = {}
    for row in rows:
        by_registration.setdefault(row.registration_id, []).append(row)
    result: dict[int, EmailSummary] = {}
    for registration_id, emails in by_registration.items():
        for state, test in (
            ("failed", lambda e: e.status == EmailStatus.FAILED),
            ("retrying", lambda e: e.status == EmailStatus.QUEUED and e.tries > 0),
            ("queued", lambda e: e.status in (EmailStatus.QUEUED, EmailStatus.SENDING)),
            ("sent", lambda e: True),
        ):
            matching = [e for e in emails if test(e)]
            if matching:
                result[registration_id] = EmailSummary(state, matching[-1], len(emails))
                break
    return result


def emails_of(registration: Registration) -> list[RegistrantEmail]:
    """A registrant's e-mails, newest first (the caller already may see the registrant)."""
    return list(
        RegistrantEmail.objects.filter(registration=registration)
        .select_related("registration")
        .order_by("-queued_at", "-id")
    )


def email_in(registration: Registration, email_id: int) -> RegistrantEmail:
    """One of a registrant's e-mails (the caller already may see the registrant)."""
    email = (
        RegistrantEmail.objects.filter(registration=registration, pk=email_id)
        .select_related("registration")
        .first()
    )
    if email is None:
        raise NotFound()
    return email


def failed_email_count(seminar: Seminar) -> int:
    return RegistrantEmail.objects.filter(
        registration__seminar=seminar, status=EmailStatus.FAILED
    ).count()


def registration_in(access: Access, seminar: Seminar, registration_id: int) -> Registration:
    registration = registrations_of(access, seminar).filter(pk=registration_id).first()
    if registration is None:
        raise NotFound()
    return registration


def public_seminar(slug: str) -> Seminar:
    """A seminar whose organisers published its page; otherwise NotFound."""
    seminar = (
        Seminar.objects.select_related("workspace", "registration_settings")
        .filter(slug=slug, registration_settings__is_public=True)
        .first()
    )
    if seminar is None:
        raise NotFound()
    return seminar


def registration_in_for_checkin(
    access: Access, seminar: Seminar, registration_id: int
) -> Registration:
    access.require(Perm.REGISTRATIONS_CHECKIN)
    registration = Registration.objects.filter(
        seminar=seminar, seminar__workspace=access.workspace, pk=registration_id
    ).first()
    if registration is None:
        raise NotFound()
    return registration
