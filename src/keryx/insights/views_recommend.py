"""The recommendations page of a seminar: each recommendation with its evidence (figures, n,
period), or "not enough data yet" with its n (decision 0911)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.insights.domain.recommendations import recommendations_for
from keryx.seminars.queries import seminar_in
from keryx.web.access import area


@area(Perm.ANALYTICS_VIEW, key="listening")
def recommendations_page(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = seminar_in(access, seminar_id)
    return render(
        request,
        "insights/recommendations.html",
        {
            "access": access,
            "seminar": seminar,
            "recommendations": recommendations_for(access, seminar),
        },
    )
