"""The spool shape: the web process writes anonymous batches to files, the worker stores them."""

from __future__ import annotations

import os
import pickle
import re
import shutil
import threading
import time
from pathlib import Path

import pytest

from keryx.links.domain.clicks import RawEvent, clicks_spool_drain, clicks_spool_load
from keryx.links.models import Click, ClickBatch
from keryx.links.redirect.recorder import ClickRecorder
from keryx.links.tasks import drain_clicks
from tests.links.conftest import BROWSER

pytestmark = pytest.mark.django_db(transaction=True)


def _event(link_id: int, n: int = 0, *, untracked: bool = False) -> RawEvent:
    return (
        link_id,
        time.time(),
        False,
        untracked,
        f"198.51.100.{n % 250}",
        b"",
        BROWSER.encode(),
        b"https://t.co/abc",
    )


@pytest.fixture
def spool(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.KERYX_HOME = tmp_path
    settings.KERYX_CLICKS_QUEUE = "spool"
    return tmp_path / "clicks-spool"


def test_batches_go_to_anonymous_files_and_the_worker_stores_them(make_link, spool: Path) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    recorder = ClickRecorder(batch_size=100)
    recorder.autostart = recorder.kick_worker = False
    for n in range(250):
        recorder.record(_event(link.pk, n, untracked=n % 50 == 0))
    assert recorder.flush() == 250
    files = sorted(spool.glob("*.clicks"))
    assert len(files) == 3  # batches of 100, 100, 50
    assert not list(spool.glob("*.partial"))
    batches = [clicks_spool_load(f.read_bytes()) for f in files]
    assert sum(len(b) for b in batches) == 250
    text = repr(batches)
    # Nothing personal reaches the disk: last octets zeroed, no user agent, no page.
    assert set(re.findall(r"198\.51\.100\.(\d+)", text)) == {"0"}
    assert "Chrome" not in text and "/abc" not in text
    assert Click.objects.filter(link=link).count() == 0  # the web process stored nothing

    assert drain_clicks.call_local() == 250
    assert Click.objects.filter(link=link, kind="human").count() == 245
    assert Click.objects.filter(link=link, kind="anonymous").count() == 5
    assert not list(spool.glob("*.clicks"))
    assert ClickBatch.objects.filter(key__startswith="spool:").count() == 3


def test_a_file_handed_over_twice_is_stored_once(make_link, spool: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    recorder = ClickRecorder()
    recorder.autostart = recorder.kick_worker = False
    for n in range(40):
        recorder.record(_event(link.pk, n))
    recorder.flush()
    (original,) = spool.glob("*.clicks")
    copy = tmp_path / "copy"
    shutil.copy(original, copy)
    assert clicks_spool_drain() == 40
    # The drain died after storing, before deleting: the same file is there again.
    shutil.copy(copy, original)
    assert clicks_spool_drain() == 0
    assert not original.exists()
    assert Click.objects.filter(link=link).count() == 40


def test_two_drains_at_once_store_each_file_once(make_link, spool: Path) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    recorder = ClickRecorder(batch_size=20)
    recorder.autostart = recorder.kick_worker = False
    for n in range(400):
        recorder.record(_event(link.pk, n))
    recorder.flush()
    assert len(list(spool.glob("*.clicks"))) == 20
    errors: list[BaseException] = []

    def drain() -> None:
        from django.db import connection

        try:
            for _ in range(50):
                try:
                    clicks_spool_drain()
                    break
                except Exception as exc:  # SQLite in memory: "table is locked"; try again
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=drain) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    clicks_spool_drain()
    assert Click.objects.filter(link=link).count() == 400
    assert not list(spool.glob("*.clicks"))


def test_with_the_worker_down_the_files_wait_and_nothing_is_lost(make_link, spool: Path) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    recorder = ClickRecorder(interval=0.05)
    recorder.kick_worker = False  # no worker runs
    recorder.start()
    for n in range(300):
        recorder.record(_event(link.pk, n))
    # Shutdown writes what is still queued to the spool too.
    recorder.stop()
    assert recorder.pending() == 0
    waiting = sum(len(clicks_spool_load(f.read_bytes())) for f in spool.glob("*.clicks"))
    assert waiting == 300
    assert Click.objects.filter(link=link).count() == 0
    # The worker comes back.
    assert drain_clicks.call_local() == 300
    assert Click.objects.filter(link=link).count() == 300


def test_the_writer_kicks_the_worker(make_link, spool: Path) -> None:  # type: ignore[no-untyped-def]
    # Tests run Huey in immediate mode: the kicked drain runs at once, in the writer.
    link = make_link(network="x")
    recorder = ClickRecorder()
    recorder.autostart = False
    for n in range(30):
        recorder.record(_event(link.pk, n))
    recorder.flush()
    assert Click.objects.filter(link=link).count() == 30
    assert not list(spool.glob("*.clicks"))


class _Boom:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("touch /tmp/keryx-spool-should-never-run",))


def test_a_forged_spool_file_is_refused_without_running_anything(
    make_link, spool: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    spool.mkdir()
    forged = spool / "1-forged.clicks"
    forged.write_bytes(pickle.dumps([{"l": link.pk, "x": _Boom()}], protocol=5))
    recorder = ClickRecorder()
    recorder.autostart = recorder.kick_worker = False
    for n in range(10):
        recorder.record(_event(link.pk, n))
    recorder.flush()
    assert clicks_spool_drain() == 10  # the good file after it is stored
    assert not Path("/tmp/keryx-spool-should-never-run").exists()
    assert not forged.exists() and (spool / "1-forged.rejected").exists()
    assert not list(spool.glob("*.clicks"))
