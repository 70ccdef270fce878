"""Probe findings 4 and 8: dates in a sane range, time zones that exist, wall-clock times
that exist, and a bad row already stored never breaks a page."""

from __future__ import annotations

import datetime as dt
import importlib
import json

import pytest
from django.apps import apps as django_apps

from keryx.seminars.models import Seminar

pytestmark = pytest.mark.django_db

V1 = "/api/v1"
RANGE = "Choose a date between 1970 and 2099."


def _patch(api, seminar: Seminar, body: dict[str, object]):  # type: ignore[no-untyped-def]
    url = f"{V1}/workspaces/{seminar.workspace.slug}/seminars/{seminar.pk}"
    return api.patch(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("year", [9999, 1899, 1500])
def test_a_seminar_date_out_of_range_is_422_and_nothing_changes(api, seminar, year) -> None:  # type: ignore[no-untyped-def]
    before = (seminar.starts_at, seminar.ends_at)
    response = _patch(api, seminar, {"ends_at": f"{year}-12-31T10:00:00"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["ends_at"] == [RANGE]
    seminar.refresh_from_db()
    assert (seminar.starts_at, seminar.ends_at) == before


def test_a_local_time_in_the_spring_forward_gap_is_refused(api, seminar) -> None:  # type: ignore[no-untyped-def]
    assert seminar.time_zone == "Europe/Athens"
    response = _patch(
        api, seminar, {"starts_at": "2027-03-28T03:30:00", "ends_at": "2027-03-28T06:00:00"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "starts_at": [
            "2027-03-28 03:30 does not exist in Europe/Athens: the clocks skip that hour "
            "(daylight saving time). Choose another time."
        ]
    }


def test_an_ambiguous_autumn_time_is_the_first_of_the_two(api, seminar) -> None:  # type: ignore[no-untyped-def]
    response = _patch(
        api, seminar, {"starts_at": "2027-10-31T03:30:00", "ends_at": "2027-10-31T06:00:00"}
    )
    assert response.status_code == 200
    assert response.json()["starts_at"] == "2027-10-31T03:30:00+03:00"


def test_a_bad_date_already_stored_does_not_break_the_api_and_is_repaired(
    api, seminar, owner_client
) -> None:  # type: ignore[no-untyped-def]
    Seminar.objects.filter(pk=seminar.pk).update(
        starts_at=dt.datetime(9999, 12, 31, 22, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(9999, 12, 31, 23, 30, tzinfo=dt.UTC),
    )
    ws = seminar.workspace.slug
    listed = api.get(f"{V1}/workspaces/{ws}/seminars")
    assert listed.status_code == 200
    assert listed.json()["items"][0]["ends_at"] == "9999-12-31T23:30:00Z"
    assert api.get(f"{V1}/workspaces/{ws}/seminars/{seminar.pk}").status_code == 200

    # The pages show times in the seminar's zone; the migration brings the rows back.
    repair = importlib.import_module("keryx.seminars.migrations.0003_dates_back_in_range")
    repair.forwards(django_apps, None)
    seminar.refresh_from_db()
    assert (seminar.starts_at, seminar.ends_at) == (
        dt.datetime(2099, 12, 31, 22, 0, tzinfo=dt.UTC),
        dt.datetime(2099, 12, 31, 23, 30, tzinfo=dt.UTC),
    )
    for page in (f"/w/{ws}/seminars/", f"/w/{ws}/seminars/{seminar.pk}/"):
        assert owner_client.get(page).status_code == 200, page


def test_the_seminar_form_refuses_a_year_out_of_range(owner_client, seminar) -> None:  # type: ignore[no-untyped-def]
    page = f"/w/{seminar.workspace.slug}/seminars/{seminar.pk}/edit/"
    form = owner_client.get(page).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(starts_at="9999-12-31T10:00", ends_at="9999-12-31T12:00")
    response = owner_client.post(page, data)
    assert response.status_code == 200
    assert response.context["form"].errors["starts_at"] == [RANGE]
