"""Reads of the inbox, scoped to the workspace and the user's role.

The list is keyset-paginated: newest first by ``(last_message_at, id)`` — or, in crisis mode,
negative first by ``(sentiment_rank, last_message_at, id)`` — and the cursor is the last row's
values, so page 50 costs what page 1 costs and rows arriving meanwhile shift nothing. The
indexes ``inbox_list`` and ``inbox_list_crisis`` serve both orders (decision 1004).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.errors import NotFound
from keryx.core.search import search_words
from keryx.core.text import text_key
from keryx.inbox.models import Conversation

PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    status: str = "open"  # open | done | "" (all)
    network: str = ""
    seminar_id: int | None = None
    post_id: int | None = None
    sentiment: str = ""
    assignee: str = ""  # "" any | "me" | "none" | a user id
    language: str = ""
    tag: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, data: dict[str, str]) -> Filters:
        def number(key: str) -> int | None:
            value = (data.get(key) or "").strip()
            return int(value) if value.isdigit() else None

        status = data.get("status", "open")
        return cls(
            status=status if status in ("open", "done", "") else "open",
            network=(data.get("network") or "")[:16],
            seminar_id=number("seminar"),
            post_id=number("post"),
            sentiment=(data.get("sentiment") or "")[:8],
            assignee=(data.get("assignee") or "")[:12],
            language=(data.get("language") or "")[:2],
            tag=(data.get("tag") or "")[:60],
            q=(data.get("q") or "")[:200],
        )


@dataclass
class InboxPage:
    rows: list[Conversation]
    next_cursor: str = ""
    crisis: bool = False
    filters: Filters = field(default_factory=Filters)


def conversations_in(access: Access) -> QuerySet[Conversation]:
    access.require(Perm.INBOX_VIEW)
    return Conversation.objects.filter(workspace=access.workspace)


def conversation_in(access: Access, conversation_id: int) -> Conversation:
    found = (
        conversations_in(access)
        .select_related("account", "assignee", "seminar", "post", "workspace")
        .filter(pk=conversation_id)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def filtered(access: Access, filters: Filters) -> QuerySet[Conversation]:
    rows = conversations_in(access)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.network:
        rows = rows.filter(network=filters.network)
    if filters.seminar_id:
        rows = rows.filter(seminar_id=filters.seminar_id)
    if filters.post_id:
        rows = rows.filter(post_id=filters.post_id)
    if filters.sentiment:
        rows = rows.filter(sentiment=filters.sentiment)
    if filters.language:
        rows = rows.filter(language=filters.language)
    if filters.assignee == "me":
        rows = rows.filter(assignee=access.user)
    elif filters.assignee == "none":
        rows = rows.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        rows = rows.filter(assignee_id=int(filters.assignee))
    if filters.tag:
        rows = rows.filter(tags__icontains=f'"{filters.tag.lstrip("#")}"')
    if filters.q.strip():
        # search_text is stored folded: each folded word is a plain substring of it.
        for word in search_words(filters.q):
            rows = rows.filter(search_text__contains=text_key(word))
    return rows


def _cursor(row: Conversation, crisis: bool) -> str:
    stamp = row.last_message_at.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S%f")
    return f"{row.sentiment_rank}.{stamp}.{row.pk}" if crisis else f"{stamp}.{row.pk}"


def _after(cursor: str, crisis: bool) -> Q | None:
    parts = cursor.split(".")
    try:
        if crisis:
            rank, stamp, pk = int(parts[0]), parts[1], int(parts[2])
        else:
            rank, stamp, pk = 0, parts[0], int(parts[1])
        when = dt.datetime.strptime(stamp, "%Y%m%d%H%M%S%f").replace(tzinfo=dt.UTC)
    except (IndexError, ValueError):
        return None
    newer = Q(last_message_at__lt=when) | Q(last_message_at=when, pk__lt=pk)
    if crisis:
        return Q(sentiment_rank__gt=rank) | (Q(sentiment_rank=rank) & newer)
    return newer


def inbox_page(
    access: Access,
    filters: Filters,
    *,
    cursor: str = "",
    crisis: bool = False,
    size: int = PAGE_SIZE,
) -> InboxPage:
    """One page of the list (``size`` rows) after ``cursor``."""
    rows = filtered(access, filters)
    if cursor:
        after = _after(cursor, crisis)
        if after is not None:
            rows = rows.filter(after)
    order = ["-last_message_at", "-id"]
    if crisis:
        order = ["sentiment_rank", *order]
    found = list(rows.select_related("assignee", "seminar").order_by(*order)[: size + 1])
    more = len(found) > size
    found = found[:size]
    return InboxPage(
        rows=found,
        next_cursor=_cursor(found[-1], crisis) if more and found else "",
        crisis=crisis,
        filters=filters,
    )
