"""Must show: 50 parallel registrations for 20 places → exactly 20 registered and 30 on the
waiting list; two staff scanning the same ticket at once → one check-in. Each database runs
the race in a separate process (tests/registrations/race.py) with real threads and real
connections, on a fresh database: a SQLite file in WAL mode, and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.conftest import services_or_skip
from tests.registrations.race_support import run_race
from tests.support.databases import scratch_database

EXPECTED = {
    "registered": 20,
    "waitlisted": 30,
    "total": 50,
    "distinct_emails": 50,
    "checkin_outcomes": ["already", "checked_in"],
    "checked_in": 1,
    "errors": [],
}


def _race(database_url: str) -> dict[str, object]:
    return run_race("tests.registrations.race", database_url)


@pytest.mark.slow
def test_registrations_race_on_sqlite_gives_exactly_capacity_places(tmp_path) -> None:
    result = _race(f"sqlite:///{tmp_path / 'race.sqlite3'}")
    assert result.pop("vendor") == "sqlite"
    assert result == EXPECTED


@pytest.mark.slow
@pytest.mark.services
def test_registrations_race_on_postgresql_gives_exactly_capacity_places() -> None:
    db_url, _redis = services_or_skip()
    with scratch_database(db_url, "keryx_race") as url:
        result = _race(url)
    assert result.pop("vendor") == "postgresql"
    assert result == EXPECTED
