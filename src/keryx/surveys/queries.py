"""Reads, scoped to the workspace (and through ``area`` to the user's role)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from keryx.accounts.access import Access
from keryx.core.errors import NotFound
from keryx.surveys.models import Question, Response, Survey


def surveys_in(access: Access) -> QuerySet[Survey]:
    return (
        Survey.objects.filter(workspace=access.workspace)
        .select_related("seminar")
        .annotate(
            n_responses=Count("responses", filter=Q(responses__submitted=True), distinct=True),
            n_invited=Count("invitations", distinct=True),
        )
    )


def survey_in(access: Access, survey_id: int) -> Survey:
    survey = Survey.objects.filter(workspace=access.workspace, pk=survey_id).first()
    if survey is None:
        raise NotFound()
    return survey


def question_in(survey: Survey, question_id: int) -> Question:
    question = Question.objects.filter(survey=survey, pk=question_id).first()
    if question is None:
        raise NotFound()
    return question


def response_in(survey: Survey, response_id: int) -> Response:
    response = Response.objects.filter(survey=survey, pk=response_id).first()
    if response is None:
        raise NotFound()
    return response


def feedback_survey_for(seminar_id: int, *, session_id: int | None = None) -> Survey | None:
    """The seminar's feedback survey people can open now by its public link (the live room
    shows it after a session): one with a question about ``session_id`` first, then the
    newest. Closed, not yet open and link-less surveys are not offered."""
    from django.utils import timezone

    from keryx.surveys.enums import SurveyKind

    now = timezone.now()
    found = (
        Survey.objects.filter(seminar_id=seminar_id, kind=SurveyKind.FEEDBACK, public_link=True)
        .exclude(closes_at__lte=now)
        .exclude(opens_at__gt=now)
        .order_by("-created_at", "-id")
    )
    if session_id is not None:
        about = found.filter(questions__session_id=session_id).first()
        if about is not None:
            return about
    return found.first()


def invitation_token_for(survey: Survey, registration_id: int) -> str | None:
    """The registrant's personal link token for ``survey`` (``None``: not invited)."""
    from keryx.surveys.models import Invitation

    return (
        Invitation.objects.filter(survey=survey, registration_id=registration_id)
        .values_list("token", flat=True)
        .first()
    )
