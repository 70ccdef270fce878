"""Thin periodic task: keep the seminars' pre-aggregated figures fresh (``domain.rollups``).
Imported by the app's ``ready()`` so Huey registers it (a module apart from ``tasks.py``, which
the reports' tasks use)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/2"))
def analytics_rollups_periodic() -> None:
    """Every two minutes: bring each current seminar's figures up to date (incremental; safe
    to run twice, or on two workers at once)."""
    from keryx.analytics.domain.rollups import rollups_periodic

    rollups_periodic()
