"""Thin tasks: the drain of the click stream (scaled shape), salt pruning, GA4 forwarding."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def drain_clicks() -> int:
    """Write the clicks waiting in the Redis stream (scaled shape) to the database. Several
    drains may run at once: the stream's consumer group gives each entry to one of them.

    With ``KERYX_CLICKS_QUEUE=spool`` it stores the spool files the web processes wrote
    instead (each file once, whichever drain gets it)."""
    if settings.KERYX_CLICKS_QUEUE == "spool":
        from keryx.links.domain.clicks import clicks_spool_drain

        return clicks_spool_drain()
    if settings.KERYX_CLICKS_QUEUE != "redis" or not settings.REDIS_URL:
        return 0
    from keryx.core.redis import redis_client
    from keryx.links.domain.clicks import clicks_drain

    return clicks_drain(redis=redis_client(socket_timeout=10))


@db_periodic_task(crontab(minute="*"))
def drain_clicks_periodically() -> None:
    """The safety net: a drain every minute, whatever happened to the kicks."""
    drain_clicks.call_local()


@db_periodic_task(crontab(minute="7", hour="*"))
def prune_link_data() -> None:
    """Yesterday's salts go (their hashes can no longer be recomputed), and old batch keys."""
    from keryx.links.domain.clicks import click_batches_prune
    from keryx.links.domain.salts import visitor_salts_prune

    visitor_salts_prune(today=dt.datetime.now(dt.UTC).date())
    click_batches_prune()


@db_task(retries=5, retry_delay=60)
def forward_to_ga4(registration_id: int, event: str) -> None:
    from keryx.links.domain.ga4 import ga4_event_send

    ga4_event_send(registration_id=registration_id, event=event)
