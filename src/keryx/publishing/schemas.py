from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema


class EventOut(Schema):
    id: str
    title: str
    start: str
    end: str
    allDay: bool
    editable: bool
    backgroundColor: str
    borderColor: str
    classNames: list[str]
    extendedProps: dict[str, Any]


class ScheduleIn(Schema):
    scheduled_at: dt.datetime = Field(
        ..., description="A time without an offset is read in `time_zone` (default: the seminar's)."
    )
    time_zone: str = ""


class ReleaseIn(Schema):
    action: Literal["publish", "reschedule", "drop"]
    scheduled_at: dt.datetime | None = None
    time_zone: str = ""


class SettleIn(Schema):
    published: bool
    url: str = Field("", max_length=1000)


class VariantScheduleOut(Schema):
    id: int
    post_id: int
    network: str
    status: str
    held: bool
    scheduled_at: dt.datetime | None
    published_at: dt.datetime | None
    remote_url: str
    error_code: str
    error_message: str


class AttemptOut(Schema):
    id: int
    number: int
    generation: int
    worker: str
    request_id: str
    started_at: dt.datetime
    sent_at: dt.datetime | None
    finished_at: dt.datetime | None
    outcome: str
    error_code: str
    error_message: str
    remote_id: str


class SlotIn(Schema):
    weekday: int = Field(..., ge=0, le=6, description="0 is Monday.")
    time: dt.time


class SlotsIn(Schema):
    time_zone: str
    slots: list[SlotIn]


class SlotsOut(Schema):
    account_id: int
    time_zone: str
    slots: list[SlotIn]
    next_free: list[dt.datetime]


class BestTimesOut(Schema):
    account_id: int
    source: Literal["history", "defaults"]
    posts: int
    time_zone: str
    note: str
    scores: list[float]
    suggestions: list[dt.datetime]


class RecurrenceIn(Schema):
    every: int = Field(..., ge=1, le=365)
    unit: Literal["day", "week"]
    until: dt.date | None = None


class RecurrenceOut(Schema):
    post_id: int
    every: int
    unit: str
    until: dt.date | None
    first_at: dt.datetime
    repetitions: int


class RelativeTimeIn(Schema):
    anchor: Literal["start", "end"]
    direction: Literal["before", "after"]
    amount: int = Field(..., ge=0)
    unit: Literal["minutes", "hours", "days", "weeks"]
    at_time: dt.time | None = None


class RelativeTimeOut(Schema):
    post_id: int
    anchor: str
    direction: str
    amount: int
    unit: str
    at_time: dt.time | None
    scheduled_at: dt.datetime


class PauseIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)
    seminar_id: int | None = None


class PauseOut(Schema):
    id: int
    seminar_id: int | None
    reason: str
    paused_by: str
    paused_at: dt.datetime
    resumed_at: dt.datetime | None
    held: int


class ImportIn(Schema):
    csv: str = Field(..., description="The CSV text (UTF-8), header row first.")
    dry_run: bool = True


class ImportOut(Schema):
    rows: int
    created: int
    dry_run: bool
    preview: list[dict[str, Any]]


class PlannedOut(Schema):
    scheduled: list[int]
    passed: list[int]


class FeedOut(Schema):
    seminar_id: int
    url: str
    created_at: dt.datetime


class ShiftsSeenOut(Schema):
    seen: int
