"""Where the audience comes from, on the known data set."""

from __future__ import annotations

import pytest
from django.utils import translation

from keryx.analytics.audience import audience_charts
from keryx.analytics.domain.rollups import rollups_refresh
from keryx.links.models import Click
from keryx.registrations.models import Registration

pytestmark = pytest.mark.django_db


def test_audience_charts_on_the_known_data_set(known) -> None:  # type: ignore[no-untyped-def]
    Click.objects.filter(link=known.organic, kind="human").update(referrer="t.co")
    Registration.objects.filter(email__in=["p1@example.org", "p3@example.org"]).update(
        region="Αττική", heard_from="social"
    )
    known.paid.utm_source = "facebook"
    known.paid.save(update_fields=["utm_source"])
    rollups_refresh(known.seminar, full=True)
    with translation.override("en"):
        charts = {c.key: c for c in audience_charts(known.seminar)}
    pairs = {k: list(zip(c.labels, c.datasets[0]["data"], strict=True)) for k, c in charts.items()}
    assert pairs["audience-channel"] == [("X", 3), ("Facebook", 2)]
    assert pairs["audience-referrer"] == [("t.co", 3), ("None (typed, app or e-mail)", 2)]
    assert pairs["audience-utm-source"] == [("—", 3), ("facebook", 2)]
    # Five registrations not cancelled: two in Attica, three did not say.
    assert pairs["audience-region"] == [("Not given", 3), ("Αττική", 2)]
    assert pairs["audience-heard-from"] == [("Not given", 3), ("Social media", 2)]
