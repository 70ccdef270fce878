"""The test suite's Redis cache clears only its own keys (two xdist workers share a database)."""

from __future__ import annotations

import uuid

from keryx.core.cache_backends import PrefixedRedisCache
from tests.conftest import services_or_skip


def test_clear_removes_only_keys_under_its_own_prefix() -> None:
    _db, redis_url = services_or_skip()
    run = uuid.uuid4().hex[:8]
    mine = PrefixedRedisCache(redis_url, {"KEY_PREFIX": f"test-{run}-gw0"})
    other = PrefixedRedisCache(redis_url, {"KEY_PREFIX": f"test-{run}-gw1"})
    try:
        for n in range(1500):  # more than one delete batch
            mine.set(f"k{n}", n)
        other.set("rate-limit", 7)
        mine.clear()
        assert mine.get("k0") is None and mine.get("k1499") is None
        assert other.get("rate-limit") == 7  # the other worker's counter survives
    finally:
        other.clear()
        mine.clear()
