"""Building registrations through the real domain functions."""

from __future__ import annotations

from typing import Any

from keryx.accounts.access import workspace_access
from keryx.accounts.models import User
from keryx.accounts.roles import Perm
from keryx.registrations.domain.registrations import RegistrantData, registration_create
from keryx.registrations.domain.settings import settings_update
from keryx.registrations.models import Registration
from keryx.seminars.models import Seminar


def publish(seminar: Seminar, owner: User, **fields: Any) -> None:
    access = workspace_access(owner, seminar.workspace, Perm.REGISTRATIONS_MANAGE)
    settings_update(access=access, seminar=seminar, fields={"is_public": True, **fields})


def register(
    seminar: Seminar,
    email: str,
    *,
    name: str = "Ελένη Παπαδοπούλου",
    language: str = "el",
    **kw: Any,
) -> Registration:
    outcome = registration_create(
        seminar=seminar,
        data=RegistrantData(name=name, email=email, language=language, consents=["privacy"], **kw),
    )
    return outcome.registration
