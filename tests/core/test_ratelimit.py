from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache

from keryx.core.errors import RateLimited
from keryx.core.ratelimit import rate_limit_hit


@pytest.fixture(autouse=True)
def _clean_cache():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


def test_rate_limit_counts_then_refuses_with_retry_after() -> None:
    with time_machine.travel(dt.datetime(2026, 1, 1, 10, 0, 5, tzinfo=dt.UTC), tick=False):
        counts = [rate_limit_hit("t:1.2.3.4", limit=3, window=60) for _ in range(3)]
        with pytest.raises(RateLimited) as exc:
            rate_limit_hit("t:1.2.3.4", limit=3, window=60)
    assert counts == [1, 2, 3]
    assert exc.value.retry_after == 56


def test_rate_limit_new_window_starts_again_and_keys_are_separate() -> None:
    with time_machine.travel(dt.datetime(2026, 1, 1, 10, 0, 5, tzinfo=dt.UTC), tick=False):
        rate_limit_hit("t:a", limit=1, window=60)
        assert rate_limit_hit("t:b", limit=1, window=60) == 1
    with time_machine.travel(dt.datetime(2026, 1, 1, 10, 1, 1, tzinfo=dt.UTC), tick=False):
        assert rate_limit_hit("t:a", limit=1, window=60) == 1
