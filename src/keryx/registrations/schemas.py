from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema


class RegistrationOut(Schema):
    id: int
    public_id: uuid.UUID
    status: str
    source: str
    name: str
    email: str
    language: str
    profession: str
    organisation: str
    age_band: str
    gender: str
    region: str
    interests: list[str]
    heard_from: str
    first_touch_code: str
    last_touch_code: str
    confirmed_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    promoted_at: dt.datetime | None
    checked_in_at: dt.datetime | None
    checked_in_by: str | None = Field(None, alias="checked_in_by.email")
    created_at: dt.datetime


class RegistrationPatch(Schema):
    name: str | None = Field(None, max_length=150)
    email: str | None = Field(None, max_length=254)
    language: str | None = None
    profession: str | None = Field(None, max_length=120)
    organisation: str | None = Field(None, max_length=150)
    age_band: str | None = None
    gender: str | None = None
    region: str | None = Field(None, max_length=120)
    interests: list[str] | None = None
    heard_from: str | None = None


class RegistrantEmailOut(Schema):
    """One e-mail to a registrant and how its delivery went (decision 0605)."""

    id: int
    kind: str
    status: str
    tries: int
    # Why the last try failed and what to do, in the request's language ("" if it did not).
    reason: str
    error_detail: str
    message_id: str
    queued_at: dt.datetime
    next_try_at: dt.datetime
    sent_at: dt.datetime | None
    failed_at: dt.datetime | None


class ResendFailedOut(Schema):
    queued: int


class CheckInOut(Schema):
    already: bool
    registration: RegistrationOut


class TicketIn(Schema):
    token: str = Field(..., max_length=200)


class SettingsOut(Schema):
    is_public: bool
    registration_open: bool
    waitlist_enabled: bool
    optional_fields: list[str]
    required_fields: list[str]
    privacy_notice: dict[str, str]
    privacy_version: str
    ask_marketing_consent: bool
    confirm_within_hours: int
    public_url: str


class SettingsPatch(Schema):
    is_public: bool | None = None
    registration_open: bool | None = None
    waitlist_enabled: bool | None = None
    optional_fields: list[str] | None = None
    required_fields: list[str] | None = None
    privacy_notice: dict[str, str] | None = None
    privacy_version: str | None = Field(None, max_length=32)
    ask_marketing_consent: bool | None = None
    confirm_within_hours: int | None = Field(None, ge=1, le=24 * 60)


class CountsOut(Schema):
    registered: int
    confirmed: int
    checked_in: int
    waitlist: int
    cancelled: int
    capacity: int | None
    places_left: int | None


class ImportIn(Schema):
    csv: str = Field(..., description="The CSV file's text (UTF-8).")
    dry_run: bool = True
    filename: str = Field("", max_length=200)


class ImportLine(Schema):
    line: int
    message: str


class ImportOut(Schema):
    ok: bool
    committed: bool
    rows: int
    imported: int
    errors: list[ImportLine]
    skipped: list[ImportLine]
    unknown_columns: list[str]
    over_capacity: int
