"""API: a seminar's recommendations from its own data, each with its evidence."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from keryx.accounts.roles import Perm
from keryx.api.permissions import access_for, needs
from keryx.insights.domain.recommendations import recommendations_for
from keryx.insights.schemas import RecommendationOut
from keryx.seminars.queries import seminar_in

router = Router(tags=["insights"])


@router.get(
    "/workspaces/{workspace}/seminars/{seminar_id}/recommendations",
    response=list[RecommendationOut],
    operation_id="insights_recommendations",
    openapi_extra=needs(Perm.ANALYTICS_VIEW),
)
def recommendations(request: HttpRequest, workspace: str, seminar_id: int) -> Any:
    """Best time, best network, theme and format, under-reached personas and trending topics,
    each with its figures, n and period, or "not enough data yet"."""
    access = access_for(request, workspace, Perm.ANALYTICS_VIEW)
    seminar = seminar_in(access, seminar_id)
    return [r.as_dict() for r in recommendations_for(access, seminar)]
