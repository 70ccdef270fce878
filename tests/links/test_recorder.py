"""Clicks are never lost: under concurrent load, while storage is down, and at shutdown."""

from __future__ import annotations

import re
import shutil
import threading
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connection

from keryx.links.domain.clicks import RawEvent
from keryx.links.models import Click, ClickBatch
from keryx.links.redirect.recorder import RECORDER, ClickRecorder
from tests.links.conftest import BROWSER

pytestmark = pytest.mark.django_db(transaction=True)


def _event(link_id: int, n: int = 0) -> RawEvent:
    return (link_id, time.time(), False, False, f"198.51.100.{n % 250}", b"", BROWSER.encode(), b"")


def _wait_until(condition, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OperationalError as exc:
            # The test database is SQLite in memory with a shared cache, where a read while
            # the recorder's thread writes fails at once ("table is locked") instead of
            # waiting as it does on a file: try again.
            if "locked" not in str(exc):
                raise
        time.sleep(0.05)


def test_clicks_recorded_from_many_threads_are_all_stored(make_link) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    recorder = ClickRecorder(interval=0.05, batch_size=700)
    recorder.start()

    def burst() -> None:
        for n in range(2500):
            recorder.record(_event(link.pk, n))

    threads = [threading.Thread(target=burst) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    recorder.stop()
    assert Click.objects.filter(link=link, kind="human").count() == 20_000
    assert recorder.stored == 20_000
    assert recorder.pending() == 0


def _hide_clicks_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE links_click RENAME TO links_click_away")


def _restore_clicks_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE links_click_away RENAME TO links_click")


def test_clicks_wait_while_the_database_refuses_them(make_link) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    recorder = ClickRecorder(interval=0.05)
    recorder.start()
    _hide_clicks_table()
    try:
        for n in range(300):
            recorder.record(_event(link.pk, n))
        _wait_until(lambda: recorder.failures >= 2)
        assert recorder.failures >= 2
        assert recorder.pending() == 300
    finally:
        _restore_clicks_table()
    _wait_until(lambda: recorder.pending() == 0)
    recorder.stop()
    assert Click.objects.filter(link=link).count() == 300


def test_clicks_still_unstored_at_shutdown_go_to_a_spill_file_and_come_back_once(
    make_link, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_HOME = tmp_path
    link = make_link(network="x")
    recorder = ClickRecorder(interval=0.05)
    recorder.start()
    _hide_clicks_table()
    try:
        for n in range(120):
            recorder.record(_event(link.pk, n))
        recorder.stop(timeout=1.0)
        spilled = sorted((tmp_path / "clicks-spill").glob("*.jsonl"))
        assert len(spilled) == 1
        text = spilled[0].read_text()
        assert len(text.splitlines()) == 120
        # Anonymous already: last octets zeroed, no user agent.
        assert set(re.findall(r"198\.51\.100\.(\d+)", text)) == {"0"}
        assert "Chrome" not in text
    finally:
        _restore_clicks_table()
    copy = tmp_path / "copy.jsonl"
    shutil.copy(spilled[0], copy)

    recorder = ClickRecorder(interval=0.05)
    recorder.start()
    _wait_until(lambda: Click.objects.filter(link=link).count() == 120)
    recorder.stop()
    assert Click.objects.filter(link=link, kind="human").count() == 120
    assert not spilled[0].exists()
    # The same file a second time (a crash before it was deleted) stores nothing more.
    shutil.copy(copy, spilled[0])
    recorder = ClickRecorder(interval=0.05)
    recorder.start()
    _wait_until(lambda: not spilled[0].exists())
    recorder.stop()
    assert Click.objects.filter(link=link).count() == 120
    assert ClickBatch.objects.filter(key=f"spill:{spilled[0].name}").count() == 1


def test_the_module_recorder_starts_on_the_first_click(make_link) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    RECORDER.autostart = True
    RECORDER.record(_event(link.pk))
    assert RECORDER.running
    _wait_until(lambda: Click.objects.filter(link=link).count() == 1)
    RECORDER.stop()
    assert Click.objects.filter(link=link).count() == 1
