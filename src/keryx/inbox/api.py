"""API: the inbox's conversations (keyset-paged, filtered), assigning, open/done, and replying
(exactly once per idempotency key)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from keryx.accounts.roles import Perm
from keryx.api.permissions import access_for, needs
from keryx.inbox import queries
from keryx.inbox.domain.crisis import crisis_active
from keryx.inbox.domain.replies import reply_queue
from keryx.inbox.domain.triage import conversation_assign, conversation_set_status
from keryx.inbox.schemas import (
    AssignIn,
    ConversationOut,
    ConversationPageOut,
    InboxFilter,
    ReplyIn,
    ReplyOut,
    StatusIn,
)

router = Router(tags=["inbox"])
WS = "/workspaces/{workspace}/inbox"


@router.get(
    f"{WS}/conversations",
    response=ConversationPageOut,
    operation_id="inbox_list",
    openapi_extra=needs(Perm.INBOX_VIEW),
)
def conversations(request: HttpRequest, workspace: str, filters: Query[InboxFilter]) -> Any:
    """Conversations, newest first (negative first in crisis mode), one page at a time:
    pass the answer's ``next`` as ``after``."""
    access = access_for(request, workspace, Perm.INBOX_VIEW)
    raw = {k: "" if v is None else str(v) for k, v in filters.dict().items()}
    crisis = crisis_active(access.workspace.pk)
    page = queries.inbox_page(
        access,
        queries.Filters.from_query(raw),
        cursor=filters.after,
        crisis=crisis,
        size=filters.page_size,
    )
    return {"items": page.rows, "next": page.next_cursor, "crisis_mode": crisis}


@router.get(
    f"{WS}/conversations/{{conversation_id}}",
    response=ConversationOut,
    operation_id="inbox_get",
    openapi_extra=needs(Perm.INBOX_VIEW),
)
def conversation(request: HttpRequest, workspace: str, conversation_id: int) -> Any:
    access = access_for(request, workspace, Perm.INBOX_VIEW)
    return queries.conversation_in(access, conversation_id)


@router.post(
    f"{WS}/conversations/{{conversation_id}}/assign",
    response=ConversationOut,
    operation_id="inbox_assign",
    openapi_extra=needs(Perm.INBOX_REPLY),
)
def assign(request: HttpRequest, workspace: str, conversation_id: int, payload: AssignIn) -> Any:
    """Assign to a member of the workspace (``null``: nobody)."""
    access = access_for(request, workspace, Perm.INBOX_REPLY)
    found = queries.conversation_in(access, conversation_id)
    return conversation_assign(access=access, conversation=found, user_id=payload.assignee_id)


@router.post(
    f"{WS}/conversations/{{conversation_id}}/status",
    response=ConversationOut,
    operation_id="inbox_status",
    openapi_extra=needs(Perm.INBOX_REPLY),
)
def status(request: HttpRequest, workspace: str, conversation_id: int, payload: StatusIn) -> Any:
    """Mark ``open`` or ``done``."""
    access = access_for(request, workspace, Perm.INBOX_REPLY)
    found = queries.conversation_in(access, conversation_id)
    return conversation_set_status(access=access, conversation=found, status=payload.status)


@router.post(
    f"{WS}/conversations/{{conversation_id}}/replies",
    response={202: ReplyOut},
    operation_id="inbox_reply",
    openapi_extra=needs(Perm.INBOX_REPLY),
)
def reply(request: HttpRequest, workspace: str, conversation_id: int, payload: ReplyIn) -> Any:
    """Queue a reply; it is sent once. The same ``key`` again returns the same reply (its
    status: ``queued``, ``sending``, ``sent``, ``failed`` or ``unconfirmed``)."""
    access = access_for(request, workspace, Perm.INBOX_REPLY)
    found = queries.conversation_in(access, conversation_id)
    return 202, reply_queue(
        access=access, conversation=found, text=payload.text, client_key=payload.key
    )
