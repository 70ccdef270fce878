"""Periodic jobs of the live app (thin: the domain does the work)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_periodic_task(crontab(minute="*"))
def wall_sweep() -> None:
    """Every wall of a seminar not yet over: search its hashtags where due (quotas and
    backoff respected by the read layer), then take in new posts and approved questions."""
    from keryx.live.domain.wall_sources import walls_sweep

    walls_sweep()


@db_task()
def wall_collect_now(wall_id: int) -> None:
    """One wall's sweep at once (the moderator's “Look now”)."""
    from keryx.live.domain.wall_sources import wall_collect
    from keryx.live.models import Wall

    wall = Wall.objects.filter(pk=wall_id).select_related("seminar").first()
    if wall is not None:
        wall_collect(wall)
