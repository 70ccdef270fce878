"""Periodic jobs of the networks app (thin: the domain does the work)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from keryx.networks.domain.accounts import accounts_refresh_expiring


@db_periodic_task(crontab(minute="*/10"))
def refresh_expiring_tokens() -> None:
    """Renew tokens that expire within the next half hour (X, Bluesky)."""
    accounts_refresh_expiring()


@db_periodic_task(crontab(minute="*/5"))
def sync_sweep() -> None:
    """Read back what is due (mentions, comments, searches), resuming each from its cursor;
    safe to run twice (every item is stored once)."""
    from keryx.networks.domain.reading import sync_sweep as sweep

    sweep()
