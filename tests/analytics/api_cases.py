from __future__ import annotations

from tests.api.cases import World, case

V1 = "/api/v1"


def S(w: World) -> str:
    return f"{V1}/workspaces/{w.ws}/seminars/{w.seminar.pk}"


case("analytics_kpis", "get", lambda w: f"{S(w)}/kpis")
case("analytics_campaigns", "get", lambda w: f"{S(w)}/ad-campaigns")
