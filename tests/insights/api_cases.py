from __future__ import annotations

from typing import Any

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


def _ai(action: str, body: Any) -> tuple[Any, Any]:
    """A drafting call with AI on for exactly that request, against the shared fake server."""

    def path(w: World) -> str:
        from tests.support.fake_openai import enable_for_one_request, shared_server

        enable_for_one_request(shared_server().url)
        return f"{V1}/workspaces/{w.ws}/ai/{action}"

    return path, body


case("insights_ai_status", "get", lambda w: f"{V1}/workspaces/{w.ws}/ai")
case("insights_ai_draft", "post", *_ai("draft", lambda w: {"seminar_id": w.seminar.pk}))
case("insights_ai_rewrite", "post", *_ai("rewrite", lambda w: {"text": "Ελάτε!", "network": "x"}))
case("insights_ai_translate", "post", *_ai("translate", lambda w: {"text": "Ελάτε!"}))
case("insights_ai_hashtags", "post", *_ai("hashtags", lambda w: {"text": "Ελάτε!"}))
case(
    "insights_recommendations",
    "get",
    lambda w: f"{V1}/workspaces/{w.ws}/seminars/{w.seminar.pk}/recommendations",
)
