"""Reads, scoped to the workspace. Personal data only with ``registrations.view``."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.errors import NotFound
from keryx.registrations.enums import RegistrationStatus
from keryx.registrations.models import Registration
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
) -> QuerySet[Registration]:
    access.require(Perm.REGISTRATIONS_VIEW)
    if seminar.workspace_id != access.workspace.pk:
        raise NotFound()
    qs = Registration.objects.filter(seminar=seminar).select_related("checked_in_by")
    if status:
        qs = qs.filter(status=status)
    if q.strip():
        for word in q.split():
            qs = qs.filter(Q(name__icontains=word) | Q(email__icontains=word) | Q(ticket_code=word))
    if confirmed is not None:
        qs = qs.filter(confirmed_at__isnull=not confirmed)
    if checked_in is not None:
        qs = qs.filter(checked_in_at__isnull=not checked_in)
    return qs.order_by("created_at", "id")


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
