"""Invitations to a segment through the outbox, reminders to non-respondents, a personal link
used twice, the public link's rate limit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from keryx.core.domain.outbox import outbox_unsubscribe
from keryx.core.models import OutboxMessage
from keryx.surveys.domain.invitations import reminders_send, survey_invite
from keryx.surveys.models import Response
from tests.surveys.helpers import access_of, registrant, simple_survey

pytestmark = pytest.mark.django_db(transaction=True)


def test_invite_checked_in_only_then_remind_non_respondents_once(  # type: ignore[no-untyped-def]
    user, workspace, seminar, smtp_sink
) -> None:
    maria = registrant(seminar, "maria@example.org", checked_in=True, language="el")
    registrant(seminar, "john@example.org", checked_in=True, language="en")
    registrant(seminar, "nikos@example.org", checked_in=False)
    survey = simple_survey(user, workspace, seminar)
    assert (
        survey_invite(access=access_of(user, workspace), survey=survey, segment="checked_in") == 2
    )
    mails = smtp_sink.wait_for(2)
    by_to = {m["To"]: m for m in mails}
    assert set(by_to) == {"maria@example.org", "john@example.org"}
    assert str(by_to["maria@example.org"]["Subject"]).strip() == "Λίγες ερωτήσεις: Γνώμη"
    assert str(by_to["john@example.org"]["Subject"]).strip() == "A few questions: Opinion"
    # inviting the same segment again invites nobody twice
    assert (
        survey_invite(access=access_of(user, workspace), survey=survey, segment="checked_in") == 0
    )

    # Maria answers through her link, twice: one response, updated
    link = re.search(r"/q/p/[^/]+/", smtp_sink.body(by_to["maria@example.org"]))
    assert link is not None
    client = Client()
    for score in ("3", "10"):
        answer = client.post(link.group(0), {"page": "1", "action": "submit", "q_nps": score})
        assert answer.status_code == 200
    [response] = Response.objects.filter(survey=survey)
    assert response.invitation.registration == maria and response.submitted
    assert list(response.answers.values_list("number", flat=True)) == [10.0]

    # John unsubscribes; the reminder wave finds no one else to remind
    outbox_unsubscribe(email="john@example.org", list_key=survey.list_key)
    later = timezone.now() + dt.timedelta(days=4)
    assert reminders_send(now=later) == 1
    assert reminders_send(now=later) == 0  # safe to run twice
    reminder = OutboxMessage.objects.get(kind="surveys.reminder")
    assert (reminder.to_email, reminder.status) == ("john@example.org", "unsubscribed")
    assert len(smtp_sink.messages) == 2


def test_public_link_flooding_is_rate_limited(user, workspace) -> None:  # type: ignore[no-untyped-def]
    cache.clear()
    survey = simple_survey(user, workspace)
    client = Client()
    codes = []
    for _n in range(21):
        client.cookies.clear()
        codes.append(
            client.post(
                f"/q/{survey.public_code}/", {"page": "1", "action": "submit", "q_nps": "9"}
            ).status_code
        )
    assert codes[:20] == [200] * 20
    assert codes[20] == 429
    assert Response.objects.filter(survey=survey, submitted=True).count() == 20
    assert Response.objects.filter(survey=survey, registration__isnull=False).count() == 0
    cache.clear()


def test_anonymous_save_and_resume_keeps_answers(user, workspace) -> None:  # type: ignore[no-untyped-def]
    cache.clear()
    survey = simple_survey(user, workspace)
    client = Client()
    saved = client.post(
        f"/q/{survey.public_code}/?lang=en", {"page": "1", "action": "save", "q_overall": "4"}
    )
    assert saved.status_code == 200
    resume = re.search(r'href="([^"]*resume=[^"]+)"', saved.content.decode())
    assert resume is not None
    other_device = Client()
    page = other_device.get(resume.group(1).replace("&amp;", "&"))
    assert 'value="4" checked' in page.content.decode()
    cache.clear()
