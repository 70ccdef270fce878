"""Poll results and the public shapes of questions and polls (what a participant's phone, the
presenter screen and the SSE events carry). Everything is plain data; templates and the
browser escape it when they show it."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Q

from keryx.live.enums import CHOICE_KINDS, PollKind, PollStatus, QuestionStatus
from keryx.live.models import Participant, Poll, PollOption, Question, Room, Vote
from keryx.live.survey import room_survey
from keryx.live.words import cloud


def question_public(question: Question) -> dict[str, Any]:
    """A shown question in full; a pending or dismissed one only by id and status."""
    if question.status != QuestionStatus.APPROVED:
        return {"id": question.pk, "status": question.status}
    return {
        "id": question.pk,
        "status": question.status,
        "text": question.text,
        "name": question.author_name,
        "upvotes": question.upvotes,
        "answered": question.answered,
        "pinned": question.pinned,
        "reply": question.reply,
        "created": question.created_at.isoformat(),
    }


def poll_results(poll: Poll) -> dict[str, Any]:
    votes = Vote.objects.filter(poll=poll)
    voters = votes.values("participant").distinct().count()
    result: dict[str, Any] = {"voters": voters}
    if poll.kind in CHOICE_KINDS:
        counts = dict(
            votes.values_list("option")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("option", "n")
        )
        result["options"] = [{"id": o.pk, "count": counts.get(o.pk, 0)} for o in poll.options.all()]
    elif poll.kind == PollKind.RATING:
        by_value = dict(
            votes.values_list("value").annotate(n=Count("pk")).order_by().values_list("value", "n")
        )
        average = votes.aggregate(avg=Avg("value"))["avg"]
        result["ratings"] = [by_value.get(v, 0) for v in range(1, 6)]
        result["average"] = round(float(average), 2) if average is not None else None
    elif poll.kind == PollKind.CLOUD:
        result["words"] = cloud(votes.values_list("text", flat=True))
    else:
        result["answers"] = list(votes.order_by("-created_at").values_list("text", flat=True)[:50])
    if poll.kind == PollKind.QUIZ:
        result["leaderboard"] = quiz_leaderboard(poll.room)
    return result


def quiz_leaderboard(room: Room, limit: int = 10) -> list[dict[str, Any]]:
    """Participants by correct quiz answers in the room's revealed or closed quizzes."""
    rows = (
        Participant.objects.filter(
            votes__poll__room=room, votes__poll__kind=PollKind.QUIZ, votes__option__correct=True
        )
        .annotate(score=Count("votes", filter=Q(votes__option__correct=True)))
        .order_by("-score", "pk")[:limit]
    )
    return [{"name": p.name or "—", "score": p.score} for p in rows]


def poll_public(poll: Poll, *, with_results: bool | None = None) -> dict[str, Any]:
    """A poll as participants see it: results only once revealed (unless asked for)."""
    show = poll.results_visible if with_results is None else with_results
    options: list[PollOption] = list(poll.options.all())
    data: dict[str, Any] = {
        "id": poll.pk,
        "kind": poll.kind,
        "question": poll.question,
        "status": poll.status,
        "revealed": poll.results_visible,
        "options": [{"id": o.pk, "text": o.text} for o in options],
    }
    if show:
        # The results count the voters too: counted once (a poll's results are rebuilt a few
        # times a second while it runs, over every vote).
        data["results"] = poll_results(poll)
        data["voters"] = data["results"]["voters"]
    else:
        data["voters"] = Vote.objects.filter(poll=poll).values("participant").distinct().count()
    if poll.kind == PollKind.QUIZ and poll.results_visible:
        data["correct"] = [o.pk for o in options if o.correct]
    return data


def room_state(room: Room) -> dict[str, Any]:
    """Everything a page needs to draw a room; SSE events then keep it current."""
    questions = Question.objects.filter(room=room, status=QuestionStatus.APPROVED)
    polls = (
        Poll.objects.filter(room=room).exclude(status=PollStatus.DRAFT).prefetch_related("options")
    )
    return {
        "room": {
            "code": room.code,
            "title": room.title,
            "showing": room.showing,
            "showing_poll": room.showing_poll_id,
            "anonymous": room.anonymous_questions,
            "max_length": room.max_question_length,
            "archived": room.archived_at is not None,
            "survey": room_survey(room),
        },
        "questions": [question_public(q) for q in questions],
        "polls": [poll_public(p) for p in polls],
    }
