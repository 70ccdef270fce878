"""API: the workspace's surveys and each survey's results (read-only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from keryx.accounts.roles import Perm
from keryx.api.pagination import Page
from keryx.api.permissions import access_for, needs
from keryx.surveys import queries
from keryx.surveys.domain import results
from keryx.surveys.schemas import ResultsOut, SurveyOut

router = Router(tags=["surveys"])
BASE = "/workspaces/{workspace}/surveys"


@router.get(
    BASE,
    response=list[SurveyOut],
    operation_id="surveys_list",
    openapi_extra=needs(Perm.SURVEYS_EDIT),
)
@paginate(Page)
def surveys_list(request: HttpRequest, workspace: str) -> Any:
    access = access_for(request, workspace, Perm.SURVEYS_EDIT)
    return [
        {
            "id": s.pk,
            "title": s.title,
            "kind": s.kind,
            "seminar_id": s.seminar_id,
            "anonymous": s.anonymous,
            "public_url": f"{settings.KERYX_BASE_URL}/q/{s.public_code}/",
            "responses": s.n_responses,  # type: ignore[attr-defined]
        }
        for s in queries.surveys_in(access)
    ]


@router.get(
    f"{BASE}/{{survey_id}}/results",
    response=ResultsOut,
    operation_id="surveys_results",
    openapi_extra=needs(Perm.ANALYTICS_VIEW),
)
def surveys_results(request: HttpRequest, workspace: str, survey_id: int) -> Any:
    access = access_for(request, workspace, Perm.ANALYTICS_VIEW)
    survey = queries.survey_in(access, survey_id)
    per_question = results.cached(survey, "questions", lambda: results.question_results(survey))
    out = []
    for r in per_question:
        nps = r.nps
        out.append(
            {
                "key": r.question.key,
                "kind": r.question.kind,
                "label": r.question.label,
                "n": r.n,
                "average": r.average,
                "nps": nps.score if nps else None,
                "promoters": nps.promoters if nps else None,
                "passives": nps.passives if nps else None,
                "detractors": nps.detractors if nps else None,
                "csat": r.csat,
                "counts": {key: count for key, _label, count in r.rows},
            }
        )
    return {
        "survey_id": survey.pk,
        "responses": survey.responses.filter(submitted=True).count(),
        "questions": out,
    }
