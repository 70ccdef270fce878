"""The inbox's KPIs, computed from conversations (decision 1003):

- first-reply time: the median minutes from a conversation's first message to Keryx's first
  reply, over the conversations that got one;
- response rate: the share of conversations that got a reply;
- open items per person: open conversations by assignee (``None``: nobody).

Conversations the team hid or deleted on the network are abuse, not questions: left out of
the first two.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from keryx.inbox.enums import Status
from keryx.inbox.models import Conversation


@dataclass(frozen=True)
class InboxFigures:
    conversations: int
    replied: int
    first_reply_minutes: Decimal | None  # median; None when nothing was answered
    response_rate: Decimal | None  # percent; None when there is nothing to answer
    open_by_person: dict[int | None, int]
    computed_at: dt.datetime | None = None


def _counted(conversations: QuerySet[Conversation]) -> QuerySet[Conversation]:
    return conversations.filter(hidden=False, deleted=False)


def first_reply_minutes(conversations: QuerySet[Conversation]) -> Decimal | None:
    waits = [
        (replied - first).total_seconds() / 60
        for first, replied in _counted(conversations)
        .filter(first_reply_at__isnull=False)
        .values_list("first_message_at", "first_reply_at")
        if replied is not None
    ]
    if not waits:
        return None
    return Decimal(str(round(max(0.0, statistics.median(waits)), 1)))


def response_rate(conversations: QuerySet[Conversation]) -> Decimal | None:
    counted = _counted(conversations)
    total = counted.count()
    if not total:
        return None
    replied = counted.filter(first_reply_at__isnull=False).count()
    return Decimal(str(round(100 * replied / total, 1)))


def open_by_person(conversations: QuerySet[Conversation]) -> dict[int | None, int]:
    counts = Counter(conversations.filter(status=Status.OPEN).values_list("assignee_id", flat=True))
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] or 0)))


def inbox_figures(
    conversations: QuerySet[Conversation], *, since: dt.datetime | None = None
) -> InboxFigures:
    scoped = conversations.filter(first_message_at__gte=since) if since else conversations
    counted = _counted(scoped)
    return InboxFigures(
        conversations=counted.count(),
        replied=counted.filter(first_reply_at__isnull=False).count(),
        first_reply_minutes=first_reply_minutes(scoped),
        response_rate=response_rate(scoped),
        open_by_person=open_by_person(conversations),
        computed_at=timezone.now(),
    )


FIGURES_FRESH_SECONDS = 60


def inbox_figures_cached(workspace_id: int, *, days: int = 30) -> InboxFigures:
    """The inbox page's figures for the last ``days``, computed at most once a minute per
    workspace (the median reads every answered conversation; the page says how fresh)."""
    from django.core.cache import cache

    def compute() -> InboxFigures:
        return inbox_figures(
            Conversation.objects.filter(workspace_id=workspace_id),
            since=timezone.now() - dt.timedelta(days=days),
        )

    figures = cache.get_or_set(
        f"inbox:figures:{workspace_id}:{days}", compute, FIGURES_FRESH_SECONDS
    )
    return figures if isinstance(figures, InboxFigures) else compute()


def first_reply_minutes_for(workspace_id: int, since: dt.datetime) -> Decimal | None:
    """For the crisis summary: the median first-reply time of conversations since ``since``."""
    return first_reply_minutes(
        Conversation.objects.filter(workspace_id=workspace_id, first_message_at__gte=since)
    )
