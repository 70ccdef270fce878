"""API: sentiment of texts, trending hashtags and terms, topics, and keyword suggestions for the
composer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from keryx.accounts.roles import Perm
from keryx.api.permissions import access_for, needs
from keryx.insights import queries
from keryx.insights.domain.keywords import keyword_suggestions
from keryx.insights.domain.trends import topic_suggestions, trending
from keryx.insights.schemas import KeywordOut, SentimentIn, SentimentOut, TopicOut, TrendOut
from keryx.insights.sentiment.analyser import analyse
from keryx.seminars.queries import seminar_in

router = Router(tags=["insights"])
WS = "/workspaces/{workspace}/insights"


class TrendFilter(Schema):
    seminar_id: int | None = None
    window_minutes: int = 60


@router.post(
    f"{WS}/sentiment",
    response=list[SentimentOut],
    operation_id="insights_sentiment",
    openapi_extra=needs(Perm.INBOX_VIEW),
)
def sentiment(request: HttpRequest, workspace: str, payload: SentimentIn) -> Any:
    """Label texts positive, negative or neutral (Greek, English, Greeklish; offline)."""
    access_for(request, workspace, Perm.INBOX_VIEW)
    out = []
    for text in payload.texts:
        result = analyse(text)
        out.append(
            {
                "text": text,
                "label": result.label,
                "score": result.score,
                "language": result.language,
                "form": result.form,
            }
        )
    return out


def _trends(request: HttpRequest, workspace: str, filters: TrendFilter) -> list[Any]:
    access = access_for(request, workspace, Perm.INBOX_VIEW)
    seminar = seminar_in(access, filters.seminar_id) if filters.seminar_id else None
    minutes = min(max(filters.window_minutes, 5), 24 * 60)
    return trending(queries.texts_of(access, seminar), window=dt.timedelta(minutes=minutes))


@router.get(
    f"{WS}/trends",
    response=list[TrendOut],
    operation_id="insights_trends",
    openapi_extra=needs(Perm.INBOX_VIEW),
)
def trends(request: HttpRequest, workspace: str, filters: Query[TrendFilter]) -> Any:
    """Hashtags and terms above their own baseline now, the strongest burst first."""
    return _trends(request, workspace, filters)


@router.get(
    f"{WS}/topics",
    response=list[TopicOut],
    operation_id="insights_topics",
    openapi_extra=needs(Perm.INBOX_VIEW),
)
def topics(request: HttpRequest, workspace: str, filters: Query[TrendFilter]) -> Any:
    """Topics to post about (or answer) now, each with its trend as evidence."""
    return topic_suggestions(_trends(request, workspace, filters))


@router.get(
    "/workspaces/{workspace}/seminars/{seminar_id}/keywords",
    response=list[KeywordOut],
    operation_id="insights_keywords",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
def keywords(request: HttpRequest, workspace: str, seminar_id: int) -> Any:
    """Keyword suggestions for the composer: from the seminar's description (YAKE, Greek or
    English) and from what is trending about the seminar now."""
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    seminar = seminar_in(access, seminar_id)
    found = []
    if access.can(Perm.INBOX_VIEW):
        found = trending(queries.texts_of(access, seminar))
    return keyword_suggestions(
        description=f"{seminar.title}. {seminar.summary}\n{seminar.description}",
        language=seminar.language,
        trends=found,
    )


def _mount() -> None:
    # The AI drafting and recommendation endpoints live in modules of their own.
    from keryx.insights import api_ai, api_recommend

    router.add_router("", api_ai.router)
    router.add_router("", api_recommend.router)


_mount()
