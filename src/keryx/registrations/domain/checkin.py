"""Checking attendees in: by ticket (QR) or by a registration picked from a search.

Several staff may scan at once: the check-in is one conditional UPDATE (``WHERE checked_in_at
IS NULL``), so only the first scan counts; the others are told who checked the person in and
when.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.errors import Conflict, NotFound
from keryx.registrations import signals
from keryx.registrations.domain.tokens import ticket_token_read
from keryx.registrations.enums import RegistrationStatus
from keryx.registrations.models import Registration
from keryx.seminars.models import Seminar

# The short code printed on the ticket (see ``models.new_ticket_code``).
TICKET_CODE = re.compile(r"[A-Za-z0-9]{12}")


@dataclass(frozen=True)
class CheckInOutcome:
    registration: Registration
    already: bool  # True: someone had checked them in before; nothing changed


def registration_by_ticket(*, access: Access, seminar: Seminar, token: str) -> Registration:
    """The registration a ticket names: the QR's signed content, or the short code printed
    under it, typed at the door. Forged, unknown or foreign tickets are refused."""
    access.require(Perm.REGISTRATIONS_CHECKIN)
    typed = "".join(token.split())
    code = ticket_token_read(typed)
    if code is None:
        if not TICKET_CODE.fullmatch(typed):
            raise NotFound(_("This is not a Keryx ticket, or it was altered."))
        code = typed
        if not Registration.objects.filter(
            ticket_code=code, seminar__workspace=access.workspace
        ).exists():
            raise NotFound(
                _(
                    "No ticket has the code %(code)s. Check it letter by letter (capitals "
                    "count) or find the person by name."
                )
                % {"code": code}
            )
    registration = (
        Registration.objects.select_related("seminar")
        .filter(ticket_code=code, seminar__workspace=access.workspace)
        .first()
    )
    if registration is None:
        raise NotFound(_("No registration has this ticket."))
    if registration.seminar_id != seminar.pk:
        raise Conflict(
            _("This ticket is for another seminar: %(title)s.")
            % {"title": registration.seminar.title},
            code="other_seminar",
        )
    return registration


def registration_check_in(*, access: Access, registration: Registration) -> CheckInOutcome:
    access.require(Perm.REGISTRATIONS_CHECKIN)
    now = timezone.now()
    with transaction.atomic():
        updated = Registration.objects.filter(
            pk=registration.pk,
            status=RegistrationStatus.REGISTERED,
            checked_in_at__isnull=True,
        ).update(checked_in_at=now, checked_in_by=access.user, updated_at=now)
        current = Registration.objects.select_related("checked_in_by", "seminar").get(
            pk=registration.pk
        )
        if updated:
            audit_record(
                action="registration.check_in",
                actor=access.user,
                workspace=access.workspace,
                obj=current,
            )
            transaction.on_commit(
                lambda: signals.registration_checked_in.send(
                    sender=Registration, registration=current
                )
            )
            return CheckInOutcome(current, already=False)
    if current.checked_in_at is not None:
        return CheckInOutcome(current, already=True)
    if current.status == RegistrationStatus.WAITLISTED:
        raise Conflict(
            _("%(name)s is on the waiting list and has no place yet.") % {"name": current.name},
            code="waitlisted",
        )
    raise Conflict(
        _("%(name)s cancelled this registration.") % {"name": current.name}, code="cancelled"
    )


def registration_check_in_undo(*, access: Access, registration: Registration) -> Registration:
    """Take back a check-in made by mistake."""
    access.require(Perm.REGISTRATIONS_CHECKIN)
    with transaction.atomic():
        updated = Registration.objects.filter(
            pk=registration.pk, checked_in_at__isnull=False
        ).update(checked_in_at=None, checked_in_by=None, updated_at=timezone.now())
        current = Registration.objects.get(pk=registration.pk)
        if updated:
            audit_record(
                action="registration.check_in_undo",
                actor=access.user,
                workspace=access.workspace,
                obj=current,
            )
    return current
