from __future__ import annotations

import datetime as dt

from ninja import Schema


class KpiOut(Schema):
    key: str
    label: str
    unit: str
    measured: bool
    value: float | None
    reason: str
    target: float | None
    progress_percent: float | None
    forecast: float | None
    pace_per_day: float | None
    status: str


class DashboardOut(Schema):
    seminar_id: int
    computed_at: dt.datetime
    ads_imported_at: dt.datetime | None
    # clicks, registrations and metric snapshots are pre-aggregated: as of this time
    figures_as_of: dt.datetime | None = None
    days_left: int
    kpis: list[KpiOut]


class CampaignOut(Schema):
    id: int
    platform: str
    name: str
    starts_on: dt.date
    ends_on: dt.date
    budget: float
    currency: str
    objective: str
    spend: float
    clicks: int
    registrants: int
    attendees: int
    cost_per_click: float | None
    cost_per_registrant: float | None
    cost_per_attendee: float | None
    pacing: str
    pacing_message: str
