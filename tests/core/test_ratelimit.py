from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine

from keryx.core.errors import RateLimited
from keryx.core.ratelimit import rate_limit_hit


def _key() -> str:
    # A key of its own: the cache (Redis in CI) is shared by every test worker.
    return f"test:{uuid.uuid4().hex}"


def test_rate_limit_counts_then_refuses_with_retry_after() -> None:
    with time_machine.travel(dt.datetime(2026, 1, 1, 10, 0, 5, tzinfo=dt.UTC), tick=False):
        key = _key()
        counts = [rate_limit_hit(key, limit=3, window=60) for _ in range(3)]
        with pytest.raises(RateLimited) as exc:
            rate_limit_hit(key, limit=3, window=60)
    assert counts == [1, 2, 3]
    assert exc.value.retry_after == 56


def test_rate_limit_new_window_starts_again_and_keys_are_separate() -> None:
    a, b = _key(), _key()
    with time_machine.travel(dt.datetime(2026, 1, 1, 10, 0, 5, tzinfo=dt.UTC), tick=False):
        rate_limit_hit(a, limit=1, window=60)
        assert rate_limit_hit(b, limit=1, window=60) == 1
    with time_machine.travel(dt.datetime(2026, 1, 1, 10, 1, 1, tzinfo=dt.UTC), tick=False):
        assert rate_limit_hit(a, limit=1, window=60) == 1
