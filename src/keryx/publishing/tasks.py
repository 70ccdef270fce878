"""Thin tasks: take ids, call the domain. Periodic ones run only on the worker started with
``keryx worker --periodic`` and are safe to run twice."""

from __future__ import annotations

import threading

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from keryx.core.tasks import worker_identity
from keryx.publishing import conf


def _worker() -> str:
    return f"{worker_identity()}:{threading.current_thread().name}"[:120]


@db_task()
def publish_variant_task(variant_id: int) -> None:
    from keryx.publishing.domain.pipeline import variant_publish_due

    variant_publish_due(variant_id=variant_id, worker=_worker())


@db_task()
def publish_batch_task(variant_ids: list[int]) -> None:
    from keryx.publishing.domain.pipeline import variants_publish_due

    variants_publish_due(variant_ids=variant_ids, worker=_worker())


@db_task()
def reconcile_variant_task(variant_id: int) -> None:
    from keryx.publishing.domain.reconcile import variant_reconcile

    variant_reconcile(variant_id=variant_id, worker=_worker())


@db_task()
def sweep_task() -> None:
    from keryx.publishing.domain.sweep import publishing_sweep

    publishing_sweep()


@db_periodic_task(crontab(minute="*"))
def sweep_periodic() -> None:
    """Every minute, and in between every SWEEP_SECONDS (queued with a delay)."""
    from keryx.publishing.domain.sweep import publishing_sweep

    publishing_sweep()
    period = int(conf.number("SWEEP_SECONDS"))
    if 0 < period < 60:
        for step in range(1, 60 // period):
            if step * period < 60:
                sweep_task.schedule(delay=step * period)


@db_task()
def seminar_moved_task(seminar_id: int) -> None:
    from keryx.publishing.domain.relative import relative_times_follow

    relative_times_follow(seminar_id=seminar_id)


@db_periodic_task(crontab(minute="*/10"))
def relative_times_periodic() -> None:
    from keryx.publishing.domain.relative import relative_times_follow

    relative_times_follow()


@db_periodic_task(crontab(minute="7"))
def recurrences_periodic() -> None:
    from keryx.publishing.domain.recurrence import recurrences_extend

    recurrences_extend()


@db_periodic_task(crontab(minute="17"))
def metrics_poll_task() -> None:
    """Hourly: a metric snapshot of each published post that is due one."""
    from keryx.publishing.domain.metrics import metrics_poll

    metrics_poll()
