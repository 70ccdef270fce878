"""The per-question counts kept with every submission: equal to a recount from the answers
after answering, editing a personal-link response, leaving drafts, and erasure."""

from __future__ import annotations

import pytest
from django.utils import timezone

from keryx.surveys.domain.answering import (
    response_for_invitation,
    response_save,
    response_start_anonymous,
)
from keryx.surveys.domain.results import question_results
from keryx.surveys.domain.tallies import tallies_rebuild
from keryx.surveys.models import AnswerTally, Invitation, Survey
from tests.surveys.helpers import answer, registrant, simple_survey

pytestmark = pytest.mark.django_db


def _tallies(survey: Survey) -> list[tuple[str, str, str, int]]:
    return sorted(
        (t.question.key, t.choice, t.number_key, t.n)
        for t in AnswerTally.objects.filter(survey=survey, n__gt=0).select_related("question")
    )


def _recounted(survey: Survey) -> list[tuple[str, str, str, int]]:
    kept = _tallies(survey)
    tallies_rebuild(survey)
    recount = _tallies(survey)
    assert kept == recount
    return recount


def test_tallies_follow_answers_edits_drafts_and_erasure(user, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    survey = simple_survey(user, workspace, seminar)
    answer(survey, {"q_nps": "10", "q_overall": "5", "q_gender": "female"})
    answer(
        survey,
        {"q_nps": "3", "q_overall": "2", "q_gender": "self", "q_gender_self": "x", "q_why": "slow"},
    )
    draft = response_start_anonymous(survey, language="el")
    response_save(response=draft, data={"q_nps": "0"}, page=None, submit=False)  # not counted

    # a personal link answered, then changed: counted once, with the new answers
    maria = registrant(seminar, "maria@example.org")
    invitation = Invitation.objects.create(
        survey=survey, registration=maria, invited_at=timezone.now()
    )
    mine = response_for_invitation(invitation, language="el")
    response_save(response=mine, data={"q_nps": "6", "q_overall": "3"}, page=None, submit=True)
    response_save(response=mine, data={"q_nps": "9", "q_overall": "3"}, page=None, submit=True)

    tallies = _recounted(survey)
    assert [t for t in tallies if t[0] == "nps"] == [
        ("nps", "", "*", 3),
        ("nps", "", "10.0", 1),
        ("nps", "", "3.0", 1),
        ("nps", "", "9.0", 1),
    ]
    by_key = {r.question.key: r for r in question_results(survey)}
    assert by_key["nps"].n == 3 and by_key["nps"].nps is not None
    assert by_key["nps"].nps.score == 33  # 2 promoters, 1 detractor of 3
    assert by_key["why"].n == 1

    # erasure keeps the answers counted (the ties to the person are cut): nothing changes
    from keryx.privacy.domain.erasure import subject_erase

    subject_erase("maria@example.org")
    assert _recounted(survey) == tallies
