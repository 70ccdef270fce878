"""Must show: two deliveries of the same registrant e-mail at the same instant (two copies of a
queue message on two workers) send it once. Each database runs the race in a separate process
(tests/registrations/email_race.py) with real threads and connections, against a real SMTP
server: a SQLite file in WAL mode, and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.conftest import services_or_skip
from tests.registrations.race_support import run_race
from tests.registrations.sinks import FaultySink
from tests.support.databases import scratch_database

EMAILS = 20


def _race(database_url: str) -> tuple[dict[str, object], list[str]]:
    with FaultySink() as sink:
        sink.faults.data_delay = 0.05  # a send takes a while, as on a real server
        result = run_race(
            "tests.registrations.email_race", database_url, str(sink.port), "--emails", str(EMAILS)
        )
        received = [str(m["Message-ID"]) for m in sink.messages]
    return result, received


def _check(result: dict[str, object], received: list[str]) -> None:
    rows = result["rows"]
    assert isinstance(rows, dict)
    assert result["errors"] == []
    assert result["answers"] == {"sent": EMAILS, "skipped": EMAILS}
    assert set(map(tuple, rows.values())) == {("sent", 1)}
    assert sorted(received) == sorted(rows)  # each e-mail arrived, and only once


@pytest.mark.slow
def test_two_deliveries_at_once_send_one_email_on_sqlite(tmp_path) -> None:
    result, received = _race(f"sqlite:///{tmp_path / 'race.sqlite3'}")
    assert result.pop("vendor") == "sqlite"
    _check(result, received)


@pytest.mark.slow
@pytest.mark.services
def test_two_deliveries_at_once_send_one_email_on_postgresql() -> None:
    db_url, _redis = services_or_skip()
    with scratch_database(db_url, "keryx_mailrace") as url:
        result, received = _race(url)
    assert result.pop("vendor") == "postgresql"
    _check(result, received)
