"""Building surveys and answers for the tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.registrations.models import Registration
from keryx.seminars.models import Seminar
from keryx.surveys.domain.answering import response_save, response_start_anonymous
from keryx.surveys.domain.builder import question_add, survey_create
from keryx.surveys.models import Response, Survey


def access_of(user, workspace):  # type: ignore[no-untyped-def]
    return workspace_access(user, workspace)


def simple_survey(user, workspace, seminar: Seminar | None = None) -> Survey:  # type: ignore[no-untyped-def]
    access = access_of(user, workspace)
    survey = survey_create(access=access, seminar=seminar, title={"el": "Γνώμη", "en": "Opinion"})
    question_add(
        access=access,
        survey=survey,
        kind="nps",
        text={"el": "Θα μας προτείνατε;"},
        required=True,
        key="nps",
    )
    question_add(
        access=access, survey=survey, kind="rating5", text={"el": "Βαθμολογία"}, key="overall"
    )
    question_add(access=access, survey=survey, kind="gender", key="gender")
    question_add(
        access=access,
        survey=survey,
        kind="text",
        text={"el": "Γιατί;", "en": "Why?"},
        key="why",
        show_if={"question": "nps", "values": ["0", "1", "2", "3", "4", "5", "6"]},
    )
    return survey


def answer(
    survey: Survey, data: dict[str, Any], *, network: str = "", language: str = "el"
) -> Response:
    response = response_start_anonymous(survey, language=language, network=network)
    saved = response_save(response=response, data=data, page=None, submit=True)
    assert saved.errors == {}, saved.errors
    return response


def registrant(
    seminar: Seminar, email: str, *, checked_in: bool = False, language: str = "el"
) -> Registration:
    now = timezone.now()
    return Registration.objects.create(
        seminar=seminar,
        status="registered",
        name=email.split("@")[0].title(),
        email=email,
        language=language,
        confirmed_at=now - dt.timedelta(days=2),
        checked_in_at=now if checked_in else None,
    )
