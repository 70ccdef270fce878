from __future__ import annotations

from tests.api.cases import World, case

V1 = "/api/v1"


def W(w: World) -> str:
    return f"{V1}/workspaces/{w.ws}/insights"


case("insights_sentiment", "post", lambda w: f"{W(w)}/sentiment", lambda w: {"texts": ["Τέλειο!"]})
case("insights_trends", "get", lambda w: f"{W(w)}/trends?seminar_id={w.seminar.pk}")
case("insights_topics", "get", lambda w: f"{W(w)}/topics")
case(
    "insights_keywords", "get", lambda w: f"{V1}/workspaces/{w.ws}/seminars/{w.seminar.pk}/keywords"
)
