from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from keryx.accounts.roles import Role


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    language: str
    time_zone: str


class MePatch(Schema):
    full_name: str | None = Field(None, max_length=150)
    language: str | None = None
    time_zone: str | None = None


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    expires_at: dt.datetime | None = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreated(TokenOut):
    token: str = Field(..., description="The full token. It is shown this once only.")


class WorkspaceIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    slug: str = Field("", max_length=60)
    default_language: str = "el"
    default_time_zone: str = "Europe/Athens"


class WorkspacePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    default_language: str | None = None
    default_time_zone: str | None = None


class WorkspaceOut(Schema):
    id: int
    name: str
    slug: str
    default_language: str
    default_time_zone: str
    role: Role


class MemberIn(Schema):
    email: str = Field(..., max_length=254)
    role: Role


class MemberPatch(Schema):
    role: Role


class MemberOut(Schema):
    id: int
    email: str
    full_name: str
    role: Role
    created_at: dt.datetime
