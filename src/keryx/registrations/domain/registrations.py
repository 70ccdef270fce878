"""Registering, confirming, changing and cancelling; places and the waiting list.

Places are allocated inside one transaction holding a row lock on the seminar's
``RegistrationSettings`` row (``select_for_update``; on SQLite the IMMEDIATE transaction takes
the database's write lock up front, which serialises the same way). So however many people
register at once, exactly ``capacity`` of them get a place and the rest join the waiting list.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record, changes_between, snapshot
from keryx.core.domain.validation import ErrorCollector
from keryx.core.errors import Conflict, NotFound
from keryx.registrations import signals
from keryx.registrations.domain.settings import settings_of
from keryx.registrations.domain.tokens import confirm_token_read
from keryx.registrations.enums import (
    OPTIONAL_FIELDS,
    ConsentKind,
    RegistrationSource,
    RegistrationStatus,
)
from keryx.registrations.models import Consent, Registration, RegistrationSettings
from keryx.seminars.models import Seminar

LINK_CODE = re.compile(r"^[A-Za-z0-9]{1,16}$")
EDITABLE_FIELDS = ("name", *OPTIONAL_FIELDS)
STAFF_EDITABLE_FIELDS = ("name", "email", "language", *OPTIONAL_FIELDS)


def link_code(value: object) -> str:
    """A tracked-link code as the attribution contract defines it, or ``""``."""
    text = str(value or "").strip()
    return text if LINK_CODE.fullmatch(text) else ""


@dataclass
class RegistrantData:
    """What a registrant (or an import row) gives us, already parsed."""

    name: str
    email: str
    language: str
    answers: dict[str, Any] = field(default_factory=dict)
    consents: Sequence[str] = ()
    first_touch_code: str = ""
    last_touch_code: str = ""
    # False: the registrant asked for a place; if none is left, ask before waitlisting them.
    accept_waitlist: bool = True


@dataclass(frozen=True)
class RegisterOutcome:
    registration: Registration
    created: bool  # False: this e-mail was already registered; we sent its link again


def _send(kind: str, registration: Registration) -> None:
    """Record the e-mail (in this transaction) and deliver it once the transaction commits."""
    from keryx.registrations.domain.delivery import registrant_email_queue

    registrant_email_queue(registration=registration, kind=kind)


def _signal(signal: Any, registration: Registration) -> None:
    transaction.on_commit(lambda: signal.send(sender=Registration, registration=registration))


def _clean_answers(
    answers: Mapping[str, Any], row: RegistrationSettings, errors: ErrorCollector
) -> dict[str, Any]:
    """Only the questions this seminar asks; required ones answered; choices valid."""
    clean: dict[str, Any] = {}
    probe = Registration()
    for key in row.optional_fields:
        value = answers.get(key)
        if key == "interests":
            if isinstance(value, str):
                value = [v.strip() for v in value.replace("\n", ",").split(",") if v.strip()]
            value = [str(v).strip()[:60] for v in (value or []) if str(v).strip()][:20]
        else:
            value = str(value or "").strip()
        if key in row.required_fields and not value:
            errors.add(key, _("This field is required."))
        clean[key] = value
        if key != "interests":
            setattr(probe, key, value)
    probe_fields = [k for k in clean if k != "interests"]
    try:
        probe.clean_fields(
            exclude=[f.name for f in Registration._meta.fields if f.name not in probe_fields]
        )
    except ValidationError as exc:
        errors.absorb(exc)
    return clean


def _check_identity(name: str, email: str, errors: ErrorCollector) -> tuple[str, str]:
    name = " ".join(name.split())
    email = email.strip().lower()
    if not name:
        errors.add("name", _("Tell us your name."))
    elif len(name) > 150:
        errors.add("name", _("Use at most %(n)s characters.") % {"n": 150})
    try:
        validate_email(email)
    except ValidationError:
        errors.add(
            "email",
            _("“%(value)s” is not an e-mail address. Check it, e.g. name@example.org.")
            % {"value": email},
        )
    return name, email


def registration_create(
    *,
    seminar: Seminar,
    data: RegistrantData,
    source: str = RegistrationSource.FORM,
    now: dt.datetime | None = None,
) -> RegisterOutcome:
    """Register someone from the public form: a place if one is left, else the waiting list.

    A second registration with the same e-mail creates nothing: the registrant is sent the
    link to their registration again (and told so), so nothing is counted twice.
    """
    now = now or timezone.now()
    row = settings_of(seminar)
    errors = ErrorCollector()
    name, email = _check_identity(data.name, data.email, errors)
    answers = _clean_answers(data.answers, row, errors)
    if ConsentKind.PRIVACY not in data.consents:
        errors.add(
            "consent_privacy",
            _("Please accept the privacy notice: we need it to keep your registration."),
        )
    errors.raise_if_any()

    with transaction.atomic():
        row = RegistrationSettings.objects.select_for_update().get(pk=row.pk)
        if not row.is_public or not row.registration_open:
            raise Conflict(_("Registration for this seminar is closed."), code="closed")
        existing = (
            Registration.objects.filter(seminar=seminar, email=email)
            .exclude(status=RegistrationStatus.CANCELLED)
            .first()
        )
        if existing is not None:
            _send("reminder", existing)
            return RegisterOutcome(registration=existing, created=False)
        capacity = Seminar.objects.filter(pk=seminar.pk).values_list("capacity", flat=True)[0]
        taken = Registration.objects.filter(
            seminar=seminar, status=RegistrationStatus.REGISTERED
        ).count()
        if capacity is None or taken < capacity:
            status = RegistrationStatus.REGISTERED
        elif row.waitlist_enabled:
            if not data.accept_waitlist:
                raise Conflict(
                    _(
                        "The last place was taken a moment ago, while you were filling in the "
                        "form. What you typed is kept below: press “Join the waiting list” and "
                        "we e-mail you as soon as a place frees up."
                    ),
                    code="waitlist_offer",
                )
            status = RegistrationStatus.WAITLISTED
        else:
            raise Conflict(
                _("This seminar is full and has no waiting list. Nothing was saved."),
                code="full",
            )
        registration = Registration.objects.create(
            seminar=seminar,
            status=status,
            source=source,
            name=name,
            email=email,
            language=data.language,
            first_touch_code=link_code(data.first_touch_code),
            last_touch_code=link_code(data.last_touch_code),
            **answers,
        )
        _record_consents(registration, row, data.consents, data.language, now)
        _send("confirm", registration)
        _signal(signals.registration_created, registration)
    return RegisterOutcome(registration=registration, created=True)


def _record_consents(
    registration: Registration,
    row: RegistrationSettings,
    kinds: Sequence[str],
    language: str,
    now: dt.datetime,
) -> None:
    from keryx.registrations.texts import default_privacy_text, marketing_text

    rows = [
        Consent(
            registration=registration,
            kind=ConsentKind.PRIVACY,
            version=row.privacy_version,
            text=row.notice_for(language) or default_privacy_text(registration.seminar),
            language=language,
            accepted_at=now,
        )
    ]
    if row.ask_marketing_consent and ConsentKind.MARKETING in kinds:
        rows.append(
            Consent(
                registration=registration,
                kind=ConsentKind.MARKETING,
                version=row.privacy_version,
                text=str(marketing_text()),
                language=language,
                accepted_at=now,
            )
        )
    Consent.objects.bulk_create(rows)


# --- double opt-in --------------------------------------------------------------------------


@dataclass(frozen=True)
class ConfirmOutcome:
    registration: Registration
    state: str  # "confirmed" | "already" | "expired" | "cancelled"


def registration_confirm(*, token: str, seminar: Seminar) -> ConfirmOutcome:
    """Confirm the e-mail address behind a confirmation link, once.

    A second click finds it confirmed already and changes nothing; an expired link changes
    nothing either and the page offers a new one; a forged link is NotFound.
    """
    row = settings_of(seminar)
    parsed = confirm_token_read(token, max_age=dt.timedelta(hours=row.confirm_within_hours))
    registration = (
        Registration.objects.filter(seminar=seminar, public_id=parsed.public_id).first()
        if parsed
        else None
    )
    if parsed is None or registration is None:
        raise NotFound(
            _("This confirmation link is not valid. Copy the whole link from the e-mail.")
        )
    if registration.status == RegistrationStatus.CANCELLED:
        return ConfirmOutcome(registration, "cancelled")
    if registration.confirmed_at is not None:
        return ConfirmOutcome(registration, "already")
    if parsed.expired:
        return ConfirmOutcome(registration, "expired")
    with transaction.atomic():
        updated = (
            Registration.objects.filter(pk=registration.pk, confirmed_at__isnull=True)
            .exclude(status=RegistrationStatus.CANCELLED)
            .update(confirmed_at=timezone.now(), updated_at=timezone.now())
        )
        registration.refresh_from_db()
        if not updated:
            return ConfirmOutcome(registration, "already")
        _send("ticket" if registration.has_place else "waitlisted", registration)
        _signal(signals.registration_confirmed, registration)
    return ConfirmOutcome(registration, "confirmed")


def registration_resend_confirmation(*, registration: Registration) -> None:
    """Send a fresh confirmation link (the old one expired or got lost)."""
    if registration.status != RegistrationStatus.CANCELLED and registration.confirmed_at is None:
        with transaction.atomic():
            _send("confirm", registration)


# --- changes ----------------------------------------------------------------------------------


def registration_update(
    *,
    registration: Registration,
    fields: Mapping[str, Any],
    access: Access | None = None,
) -> Registration:
    """Change answers: by the registrant (self-service link) or by staff (``access``)."""
    if access is not None:
        access.require(Perm.REGISTRATIONS_MANAGE)
    allowed = STAFF_EDITABLE_FIELDS if access is not None else EDITABLE_FIELDS
    row = settings_of(registration.seminar)
    errors = ErrorCollector()
    name, email = _check_identity(
        str(fields.get("name", registration.name)),
        str(fields.get("email", registration.email)),
        errors,
    )
    answers = _clean_answers(
        {k: fields.get(k, getattr(registration, k)) for k in OPTIONAL_FIELDS}, row, errors
    )
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == RegistrationStatus.CANCELLED and access is None:
            raise Conflict(_("This registration was cancelled; it can no longer be changed."))
        if (
            email != current.email
            and Registration.objects.filter(seminar_id=current.seminar_id, email=email)
            .exclude(status=RegistrationStatus.CANCELLED)
            .exclude(pk=current.pk)
            .exists()
        ):
            errors.add("email", _("Someone is already registered with this e-mail address."))
        if "language" in fields and access is not None:
            current.language = str(fields["language"])
        errors.raise_if_any()
        before = snapshot(current, STAFF_EDITABLE_FIELDS)
        updates = {"name": name, **answers}
        if access is not None:
            updates["email"] = email
        for key, value in updates.items():
            if key in allowed:
                setattr(current, key, value)
        changes = changes_between(before, snapshot(current, STAFF_EDITABLE_FIELDS))
        if changes:
            current.save(update_fields=[*changes, "updated_at"])
            audit_record(
                action="registration.update",
                actor=access.user if access else None,
                workspace=current.seminar.workspace,
                obj=current,
                changes={k: ["…", "…"] for k in changes},  # no personal data in the log
            )
    return current


def registration_cancel(
    *, registration: Registration, access: Access | None = None
) -> Registration:
    """Cancel (the registrant or staff); a freed place goes to the first on the waiting list."""
    if access is not None:
        access.require(Perm.REGISTRATIONS_MANAGE)
    seminar = registration.seminar
    row = settings_of(seminar)
    with transaction.atomic():
        RegistrationSettings.objects.select_for_update().get(pk=row.pk)
        current = Registration.objects.get(pk=registration.pk)
        if current.status == RegistrationStatus.CANCELLED:
            return current
        if current.checked_in_at is not None and access is None:
            raise Conflict(
                _("You have already been checked in, so this can no longer be cancelled.")
            )
        Registration.objects.filter(pk=current.pk).update(
            status=RegistrationStatus.CANCELLED,
            cancelled_at=timezone.now(),
            updated_at=timezone.now(),
        )
        current.refresh_from_db()
        audit_record(
            action="registration.cancel",
            actor=access.user if access else None,
            workspace=seminar.workspace,
            obj=current,
        )
        _send("cancelled", current)
        _signal(signals.registration_cancelled, current)
        _fill_places(seminar)
    return current


def _fill_places(seminar: Seminar) -> list[Registration]:
    """Move people off the waiting list, first come first served, while places are free.

    Call only while holding the settings row lock.
    """
    capacity = Seminar.objects.filter(pk=seminar.pk).values_list("capacity", flat=True)[0]
    taken = Registration.objects.filter(
        seminar=seminar, status=RegistrationStatus.REGISTERED
    ).count()
    free = None if capacity is None else max(0, capacity - taken)
    waiting = Registration.objects.filter(
        seminar=seminar, status=RegistrationStatus.WAITLISTED
    ).order_by("created_at", "id")
    promoted = list(waiting if free is None else waiting[:free])
    now = timezone.now()
    for registration in promoted:
        Registration.objects.filter(pk=registration.pk).update(
            status=RegistrationStatus.REGISTERED, promoted_at=now, updated_at=now
        )
        registration.status = RegistrationStatus.REGISTERED
        registration.promoted_at = now
        _send("promoted", registration)
    return promoted


def registrations_fill_from_waitlist(*, access: Access, seminar: Seminar) -> list[Registration]:
    """After the capacity grew: give the new places to the waiting list now."""
    access.require(Perm.REGISTRATIONS_MANAGE)
    row = settings_of(seminar)
    with transaction.atomic():
        RegistrationSettings.objects.select_for_update().get(pk=row.pk)
        promoted = _fill_places(seminar)
        if promoted:
            audit_record(
                action="registration.fill_from_waitlist",
                actor=access.user,
                workspace=access.workspace,
                obj=seminar,
                changes={"promoted": [None, len(promoted)]},
            )
    return promoted


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return (
        Registration.objects.filter(
            seminar_id=registration.seminar_id,
            status=RegistrationStatus.WAITLISTED,
            created_at__lte=registration.created_at,
        )
        .exclude(created_at=registration.created_at, id__gt=registration.id)
        .count()
    )
