"""A known data set for the analytics tests: registrations, clicks and an ad campaign of the
seminar of 12 December 2026 (Athens), seen on 6 December 2026 at noon."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from keryx.analytics import kpis as registry
from keryx.analytics.domain.rollups import rollups_refresh
from keryx.analytics.models import AdCampaign, AdResult
from keryx.links.models import Click, TrackedLink
from keryx.registrations.models import Registration
from keryx.seminars.models import KpiTarget

ATHENS = ZoneInfo("Europe/Athens")
NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=ATHENS)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=ATHENS)


@dataclass
class Known:
    seminar: object
    organic: TrackedLink
    paid: TrackedLink
    campaign: AdCampaign


@pytest.fixture
def restore_registry() -> Iterator[None]:
    saved = dict(registry._REGISTRY)
    yield
    registry._REGISTRY.clear()
    registry._REGISTRY.update(saved)


def _registration(seminar, n: int, created, **fields) -> Registration:  # type: ignore[no-untyped-def]
    reg = Registration.objects.create(
        seminar=seminar,
        status=fields.pop("status", "registered"),
        name=f"Συμμετέχων {n}",
        email=f"p{n}@example.org",
        language="el",
        **fields,
    )
    Registration.objects.filter(pk=reg.pk).update(created_at=created)
    return reg


@pytest.fixture
def known(seminar, workspace, user) -> Known:  # type: ignore[no-untyped-def]
    organic = TrackedLink.objects.create(
        workspace=workspace,
        seminar=seminar,
        code="orgX1",
        destination="https://example.org/",
        network="x",
    )
    paid = TrackedLink.objects.create(
        workspace=workspace,
        seminar=seminar,
        code="paidF1",
        destination="https://example.org/",
        network="facebook",
    )
    # Registrations, by day in Athens: 1 Dec: 2 · 2 Dec: 1 (00:30 Athens is still 1 Dec in
    # UTC) · 3 Dec: 1 · 4 Dec: 1 cancelled (not counted) · 5 Dec: 1.
    _registration(seminar, 1, at(1, 10), confirmed_at=at(1, 11), last_touch_code="orgX1")
    _registration(seminar, 2, at(1, 23, 30))
    _registration(seminar, 3, at(2, 0, 30), confirmed_at=at(3, 9), last_touch_code="paidF1")
    _registration(
        seminar, 4, at(3, 15), status="waitlisted", confirmed_at=at(3, 16), last_touch_code="paidF1"
    )
    _registration(
        seminar,
        5,
        at(4, 9),
        status="cancelled",
        confirmed_at=at(4, 10),
        cancelled_at=at(4, 12),
        last_touch_code="paidF1",
    )
    _registration(
        seminar,
        6,
        at(5, 9),
        confirmed_at=at(5, 9, 5),
        checked_in_at=at(6, 10),
        last_touch_code="paidF1",
    )
    # Clicks by people: 2 Dec ×2, 4 Dec ×3; a preview and a bot are not counted.
    for link, when, kind in (
        (organic, at(2, 9), "human"),
        (organic, at(2, 10), "human"),
        (organic, at(2, 10), "preview"),
        (paid, at(4, 8), "human"),
        (paid, at(4, 9), "human"),
        (organic, at(4, 20), "human"),
        (paid, at(4, 21), "bot"),
    ):
        Click.objects.create(link=link, at=when, kind=kind)
    campaign = AdCampaign.objects.create(
        workspace=workspace,
        seminar=seminar,
        platform="meta",
        name="Χειμερινή καμπάνια",
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 10),
        budget=Decimal("200.00"),
        currency="EUR",
    )
    campaign.links.set([paid])
    for day, spend, clicks in ((1, "20.50", 40), (2, "30.00", 60)):
        AdResult.objects.create(
            campaign=campaign,
            period_start=dt.date(2026, 12, day),
            period_end=dt.date(2026, 12, day),
            spend=Decimal(spend),
            impressions=1000 * day,
            clicks=clicks,
            imported_at=at(3, 8),
        )
    for metric, target in (
        ("registrations", "10"),
        ("clicks", "4"),
        ("attendance", "100"),
        ("budget", "200"),
        ("nps", "30"),
    ):
        KpiTarget.objects.create(seminar=seminar, metric=metric, target=Decimal(target))
    rollups_refresh(seminar, now=NOW)
    return Known(seminar, organic, paid, campaign)
