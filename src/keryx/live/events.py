"""What the live app tells connected screens, through the real-time layer (after commit).

Question and poll events are coalesced per object: a question upvoted 50 times in a second, or
a poll with a thousand votes a second, reaches each screen a few times a second with its
newest state, built from the database when it is sent."""

from __future__ import annotations

from typing import Any

from keryx.core.realtime import publish_coalesced, publish_on_commit
from keryx.live.models import Poll, Question, Room
from keryx.live.survey import room_survey


def room_changed(room: Room) -> None:
    publish_on_commit(
        room.stream,
        "room",
        {
            "showing": room.showing,
            "showing_poll": room.showing_poll_id,
            "archived": room.archived_at is not None,
            "survey": room_survey(room),
        },
        coalesce=f"room:{room.pk}",
    )


def question_changed(question: Question) -> None:
    question_id = question.pk

    def build() -> dict[str, Any] | None:
        from keryx.live.results import question_public

        found = Question.objects.filter(pk=question_id).first()
        return question_public(found) if found is not None else None

    publish_coalesced(
        f"question:{question_id}",
        stream=f"live.room.{question.room_id}",
        kind="question",
        build=build,
    )


def poll_changed(poll: Poll) -> None:
    poll_changed_by_id(poll.pk, room_id=poll.room_id)


def poll_changed_by_id(poll_id: int, *, room_id: int | None = None) -> None:
    """A poll's counts changed: after commit, one ``poll`` event on its room's stream, at
    most every ``KERYX_EVENTS_COALESCE`` seconds, built from the database when it is sent."""
    if room_id is None:
        room_id = _ROOM_OF_POLL.get(poll_id)
        if room_id is None:
            room_id = Poll.objects.filter(pk=poll_id).values_list("room_id", flat=True).first()
            if room_id is None:
                return
            if len(_ROOM_OF_POLL) > 10_000:
                _ROOM_OF_POLL.clear()
            _ROOM_OF_POLL[poll_id] = room_id

    def build() -> dict[str, Any] | None:
        from keryx.live.results import poll_public

        found = Poll.objects.filter(pk=poll_id).prefetch_related("options").first()
        if found is None:
            return None
        return poll_public(found)

    publish_coalesced(f"poll:{poll_id}", stream=f"live.room.{room_id}", kind="poll", build=build)


# A poll never changes rooms: remembered so a batch of votes costs no lookup.
_ROOM_OF_POLL: dict[int, int] = {}
