from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from keryx.content.enums import CampaignPhase, PostStatus, Theme, VariantStatus


class ProblemOut(Schema):
    code: str
    message: str
    field: str
    params: dict[str, Any]


class FacetOut(Schema):
    type: str
    value: str
    byteStart: int
    byteEnd: int


class CheckOut(Schema):
    """What ``keryx compose check`` prints, plus the unit the length is counted in."""

    network: str
    valid: bool
    length: int
    limit: int
    unit: str = ""
    errors: list[ProblemOut]
    warnings: list[ProblemOut]
    facets: list[FacetOut]


class MediaChoiceIn(Schema):
    media_id: int
    alt_text: str = Field("", max_length=1500)


class CheckIn(Schema):
    """Check a text (and media) for one network, or for one of the workspace's accounts.

    The text is checked as it will be published: every plain link counts as the tracked
    link it becomes (``KERYX_BASE_URL/r/`` and a code, shown as ``0000000`` until the post
    is saved), as in the composer's counters."""

    network: str | None = Field(
        None, description="x, bluesky, mastodon, threads, linkedin, facebook or instagram"
    )
    account_id: int | None = Field(
        None, description="Use this account's limits (e.g. its Mastodon instance's)"
    )
    text: str = ""
    media: list[MediaChoiceIn] = []
    link_url: str = Field(
        "",
        description="The link card: appended to the text where the network shows no card "
        "(X, Mastodon, LinkedIn, Instagram always; Bluesky, Threads, Facebook beside images), "
        "and counted there",
    )


class VariantIn(Schema):
    account_id: int
    text: str | None = None
    edited: bool | None = Field(
        None, description="false: follow the master text again; true: keep this text"
    )
    first_comment: str | None = None
    link_url: str | None = None
    media: list[MediaChoiceIn] | None = None


class PostIn(Schema):
    seminar_id: int
    campaign_phase: CampaignPhase | None = None
    theme: Theme | None = None
    language: str | None = None
    master_text: str = ""
    link_url: str = ""
    template_id: int | None = None
    account_ids: list[int]
    media: list[MediaChoiceIn] = []
    variants: list[VariantIn] = []


class PostPatch(Schema):
    seminar_id: int | None = None
    campaign_phase: CampaignPhase | None = None
    theme: Theme | None = None
    language: str | None = None
    master_text: str | None = None
    link_url: str | None = None
    account_ids: list[int] | None = None
    media: list[MediaChoiceIn] | None = None
    variants: list[VariantIn] = []
    update_variants: bool = Field(
        True, description="Also update the variants not edited by hand (text and media)"
    )
    version: int | None = Field(
        None,
        description="The `version` you read; the change is refused (409, `stale_version`) "
        "when someone saved the post since. Leave it out only to overwrite on purpose.",
    )


class AttachedOut(Schema):
    media_id: int
    alt_text: str
    url: str
    mime: str
    width: int | None
    height: int | None


class VariantOut(Schema):
    """``text``, ``first_comment`` and ``link_url`` are what the author wrote (what
    ``VariantIn`` takes); ``published_*`` is what goes to the network, with every plain link
    made this variant's tracked link. ``check`` is the check of the published text."""

    id: int
    account_id: int
    account_name: str
    network: str
    text: str
    text_edited: bool
    media_edited: bool
    first_comment: str
    link_url: str
    published_text: str = Field(..., description="The text as published (read-only)")
    published_first_comment: str = Field(
        ..., description="The first comment as published (read-only)"
    )
    published_link_url: str = Field(..., description="The link card as published (read-only)")
    status: VariantStatus
    scheduled_at: dt.datetime | None
    media: list[AttachedOut]
    check: CheckOut


class PostOut(Schema):
    id: int
    seminar_id: int
    campaign_phase: str
    theme: str
    language: str
    master_text: str
    link_url: str
    status: PostStatus
    revision: int = Field(
        ..., description="What reviewers approve: moves when anything the networks get changes"
    )
    version: int = Field(
        ..., description="Moves on every saved change; send it back in PATCH as `version`"
    )
    author: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    media: list[AttachedOut]
    variants: list[VariantOut]
    valid: bool
    approvals: int
    approvals_needed: int


class PostSummaryOut(Schema):
    id: int
    seminar_id: int
    campaign_phase: str
    theme: str
    master_text: str
    status: PostStatus
    networks: list[str]
    updated_at: dt.datetime


class DuplicateIn(Schema):
    seminar_id: int


class NoteIn(Schema):
    note: str = ""


class ApproveIn(NoteIn):
    revision: int = Field(
        ...,
        description="The `revision` you reviewed; refused (409, `stale_revision`) when the post "
        "changed since",
    )


class CommentIn(Schema):
    body: str


class CommentOut(Schema):
    id: int
    author: str | None
    body: str
    mentions: list[str]
    created_at: dt.datetime


class MediaUploadIn(Schema):
    filename: str = Field(..., max_length=255)
    content_base64: str
    alt_text: str = ""
    seminar_id: int | None = None
    focal_x: float = Field(0.5, ge=0, le=1)
    focal_y: float = Field(0.5, ge=0, le=1)


class MediaPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=255)
    alt_text: str | None = None
    focal_x: float | None = Field(None, ge=0, le=1)
    focal_y: float | None = Field(None, ge=0, le=1)


class NetworkProblemsOut(Schema):
    network: str
    errors: list[ProblemOut]
    warnings: list[ProblemOut]
    fixable: bool


class MediaOut(Schema):
    id: int
    name: str
    kind: str
    mime: str
    width: int | None
    height: int | None
    bytes: int
    duration_s: float | None
    alt_text: str
    focal_x: float
    focal_y: float
    url: str
    original_id: int | None
    fix: str
    seminar_id: int | None
    created_at: dt.datetime
    networks: list[NetworkProblemsOut]


class FixIn(Schema):
    network: str


class TemplateIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    theme: Theme | None = None
    campaign_phase: CampaignPhase | None = None
    language: str = "el"
    body: str = Field(..., min_length=1)
    hashtag_set_id: int | None = None


class TemplatePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    theme: Theme | None = None
    campaign_phase: CampaignPhase | None = None
    language: str | None = None
    body: str | None = Field(None, min_length=1)
    hashtag_set_id: int | None = None


class TemplateOut(Schema):
    id: int
    name: str
    theme: str
    campaign_phase: str
    language: str
    body: str
    hashtag_set_id: int | None
    placeholders: list[str]


class RenderIn(Schema):
    seminar_id: int
    speaker_id: int | None = None
    session_id: int | None = None
    language: str | None = None


class RenderOut(Schema):
    text: str
    missing: list[str]


class HashtagSetIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    hashtags: list[str]


class HashtagSetOut(HashtagSetIn):
    id: int


class KeywordListIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    language: str = "el"
    keywords: list[str]


class KeywordListOut(KeywordListIn):
    id: int


class ThemeOut(Schema):
    key: str
    label: str
    purpose: str
    structure: list[str]
    phases: list[str]


class PlaceholderOut(Schema):
    name: str
    description: str


class PolicyIn(Schema):
    required_approvals: int | None = Field(None, ge=1, le=2)
    approver_ids: list[int] | None = None
    instagram_max_hashtags: int | None = Field(None, ge=0, le=30)


class PolicyOut(Schema):
    required_approvals: int
    approver_ids: list[int]
    instagram_max_hashtags: int
