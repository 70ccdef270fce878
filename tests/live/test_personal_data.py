"""The live app's personal data: found by cookie key and by registrant e-mail; erased by
anonymising so the room's counts survive."""

from __future__ import annotations

import pytest

from keryx.core.personal_data import Subject, kinds
from keryx.live.domain.participants import participant_join, participant_rename
from keryx.live.domain.polls import poll_create, poll_set_status, poll_vote
from keryx.live.domain.questions import question_ask
from keryx.live.enums import Moderation
from keryx.live.models import Participant, Question, Vote
from keryx.live.results import poll_results

pytestmark = pytest.mark.django_db


def test_find_export_and_erase_keep_the_counts(room, access) -> None:  # type: ignore[no-untyped-def]
    room.moderation = Moderation.AFTER
    room.save()
    from keryx.registrations.domain.tokens import manage_token_make
    from keryx.registrations.models import Registration

    registration = Registration.objects.create(
        seminar=room.seminar, name="Άννα Παππά", email="Anna@Example.org", language="el"
    )
    anna = participant_join(seminar=room.seminar, ticket=manage_token_make(registration.public_id))
    other = participant_rename(participant=participant_join(seminar=room.seminar), name="Γιώργος")
    question_ask(room=room, participant=anna, text="Η ερώτηση της Άννας")
    poll = poll_create(access=access, room=room, kind="cloud", question="Λέξη;")
    poll = poll_set_status(access=access, poll=poll, action="launch")
    poll_vote(poll=poll, participant=anna, text="ψηφιακό")
    poll_vote(poll=poll, participant=other, text="ψηφιακό")
    by_key = {k.key: k for k in kinds()}
    subject = Subject(email="anna@example.org")
    found = {
        key: by_key[key].find(subject) for key in ("live.participant", "live.question", "live.vote")
    }
    assert by_key["live.participant"].export_records(found["live.participant"]) == [
        {"id": anna.pk, "name": "Άννα"}
    ]
    assert [r["text"] for r in by_key["live.question"].export_records(found["live.question"])] == [
        "Η ερώτηση της Άννας"
    ]
    assert by_key["live.participant"].find(Subject(participant_keys=(other.key,))).get() == other
    for key in ("live.vote", "live.question", "live.participant"):
        assert by_key[key].erase(by_key[key].find(subject)) == 1
    anna.refresh_from_db()
    assert (anna.name, anna.registration_id) == ("", None)
    assert Question.objects.get().text == "—" and Question.objects.get().author_name == ""
    assert Vote.objects.filter(poll=poll).count() == 2
    assert poll_results(poll)["words"] == [{"word": "ψηφιακό", "count": 1}]
    assert Participant.objects.filter(name="Γιώργος").count() == 1
