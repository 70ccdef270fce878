"""Reads of the live app, scoped to the workspace (staff) or to the room code (public)."""

from __future__ import annotations

from django.db.models import QuerySet

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.errors import NotFound
from keryx.live.enums import QuestionStatus
from keryx.live.models import Poll, Question, Room


def rooms_in(access: Access) -> QuerySet[Room]:
    access.require(Perm.LIVE_MODERATE)
    return Room.objects.filter(workspace=access.workspace).select_related("seminar", "session")


def room_in(access: Access, room_id: int) -> Room:
    room = rooms_in(access).filter(pk=room_id).first()
    if room is None:
        raise NotFound()
    return room


def room_by_code(code: str) -> Room:
    """A room by the code people type (any case); archived rooms still open read-only."""
    room = (
        Room.objects.filter(code=code.strip().upper()[:12])
        .select_related("seminar", "workspace", "session")
        .first()
    )
    if room is None:
        raise NotFound()
    return room


def questions_for_moderator(room: Room, *, order: str = "popular") -> QuerySet[Question]:
    rows = Question.objects.filter(room=room)
    if order == "recent":
        return rows.order_by("-created_at")
    return rows.order_by("-pinned", "-upvotes", "-created_at")


def question_in_room(room: Room, question_id: int) -> Question:
    question = Question.objects.filter(room=room, pk=question_id).select_related("room").first()
    if question is None:
        raise NotFound()
    return question


def shown_question_in_room(room: Room, question_id: int) -> Question:
    question = question_in_room(room, question_id)
    if question.status != QuestionStatus.APPROVED:
        raise NotFound()
    return question


def poll_in_room(room: Room, poll_id: int) -> Poll:
    poll = Poll.objects.filter(room=room, pk=poll_id).select_related("room").first()
    if poll is None:
        raise NotFound()
    return poll
