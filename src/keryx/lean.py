"""Keep the embedded shape's processes small (docs/operations.md, "Memory").

Huey imports the Redis and PostgreSQL client libraries whenever they are installed, to offer
its Redis and Postgres queues; together they cost each process ~40 MB. The embedded shape uses
neither (SQLite holds the data and the queue), so its web and worker processes mark both as
absent before anything imports them: an ``import redis`` then fails as if the package were not
installed, which Huey (and Keryx's own optional Redis paths) already handle. With
``DATABASE_URL`` or ``REDIS_URL`` set they load as usual.

Likewise httpx imports its command-line tool (with rich, click and pygments, ~10 MB) whenever
those are installed; Keryx never runs it, so no shape loads it.
"""

from __future__ import annotations

import os
import sys

UNUSED_WHEN_EMBEDDED = ("psycopg", "redis")
NEVER_USED = ("httpx._main",)


def skip_unused_clients() -> None:
    names = list(NEVER_USED)
    if not (os.environ.get("DATABASE_URL") or os.environ.get("REDIS_URL")):
        names += UNUSED_WHEN_EMBEDDED
    for name in names:
        if name not in sys.modules:
            sys.modules[name] = None  # type: ignore[assignment]
