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
