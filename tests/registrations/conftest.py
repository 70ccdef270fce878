from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _quick_forms(settings):  # type: ignore[no-untyped-def]
    """Forms in tests are sent at once; the bot timing check has its own test."""
    settings.KERYX_REGISTRATION_MIN_FILL_SECONDS = 0
    cache.clear()
    yield
    cache.clear()
