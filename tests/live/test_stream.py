"""The room's event stream through the ASGI application: live results, and a dropped
connection resumed with Last-Event-ID that misses nothing and counts nothing twice."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from keryx.asgi import application
from keryx.core.realtime.hub import stop_hub
from keryx.live.domain.participants import participant_join
from keryx.live.domain.polls import poll_create, poll_set_status, poll_vote
from keryx.live.domain.questions import question_ask
from keryx.live.enums import Moderation
from keryx.live.models import Vote
from tests.support.sse import ASGIStream

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast(settings) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_SSE_INTERVAL = 0.05
    settings.KERYX_EVENTS_COALESCE = 0.05


def test_drop_mid_poll_and_resume_with_last_event_id(room, access) -> None:  # type: ignore[no-untyped-def]
    room.moderation = Moderation.AFTER
    room.save()
    poll = poll_create(
        access=access, room=room, kind="single", question="Ναι ή όχι;", options=["Ναι", "Όχι"]
    )
    poll_set_status(access=access, poll=poll, action="launch")
    poll = poll_set_status(access=access, poll=poll, action="reveal")
    yes, no = list(poll.options.values_list("pk", flat=True))
    voters = [participant_join(seminar=room.seminar) for _ in range(9)]

    def cast(people: list[Any], option: int) -> None:
        for person in people:
            poll_vote(poll=poll, participant=person, options=[option])

    def counts(events: list[Any]) -> dict[int, int] | None:
        results = [e.data["results"] for e in events if e.event == "poll" and "results" in e.data]
        return {o["id"]: o["count"] for o in results[-1]["options"]} if results else None

    async def scenario() -> dict[str, Any]:
        path = f"/j/{room.code}/events"
        async with ASGIStream(application, path, query="after=0") as first:
            await first.wait_for(lambda ev: counts(ev) is not None)
            await asyncio.to_thread(cast, voters[:5], yes)
            await first.wait_for(lambda ev: counts(ev) == {yes: 5, no: 0}, timeout=10)
        dropped_at = first.events[-1].id
        # While the phone is away: four more votes and a question.
        await asyncio.to_thread(cast, voters[5:], no)
        await asyncio.to_thread(
            lambda: question_ask(
                room=room, participant=voters[0], text="Θα μοιραστείτε τις διαφάνειες;"
            )
        )
        await asyncio.sleep(0.3)  # the coalesced results event is written
        async with ASGIStream(application, path, last_event_id=dropped_at) as again:
            await again.wait_for(
                lambda ev: counts(ev) == {yes: 5, no: 4} and any(e.event == "question" for e in ev),
                timeout=10,
            )
        return {
            "dropped_at": dropped_at,
            "resumed_ids": [e.id for e in again.events],
            "questions": [e.data["text"] for e in again.events if e.event == "question"],
        }

    async def main() -> dict[str, Any]:
        try:
            return await scenario()
        finally:
            await stop_hub()

    seen = asyncio.run(main())
    assert all(i > seen["dropped_at"] for i in seen["resumed_ids"])
    assert seen["resumed_ids"] == sorted(set(seen["resumed_ids"]))
    assert seen["questions"] == ["Θα μοιραστείτε τις διαφάνειες;"]
    assert Vote.objects.filter(poll=poll).count() == 9
