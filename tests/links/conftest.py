"""Fixtures of the links tests.

The click writer normally runs in a background thread; tests that run inside one database
transaction cannot let another thread write, so here the writer does not start by itself and
tests call ``RECORDER.flush()`` (the same code the thread runs) when they want the clicks stored.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.links.domain.links import LinkData, tracked_link_create
from keryx.links.models import TrackedLink
from keryx.links.redirect.recorder import RECORDER
from keryx.links.redirect.targets import TARGETS

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"


@pytest.fixture(autouse=True)
def _quiet_recorder(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    settings.KERYX_CLICKS_QUEUE = "memory"
    RECORDER.autostart = False
    RECORDER._queue.clear()
    RECORDER._prepared = []
    TARGETS.reset(None)
    yield
    if RECORDER.running:
        RECORDER.stop(timeout=5)
    RECORDER._queue.clear()
    RECORDER._prepared = []
    RECORDER.autostart = True
    TARGETS.reset(None)


@pytest.fixture
def make_link(user, workspace, seminar):  # type: ignore[no-untyped-def]
    def build(**fields: object) -> TrackedLink:
        access = workspace_access(user, workspace, Perm.LINKS_EDIT)
        return tracked_link_create(access=access, seminar=seminar, data=LinkData(**fields))  # type: ignore[arg-type]

    return build
