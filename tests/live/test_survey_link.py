"""The feedback survey inside the live room (issue 11): shown when the moderator chooses it
or after the session, on phones and on the presenter screen with its QR code; a registrant
recognised by their ticket link gets their personal survey link."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from keryx.live.domain.polls import room_show
from keryx.live.domain.rooms import room_open
from keryx.live.results import room_state
from keryx.surveys.enums import SurveyKind
from keryx.surveys.models import Invitation, Survey

pytestmark = pytest.mark.django_db


def _feedback(seminar, **extra) -> Survey:  # type: ignore[no-untyped-def]
    return Survey.objects.create(
        workspace=seminar.workspace,
        seminar=seminar,
        kind=SurveyKind.FEEDBACK,
        title={"el": "Πώς σας φάνηκε;", "en": "How was it?"},
        **extra,
    )


def _state(page: str) -> dict:  # type: ignore[type-arg]
    found = re.search(r'<script id="live-state" type="application/json">(.*?)</script>', page, re.S)
    assert found is not None
    return dict(json.loads(found.group(1)))


def test_moderator_shows_the_survey_on_phones_and_screen(room, access, owner_client) -> None:  # type: ignore[no-untyped-def]
    survey = _feedback(room.seminar)
    _feedback(room.seminar, closes_at=timezone.now() - dt.timedelta(days=1))  # closed: never
    assert room_state(room)["room"]["survey"] is None  # not before the moderator chooses
    room_show(access=access, room=room, showing="survey")
    shown = room_state(room)["room"]["survey"]
    assert shown == {"url": f"/q/{survey.public_code}/", "title": "Πώς σας φάνηκε;"}
    phone = Client()
    page = phone.get(f"/j/{room.code}/")
    assert _state(page.content.decode())["room"]["survey"]["url"] == f"/q/{survey.public_code}/"
    assert 'id="live-survey"' in page.content.decode()
    qr = phone.get(f"/j/{room.code}/survey-qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    screen = owner_client.get(f"/w/{access.workspace.slug}/live/{room.pk}/screen/")
    assert screen.status_code == 200
    assert f"/j/{room.code}/survey-qr.svg" in screen.content.decode()


def test_after_the_session_a_ticket_holder_gets_their_personal_link(access, seminar) -> None:  # type: ignore[no-untyped-def]
    from keryx.registrations.domain.tokens import manage_token_make
    from keryx.registrations.models import Registration
    from keryx.seminars.models import Session

    now = timezone.now()
    session = Session.objects.create(
        seminar=seminar,
        title="Άνοιγμα",
        starts_at=now - dt.timedelta(hours=2),
        ends_at=now - dt.timedelta(hours=1),
    )
    room = room_open(access=access, seminar=seminar, session=session)
    survey = _feedback(seminar)
    anna = Registration.objects.create(
        seminar=seminar, name="Άννα", email="anna@example.org", language="el"
    )
    invitation = Invitation.objects.create(survey=survey, registration=anna)
    # The session is over: the survey is offered without the moderator choosing it.
    ticket_page = Client().get(f"/j/{room.code}/?t={manage_token_make(anna.public_id)}")
    state = _state(ticket_page.content.decode())
    assert state["me"]["survey"] == f"/q/p/{invitation.token}/"
    stranger = _state(Client().get(f"/j/{room.code}/").content.decode())
    assert stranger["me"]["survey"] is None
    assert stranger["room"]["survey"]["url"] == f"/q/{survey.public_code}/"


def test_no_survey_no_qr(room) -> None:  # type: ignore[no-untyped-def]
    assert Client().get(f"/j/{room.code}/survey-qr.svg").status_code == 404
