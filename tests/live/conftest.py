from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from keryx.accounts.access import workspace_access
from keryx.live.domain.rooms import room_open
from keryx.live.models import Room


@pytest.fixture
def access(user, workspace):  # type: ignore[no-untyped-def]
    return workspace_access(user, workspace)


@pytest.fixture
def room(access, seminar) -> Room:  # type: ignore[no-untyped-def]
    return room_open(access=access, seminar=seminar)


@pytest.fixture
def phone() -> Any:
    """A participant's browser: a fresh client that keeps its cookies."""

    def make() -> Client:
        return Client(enforce_csrf_checks=False)

    return make
