"""The feedback survey inside the live room (issue 11): after the session — the room archived
or the agenda session over — or whenever the moderator puts it on the screen, the phones and
the presenter screen show the seminar's (or the session's) feedback survey with a QR code. A
registrant recognised by their ticket link gets their personal survey link (their answers
then count for the link that brought them); everyone else the survey's public link."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from keryx.live.enums import Showing
from keryx.live.models import Participant, Room


def survey_shown(room: Room) -> bool:
    if room.showing == Showing.SURVEY or room.archived_at is not None:
        return True
    session = room.session
    return session is not None and session.ends_at <= timezone.now()


def room_survey(room: Room, *, always: bool = False) -> dict[str, Any] | None:
    """``{"url", "title"}`` of the room's feedback survey when it is shown (or ``always``)."""
    if not always and not survey_shown(room):
        return None
    from keryx.surveys.queries import feedback_survey_for

    survey = feedback_survey_for(room.seminar_id, session_id=room.session_id)
    if survey is None:
        return None
    from keryx.surveys.models import text_in

    # In the seminar's language: the same words on every phone and on the screen.
    title = text_in(survey.title, room.seminar.language or "el")
    return {"url": f"/q/{survey.public_code}/", "title": title}


def participant_survey_url(room: Room, participant: Participant) -> str | None:
    """The registrant's personal survey link, if their ticket link recognised them and they
    were invited; otherwise ``None`` (the public link is in the room's state)."""
    if participant.registration_id is None:
        return None
    from keryx.surveys.queries import feedback_survey_for, invitation_token_for

    survey = feedback_survey_for(room.seminar_id, session_id=room.session_id)
    if survey is None:
        return None
    token = invitation_token_for(survey, participant.registration_id)
    return f"/q/p/{token}/" if token else None
