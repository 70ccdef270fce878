"""The publishing settings (``settings.KERYX_PUBLISHING``), with their defaults."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

DEFAULTS: dict[str, float] = {
    "RETRY_BASE_SECONDS": 30.0,
    "MAX_TRIES": 5,
    "STUCK_AFTER_SECONDS": 300.0,
    "RECONCILE_AFTER_SECONDS": 60.0,
    "SWEEP_SECONDS": 20,
    "REDELIVER_SECONDS": 120.0,
    "MAX_LATENESS_HOURS": 6.0,
    # Due variants per queue message: claimed, sent and settled together.
    "BATCH_SIZE": 25,
    # Threads per worker process that wait for the networks' answers.
    "SENDER_THREADS": 64,
}
# Give up asking the network about an unconfirmed post after this many checks; tell people
# after UNCONFIRMED_NOTIFY_AFTER checks that it is taking long.
MAX_RECONCILE_CHECKS = 30
UNCONFIRMED_NOTIFY_AFTER = 3
MAX_RATE_LIMITED = 10
MAX_RESENDS = 2
RECONNECT_RECHECK = dt.timedelta(minutes=5)


def number(name: str) -> float:
    value = getattr(settings, "KERYX_PUBLISHING", {}).get(name)
    return float(value if value is not None else DEFAULTS[name])


def seconds(name: str) -> dt.timedelta:
    return dt.timedelta(seconds=number(name))
