"""The API reads the KPI registry and the campaigns."""

from __future__ import annotations

import pytest
import time_machine

from tests.analytics.conftest import NOW

pytestmark = pytest.mark.django_db


def test_kpis_endpoint(known, api, workspace) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        response = api.get(f"/api/v1/workspaces/{workspace.slug}/seminars/{known.seminar.pk}/kpis")
    assert response.status_code == 200
    body = response.json()
    assert body["days_left"] == 6
    kpis = {k["key"]: k for k in body["kpis"]}
    assert kpis["registrations"] | {"label": ""} == {
        "key": "registrations",
        "label": "",
        "unit": "count",
        "measured": True,
        "value": 5.0,
        "reason": "",
        "target": 10.0,
        "progress_percent": 50.0,
        "forecast": 9.71,
        "pace_per_day": 0.79,
        "status": "on_track",
    }
    assert (kpis["nps"]["measured"], kpis["nps"]["value"], kpis["nps"]["status"]) == (
        False,
        None,
        "not_measured",
    )
    assert kpis["nps"]["reason"]


def test_campaigns_endpoint(known, api, workspace) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        response = api.get(
            f"/api/v1/workspaces/{workspace.slug}/seminars/{known.seminar.pk}/ad-campaigns"
        )
    assert response.status_code == 200
    [campaign] = response.json()
    assert {
        k: campaign[k]
        for k in ("spend", "registrants", "attendees", "cost_per_registrant", "pacing")
    } == {
        "spend": 50.5,
        "registrants": 3,
        "attendees": 1,
        "cost_per_registrant": 16.83,
        "pacing": "under",
    }
