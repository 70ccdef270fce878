"""The calendar's entries: a post late in the evening stays on its day (issue 16, bug 3), and
each entry carries what the compact view draws (network mark, time, title, thumbnail)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from keryx.content.enums import VariantStatus
from keryx.publishing.calendar import drawn_until, variant_event
from tests.publishing.factories import make_account, make_post, make_variant

ATHENS = zoneinfo.ZoneInfo("Europe/Athens")
S = VariantStatus


def test_drawn_until_stops_at_midnight_for_a_post_at_23_30() -> None:
    when = dt.datetime(2026, 12, 5, 23, 30, tzinfo=ATHENS)
    assert drawn_until(when, "Europe/Athens") == "2026-12-06T00:00:00"


def test_drawn_until_is_half_an_hour_during_the_day() -> None:
    when = dt.datetime(2026, 12, 5, 8, 0, tzinfo=dt.UTC)
    assert drawn_until(when, "Europe/Athens") == "2026-12-05T10:30:00"


@pytest.mark.django_db
def test_event_of_a_post_at_23_30_athens_ends_on_the_same_day(user, workspace, seminar) -> None:
    account = make_account(workspace, network="instagram", name="seminar_ig")
    variant = make_variant(
        make_post(seminar, user, text="Καληνύχτα από την Τεχνόπολη\nδεύτερη γραμμή"),
        account,
        status=S.SCHEDULED,
        scheduled_at=dt.datetime(2026, 12, 5, 23, 30, tzinfo=ATHENS),
    )
    event = variant_event(variant, "Europe/Athens", can_schedule=True)
    assert (event["start"], event["end"]) == ("2026-12-05T23:30:00", "2026-12-06T00:00:00")
    props = event["extendedProps"]
    assert (props["mark"], props["time"], props["title"], props["thumbnail"]) == (
        "IG",
        "23:30",
        "Καληνύχτα από την Τεχνόπολη",
        "",
    )
