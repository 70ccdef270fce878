"""The real-time layer: the events table, the wake-up signal, the hub, SSE over ASGI, and the
ASGI front that mounts it."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from keryx.core import asgi as front
from keryx.core.models import Event
from keryx.core.realtime import current_event_id, publish, publish_coalesced, publish_on_commit
from keryx.core.realtime.hub import get_hub, stop_hub
from keryx.core.realtime.publish import COALESCER
from tests.support.sse import ASGIStream

pytestmark = pytest.mark.django_db(transaction=True)


async def _resolve(rest: str, scope: Any) -> Sequence[str] | None:
    return [f"test.{rest}"] if rest in {"a", "b"} else None


@pytest.fixture
def app(settings) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """Django behind the ASGI front with a test SSE route ``/test-events/<a|b>``."""
    settings.KERYX_SSE_INTERVAL = 0.05
    front.register_sse_route("/test-events/", _resolve)
    from django.core.asgi import get_asgi_application

    yield front.build_application(get_asgi_application())
    front._SSE_ROUTES.pop("/test-events/", None)


def run(coro: Any) -> Any:
    async def main() -> Any:
        try:
            return await coro
        finally:
            await stop_hub()

    return asyncio.run(main())


def test_ids_grow_and_on_commit_publishes_only_committed_changes() -> None:
    first = publish("test.a", "hello", {"n": 1})
    with transaction.atomic():
        publish_on_commit("test.a", "kept", {"n": 2})
        assert Event.objects.filter(kind="kept").count() == 0
    with pytest.raises(RuntimeError), transaction.atomic():
        publish_on_commit("test.a", "rolled-back", {"n": 3})
        raise RuntimeError
    kinds = list(Event.objects.order_by("id").values_list("kind", "data"))
    assert kinds == [("hello", {"n": 1}), ("kept", {"n": 2})]
    assert current_event_id() > first


def test_stream_sends_events_published_from_another_thread_in_order(app: Any) -> None:
    async def scenario() -> list[tuple[str, Any]]:
        async with ASGIStream(app, "/test-events/a") as stream:
            await get_hub()
            await asyncio.sleep(0.05)

            def writer() -> None:
                for n in range(5):
                    publish("test.a", "tick", {"n": n})
                publish("test.b", "other", {"n": 99})  # another stream: not sent here

            await asyncio.to_thread(writer)
            await stream.wait_for(lambda events: len(events) >= 5)
            await asyncio.sleep(0.2)
            assert stream.status == 200
            assert stream.headers["content-type"] == "text/event-stream; charset=utf-8"
            ids = [e.id for e in stream.events]
            assert ids == sorted(ids)
            return [(e.event, e.data) for e in stream.events]

    assert run(scenario()) == [("tick", {"n": n}) for n in range(5)]


def test_resume_with_last_event_id_misses_nothing_and_repeats_nothing(app: Any) -> None:
    before = [publish("test.a", "tick", {"n": n}) for n in range(3)]

    async def scenario() -> list[int]:
        # Dropped after the first three; three more happen while the client is away.
        async with ASGIStream(app, "/test-events/a", last_event_id=before[0]) as stream:
            await stream.wait_for(lambda events: len(events) == 2)
        seen = [e.data["n"] for e in stream.events]
        await asyncio.to_thread(lambda: [publish("test.a", "tick", {"n": n}) for n in range(3, 6)])
        async with ASGIStream(app, "/test-events/a", last_event_id=stream.events[-1].id) as again:
            await again.wait_for(lambda events: len(events) >= 3)
            await asyncio.to_thread(publish, "test.a", "tick", {"n": 6})
            await again.wait_for(lambda events: len(events) >= 4)
            await asyncio.sleep(0.2)
        return seen + [e.data["n"] for e in again.events]

    assert run(scenario()) == [1, 2, 3, 4, 5, 6]


def test_after_parameter_resumes_from_the_id_a_page_was_rendered_at(app: Any) -> None:
    publish("test.a", "tick", {"n": 0})
    rendered_at = current_event_id()
    publish("test.a", "tick", {"n": 1})

    async def scenario() -> list[int]:
        async with ASGIStream(app, "/test-events/a", query=f"after={rendered_at}") as stream:
            await stream.wait_for(lambda events: len(events) == 1)
        return [e.data["n"] for e in stream.events]

    assert run(scenario()) == [1]


def test_superseded_counts_are_coalesced_and_the_newest_always_arrives(app: Any, settings) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_SSE_INTERVAL = 0.3

    async def scenario() -> list[Any]:
        async with ASGIStream(app, "/test-events/a") as stream:
            await get_hub()

            def burst() -> None:
                publish("test.a", "question", {"q": 1})
                for n in range(1, 101):
                    publish("test.a", "counts", {"votes": n}, coalesce="poll:1")
                publish("test.a", "question", {"q": 2})

            started = time.monotonic()
            await asyncio.to_thread(burst)
            await stream.wait_for(
                lambda events: any(e.data == {"votes": 100} for e in events), timeout=10
            )
            await stream.wait_for(lambda events: any(e.data == {"q": 2} for e in events))
            elapsed.append(time.monotonic() - started)
            return [e.data for e in stream.events]

    elapsed: list[float] = []
    received = run(scenario())
    counts = [d["votes"] for d in received if "votes" in d]
    assert {"q": 1} in received and {"q": 2} in received
    assert counts[-1] == 100
    assert counts == sorted(counts)
    # Not one frame per vote: at most one per interval while the burst lasted (on a quiet
    # machine the burst takes well under a second; a loaded one may stretch it).
    assert len(counts) <= elapsed[0] / 0.3 + 2
    assert len(counts) < 50


def test_coalescer_publishes_a_few_events_for_many_changes() -> None:
    state = {"votes": 0}
    for _ in range(500):
        state["votes"] += 1
        with transaction.atomic():
            publish_coalesced(
                "poll:7",
                stream="test.a",
                kind="counts",
                build=lambda: dict(state),
                interval=0.2,
            )
    COALESCER.flush()
    import time

    time.sleep(0.4)
    events = list(Event.objects.filter(coalesce_key="poll:7").values_list("data", flat=True))
    assert 1 <= len(events) <= 3
    assert events[-1] == {"votes": 500}


def test_heartbeat_on_silence_and_unknown_stream_goes_to_django(app: Any, settings) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_SSE_HEARTBEAT = 0.1

    async def scenario() -> tuple[int, int | None]:
        async with ASGIStream(app, "/test-events/a") as stream:
            await asyncio.sleep(0.5)
        async with ASGIStream(app, "/test-events/zzz") as missing:
            for _ in range(200):
                if missing.status is not None and "</html>" in missing.raw:
                    break
                await asyncio.sleep(0.05)
        return stream.heartbeats, missing.status

    beats, status = run(scenario())
    assert beats >= 2
    assert status == 404  # Django's not-found page


def test_front_nests_mounts_by_order_and_asgi_module_names_no_app() -> None:
    names = [m.name for m in front.mounts()]
    assert names.index("links.redirect") < names.index("core.realtime")
    source = (Path(front.__file__).parents[1] / "asgi.py").read_text()
    assert "links" not in source


def test_signal_wakes_a_hub_at_once_without_waiting_for_the_poll(settings) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_EVENTS_POLL = 30.0

    async def scenario() -> float:
        hub = await get_hub()
        feed = hub.subscribe(frozenset({"test.a"}))
        seen = hub.cursor
        loop = asyncio.get_running_loop()
        started = loop.time()
        threading.Thread(target=publish, args=("test.a", "tick", {"n": 1})).start()
        await asyncio.wait_for(feed.wait(), timeout=5)
        assert [f.kind for f in feed.after(seen) or []] == ["tick"]
        return loop.time() - started

    assert run(scenario()) < 2.0


def test_streams_of_the_same_channels_share_one_feed_and_a_slow_one_reads_the_table(  # type: ignore[no-untyped-def]
    app: Any, monkeypatch
) -> None:
    """Every connection to the same streams shares one feed (each frame kept once, not once
    per connection). A connection further behind than the feed keeps — here 3 frames — reads
    what it missed from the events table: nothing lost, nothing twice."""
    from keryx.core.realtime import hub as hub_module

    monkeypatch.setattr(hub_module, "KEEP", 3)

    async def scenario() -> tuple[list[int], list[int], int, int]:
        hub = await get_hub()
        async with (
            ASGIStream(app, "/test-events/a") as one,
            ASGIStream(app, "/test-events/a") as two,
        ):
            await asyncio.sleep(0.1)
            feed = hub.feeds[frozenset({"test.a"})]
            sharing = feed.subscribers
            await asyncio.to_thread(lambda: [publish("test.a", "tick", {"n": n}) for n in range(2)])
            await one.wait_for(lambda events: len(events) == 2)
            await two.wait_for(lambda events: len(events) == 2)
            # A third connection resumes from the first event, while nine more arrive at once:
            # the feed keeps only the last three.
            async with ASGIStream(app, "/test-events/a", last_event_id=one.events[0].id) as late:
                await asyncio.to_thread(
                    lambda: [publish("test.a", "tick", {"n": n}) for n in range(2, 11)]
                )
                await late.wait_for(lambda events: len(events) == 10)
                await one.wait_for(lambda events: len(events) == 11)
                await asyncio.sleep(0.2)
            late_seen = [e.data["n"] for e in late.events]
            one_seen = [e.data["n"] for e in one.events]
        return late_seen, one_seen, sharing, len(hub.feeds)

    late_seen, one_seen, sharing, feeds_left = run(scenario())
    assert late_seen == list(range(1, 11))
    assert one_seen == list(range(11))
    assert sharing == 2
    assert feeds_left == 0  # the last connection to leave removes the feed


def test_a_feed_beyond_what_it_keeps_says_so() -> None:
    from keryx.core.realtime.hub import KEEP, Feed, frame_of

    feed = Feed(frozenset({"s"}), floor=10)
    assert feed.after(10) == []
    assert feed.after(9) is None  # from before the feed began: read the table
    for n in range(11, 12 + KEEP):
        feed.add(frame_of(n, "s", "tick", {}, ""))
    assert feed.floor == 11
    assert feed.after(10) is None
    assert [f.id for f in feed.after(9 + KEEP) or []] == [10 + KEEP, 11 + KEEP]


def test_a_writer_that_commits_back_to_back_lets_a_waiting_publisher_go_first() -> None:
    """SQLite's busy handler is not fair, so the live vote writer asks ``WRITE_TURN`` before
    each batch: while an event insert wants the lock, the writer waits (at most its timeout)."""
    from keryx.core.realtime.publish import WriteTurn

    turn = WriteTurn()
    waited: list[float] = []

    def writer() -> None:
        began = time.monotonic()
        turn.let_others_go(timeout=5)
        waited.append(time.monotonic() - began)

    turn.let_others_go(timeout=5)  # nobody waiting: no wait at all
    with turn.wanted():
        thread = threading.Thread(target=writer)
        thread.start()
        time.sleep(0.3)
        assert not waited  # still letting the publisher go first
    thread.join(timeout=5)
    assert len(waited) == 1 and 0.25 <= waited[0] < 3

    with turn.wanted():  # a publisher that never finishes holds the writer up only briefly
        began = time.monotonic()
        turn.let_others_go(timeout=0.1)
        assert time.monotonic() - began < 1
