from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _quick_forms(settings):  # type: ignore[no-untyped-def]
    """Forms in tests are sent at once and often; the bot timing check and the rate limit
    have their own tests. (The cache is never cleared here: on Redis that would empty it
    under the feet of the tests running in the other workers.)"""
    settings.KERYX_REGISTRATION_MIN_FILL_SECONDS = 0
    settings.KERYX_REGISTRATION_RATE_LIMIT = (1000, 600)
