"""Building blocks for tests: real objects through the real domain functions."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from keryx.accounts.access import workspace_access
from keryx.accounts.domain.tokens import token_create
from keryx.accounts.domain.workspaces import workspace_create
from keryx.accounts.models import Membership, User, Workspace
from keryx.accounts.roles import Perm
from keryx.seminars.domain.seminars import SeminarData, seminar_create
from keryx.seminars.models import Seminar

ATHENS = zoneinfo.ZoneInfo("Europe/Athens")
PASSWORD = "correct horse battery staple"


def make_user(email: str, **extra: Any) -> User:
    return User.objects.create_user(email, PASSWORD, **extra)


def make_workspace(owner: User, name: str = "Workspace") -> Workspace:
    return workspace_create(owner=owner, name=name)


def make_member(workspace: Workspace, role: str, *, email: str | None = None) -> User:
    user = make_user(email or f"{role}.{workspace.slug}@example.org")
    Membership.objects.create(workspace=workspace, user=user, role=role)
    return user


def make_token(user: User) -> str:
    return token_create(user=user, name="tests")[1]


def seminar_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title": "Σεμινάριο Διαχείρισης Social Media 2026",
        "language": "el",
        "languages": ["el", "en"],
        "format": "hybrid",
        "time_zone": "Europe/Athens",
        "starts_at": dt.datetime(2026, 12, 12, 9, 30, tzinfo=ATHENS),
        "ends_at": dt.datetime(2026, 12, 12, 17, 0, tzinfo=ATHENS),
        "venue_name": "Τεχνόπολη",
        "venue_city": "Αθήνα",
        "capacity": 120,
        "hashtags": ["#Σεμινάριο2026"],
    }
    fields.update(overrides)
    return fields


def make_seminar(workspace: Workspace, user: User, **overrides: Any) -> Seminar:
    access = workspace_access(user, workspace, Perm.SEMINAR_CREATE)
    return seminar_create(access=access, data=SeminarData(fields=seminar_fields(**overrides)))
