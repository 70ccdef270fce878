"""Cache backends.

:class:`PrefixedRedisCache` is Django's Redis cache whose ``clear()`` removes only the keys
under its own ``KEY_PREFIX`` instead of flushing the whole Redis database. The test suite uses
it: two xdist workers share one Redis database with a prefix each, and a test that clears the
cache must not wipe the other worker's rate-limit counters in the middle of its test.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache


class PrefixedRedisCache(RedisCache):
    def clear(self) -> None:
        client = self._cache.get_client(None, write=True)  # type: ignore[attr-defined]
        # Django's default key function writes "<prefix>:<version>:<key>".
        pattern = f"{self.key_prefix}:*" if self.key_prefix else "*"
        batch: list[bytes] = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
