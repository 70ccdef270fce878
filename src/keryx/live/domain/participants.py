"""Participants: an anonymous cookie identity per seminar, an optional name, and the
registration whose ticket link brought them (so their ratings count in the funnel)."""

from __future__ import annotations

from keryx.live.models import Participant
from keryx.seminars.models import Seminar


def participant_get(*, seminar: Seminar, key: str) -> Participant | None:
    if not key:
        return None
    return Participant.objects.filter(seminar=seminar, key=key).first()


def participant_join(*, seminar: Seminar, key: str = "", ticket: str = "") -> Participant:
    """The participant behind ``key`` (the cookie) or a new one; a valid ticket token of this
    seminar's registration links them to it."""
    participant = participant_get(seminar=seminar, key=key)
    if participant is None:
        participant = Participant.objects.create(seminar=seminar)
    if ticket and participant.registration_id is None:
        registration = _registration_of(seminar, ticket)
        if registration is not None:
            participant.registration = registration
            if not participant.name:
                participant.name = registration_name(registration)[:80]
            participant.save(update_fields=["registration", "name"])
    return participant


def _registration_of(seminar: Seminar, ticket: str):  # type: ignore[no-untyped-def]
    from keryx.registrations.domain.tokens import manage_token_read
    from keryx.registrations.models import Registration

    public_id = manage_token_read(ticket)
    if public_id is None:
        return None
    return Registration.objects.filter(seminar=seminar, public_id=public_id).first()


def registration_name(registration: object) -> str:
    """The first word of the registrant's name (what the room shows beside a question)."""
    parts = str(getattr(registration, "name", "") or "").split()
    return parts[0] if parts else ""


def participant_rename(*, participant: Participant, name: str) -> Participant:
    participant.name = " ".join(name.split())[:80]
    participant.save(update_fields=["name"])
    return participant
