from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from keryx.links.domain.utm import UTM_KEYS, tracked_url
from keryx.links.models import TrackedLink


class LinkIn(Schema):
    label: str = Field("", max_length=200)
    destination: str | None = Field(
        None, max_length=1000, description="Leave out for the seminar's public page."
    )
    network: str = Field(
        "",
        description="facebook, instagram, linkedin, x, threads, mastodon, bluesky, qrcode, email, other",
    )
    campaign_phase: str = ""
    utm_source: str | None = Field(None, max_length=100, description="Default: from network.")
    utm_medium: str | None = Field(None, max_length=100, description="Default: from network.")
    utm_campaign: str | None = Field(None, max_length=100, description="Default: seminar slug.")
    utm_content: str | None = Field(None, max_length=100)
    utm_term: str | None = Field(None, max_length=100)
    permanent: bool = False


class LinkPatch(Schema):
    label: str | None = Field(None, max_length=200)
    destination: str | None = Field(None, max_length=1000)
    network: str | None = None
    campaign_phase: str | None = None
    utm_source: str | None = Field(None, max_length=100)
    utm_medium: str | None = Field(None, max_length=100)
    utm_campaign: str | None = Field(None, max_length=100)
    utm_content: str | None = Field(None, max_length=100)
    utm_term: str | None = Field(None, max_length=100)
    permanent: bool | None = None


class LinkOut(Schema):
    id: int
    seminar_id: int
    code: str
    short_url: str
    label: str
    destination: str
    redirects_to: str = Field(..., description="The destination with the UTM parameters.")
    network: str
    campaign_phase: str
    utm_source: str
    utm_medium: str
    utm_campaign: str
    utm_content: str
    utm_term: str
    post_id: int | None
    variant_id: int | None
    permanent: bool
    created_at: dt.datetime
    human_clicks: int = 0
    unique_visitors: int = 0
    preview_clicks: int = 0
    bot_clicks: int = 0
    untracked_clicks: int = 0
    registrations: int = 0
    check_ins: int = 0

    @staticmethod
    def resolve_redirects_to(obj: TrackedLink) -> str:
        utm = {key: getattr(obj, key) for key in UTM_KEYS}
        return tracked_url(obj.destination, utm, code=obj.code)


class ClickDay(Schema):
    day: dt.date
    human: int
    visitors: int
    preview: int
    bot: int
    untracked: int


class Referrer(Schema):
    referrer: str
    clicks: int


class Agent(Schema):
    kind: str
    agent: str
    clicks: int


class ClicksOut(Schema):
    link_id: int
    code: str
    human_clicks: int
    unique_visitors: int
    preview_clicks: int
    bot_clicks: int
    untracked_clicks: int
    days: list[ClickDay]
    referrers: list[Referrer]
    agents: list[Agent]


class FunnelRow(Schema):
    key: str
    label: str
    networks: list[str] = []
    clicks: int
    visitors: int
    registrations: int
    confirmations: int
    check_ins: int
    cancellations: int
    registration_rate: float | None = Field(None, description="Registrations per 100 visitors.")
    confirmation_rate: float | None = Field(None, description="Per 100 registrations.")
    check_in_rate: float | None = Field(None, description="Per 100 registrations.")


class FunnelOut(Schema):
    seminar_id: int
    touch: str
    total: FunnelRow
    networks: list[FunnelRow]
    posts: list[FunnelRow]
    previews: int
    bots: int
    untracked: int
