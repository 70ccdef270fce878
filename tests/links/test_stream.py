"""The scaled shape: web processes append click batches to a Redis stream, workers drain it."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from keryx.links.domain.clicks import (
    STREAM_GROUP,
    clicks_drain,
    clicks_prepare,
    clicks_push,
    stream_key,
)
from keryx.links.models import Click
from keryx.links.redirect.recorder import ClickRecorder
from tests.conftest import services_or_skip
from tests.links.conftest import BROWSER

pytestmark = pytest.mark.django_db


def _raw(link_id: int, count: int) -> list[Any]:
    now = time.time()
    return [
        (link_id, now, False, False, f"203.0.113.{n % 200}", b"", BROWSER.encode(), b"")
        for n in range(count)
    ]


@pytest.fixture
def redis_stream(settings) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    _db, url = services_or_skip()
    import redis

    client = redis.Redis.from_url(url)
    settings.REDIS_URL = url
    settings.KERYX_CLICKS_QUEUE = "redis"
    settings.KERYX_CLICKS_STREAM = f"keryx-test-clicks:{uuid.uuid4().hex}"
    yield client
    client.delete(settings.KERYX_CLICKS_STREAM)
    client.close()


def test_a_batch_goes_through_the_stream_into_the_database(make_link, redis_stream) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    recorder = ClickRecorder()
    recorder.autostart = False
    for event in _raw(link.pk, 40):
        recorder.record(event)
    # Pushes one stream entry, then asks a worker to drain (tests run tasks at once).
    assert recorder.flush() == 40
    assert Click.objects.filter(link=link, kind="human").count() == 40
    assert redis_stream.xlen(stream_key()) == 0


def test_an_entry_read_by_a_crashed_worker_is_taken_over(make_link, redis_stream) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    clicks = clicks_prepare(events=_raw(link.pk, 25), salt_for=lambda day: "ab" * 32)
    clicks_push(clicks=clicks, key="batch:crashed", redis=redis_stream)
    redis_stream.xgroup_create(stream_key(), STREAM_GROUP, id="0", mkstream=True)
    # A worker reads the entry, then dies before writing it.
    taken = redis_stream.xreadgroup(STREAM_GROUP, "dead-worker", {stream_key(): ">"}, count=10)
    assert len(taken[0][1]) == 1
    assert clicks_drain(redis=redis_stream, consumer="alive", idle_ms=0) == 25
    assert Click.objects.filter(link=link).count() == 25
    assert redis_stream.xpending(stream_key(), STREAM_GROUP)["pending"] == 0


def test_a_batch_delivered_twice_is_stored_once(make_link, redis_stream) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    clicks = clicks_prepare(events=_raw(link.pk, 10), salt_for=lambda day: "ab" * 32)
    clicks_push(clicks=clicks, key="batch:twice", redis=redis_stream)
    clicks_push(clicks=json.loads(json.dumps(clicks)), key="batch:twice", redis=redis_stream)
    assert clicks_drain(redis=redis_stream, consumer="w1") == 10
    assert Click.objects.filter(link=link).count() == 10


def test_without_redis_the_web_process_writes_the_database_itself(make_link, settings) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_CLICKS_QUEUE = "redis"
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    link = make_link(network="x")
    recorder = ClickRecorder()
    recorder.autostart = False
    for event in _raw(link.pk, 15):
        recorder.record(event)
    assert recorder.flush() == 15
    assert Click.objects.filter(link=link).count() == 15
