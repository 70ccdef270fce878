from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from keryx.core.timezones import local
from keryx.seminars.enums import SeminarFormat, SessionKind
from keryx.seminars.models import Seminar, Session


class PersonaIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    age_band: str = ""
    gender: str = ""
    profession: str = Field("", max_length=120)
    sector: str = Field("", max_length=120)
    region: str = Field("", max_length=120)
    interests: list[str] = []
    preferred_networks: list[str] = []
    notes: str = ""


class PersonaPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    age_band: str | None = None
    gender: str | None = None
    profession: str | None = Field(None, max_length=120)
    sector: str | None = Field(None, max_length=120)
    region: str | None = Field(None, max_length=120)
    interests: list[str] | None = None
    preferred_networks: list[str] | None = None
    notes: str | None = None


class PersonaOut(PersonaIn):
    id: int


class TranslationIn(Schema):
    language: str
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field("", max_length=300)
    description: str = ""


class KpiTargets(Schema):
    registrations: Decimal | None = None
    attendance: Decimal | None = None
    engagement: Decimal | None = None
    average_rating: Decimal | None = None
    nps: Decimal | None = None
    clicks: Decimal | None = None
    budget: Decimal | None = None
    reach: Decimal | None = None
    impressions: Decimal | None = None
    survey_response_rate: Decimal | None = None
    first_reply_time: Decimal | None = None
    inbox_response_rate: Decimal | None = None
    cost_per_registrant: Decimal | None = None


class SeminarBase(Schema):
    summary: str = Field("", max_length=300)
    description: str = ""
    language: str = "el"
    languages: list[str] = ["el"]
    format: SeminarFormat = SeminarFormat.IN_PERSON
    time_zone: str = "Europe/Athens"
    venue_name: str = Field("", max_length=200)
    venue_address: str = Field("", max_length=300)
    venue_city: str = Field("", max_length=100)
    venue_country: str = Field("", max_length=100)
    map_url: str = ""
    online_url: str = ""
    stream_url: str = ""
    capacity: int | None = None
    hashtags: list[str] = []
    currency: str = Field("EUR", min_length=3, max_length=3)


class SeminarIn(SeminarBase):
    title: str = Field(..., min_length=1, max_length=200)
    starts_at: dt.datetime = Field(
        ..., description="ISO 8601; without an offset it is read in time_zone."
    )
    ends_at: dt.datetime
    personas: list[PersonaIn] = []
    kpi_targets: KpiTargets = KpiTargets()
    translations: list[TranslationIn] = []


class SeminarPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, max_length=300)
    description: str | None = None
    language: str | None = None
    languages: list[str] | None = None
    format: SeminarFormat | None = None
    time_zone: str | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    venue_name: str | None = Field(None, max_length=200)
    venue_address: str | None = Field(None, max_length=300)
    venue_city: str | None = Field(None, max_length=100)
    venue_country: str | None = Field(None, max_length=100)
    map_url: str | None = None
    online_url: str | None = None
    stream_url: str | None = None
    capacity: int | None = None
    hashtags: list[str] | None = None
    currency: str | None = Field(None, min_length=3, max_length=3)
    kpi_targets: KpiTargets | None = None
    translations: list[TranslationIn] | None = None


class SeminarOut(SeminarBase):
    id: int
    workspace: str
    title: str
    slug: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    kpi_targets: dict[str, Decimal]
    translations: list[TranslationIn]
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_workspace(obj: Seminar) -> str:
        return obj.workspace.slug

    @staticmethod
    def resolve_starts_at(obj: Seminar) -> Any:
        return local(obj.starts_at, obj.time_zone)

    @staticmethod
    def resolve_ends_at(obj: Seminar) -> Any:
        return local(obj.ends_at, obj.time_zone)

    @staticmethod
    def resolve_kpi_targets(obj: Seminar) -> dict[str, Decimal]:
        return {k.metric: k.target for k in obj.kpi_targets.all()}

    @staticmethod
    def resolve_translations(obj: Seminar) -> list[Any]:
        return list(obj.translations.all())


class SessionIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    kind: SessionKind = SessionKind.TALK
    description: str = ""
    starts_at: dt.datetime
    ends_at: dt.datetime
    room: str = Field("", max_length=100)
    speaker_ids: list[int] = []


class SessionPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    kind: SessionKind | None = None
    description: str | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    room: str | None = Field(None, max_length=100)
    speaker_ids: list[int] | None = None


class SessionOut(Schema):
    id: int
    title: str
    kind: SessionKind
    description: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    room: str
    speaker_ids: list[int]

    @staticmethod
    def resolve_starts_at(obj: Session) -> Any:
        return local(obj.starts_at, obj.seminar.time_zone)

    @staticmethod
    def resolve_ends_at(obj: Session) -> Any:
        return local(obj.ends_at, obj.seminar.time_zone)

    @staticmethod
    def resolve_speaker_ids(obj: Session) -> list[int]:
        return [s.pk for s in obj.speakers.all()]


class SpeakerIn(Schema):
    name: str = Field(..., min_length=1, max_length=150)
    job_title: str = Field("", max_length=150)
    organisation: str = Field("", max_length=150)
    bio: str = ""
    handles: dict[str, str] = {}
    website: str = ""
    position: int = Field(0, ge=0)


class SpeakerPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=150)
    job_title: str | None = Field(None, max_length=150)
    organisation: str | None = Field(None, max_length=150)
    bio: str | None = None
    handles: dict[str, str] | None = None
    website: str | None = None
    position: int | None = Field(None, ge=0)


class SpeakerOut(SpeakerIn):
    id: int
    photo_url: str | None

    @staticmethod
    def resolve_photo_url(obj: Any) -> str | None:
        return obj.photo.url if obj.photo else None
