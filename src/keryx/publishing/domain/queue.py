"""Putting work on the task queue. The queue only carries ids; every task checks the database
again, so a duplicated or late message finds its work done or already claimed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from keryx.publishing import conf


def enqueue_publish(variant_ids: Iterable[int], *, eta: dt.datetime | None = None) -> None:
    """Queue the variants after the transaction commits (at ``eta`` if later): one message per
    batch of ``BATCH_SIZE`` ids, which one worker claims, sends and settles together."""
    from keryx.publishing.tasks import publish_batch_task, publish_variant_task

    ids = list(variant_ids)
    if not ids:
        return
    size = max(1, int(conf.number("BATCH_SIZE")))

    def send() -> None:
        later = eta is not None and eta > timezone.now()
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            if len(chunk) == 1:
                if later:
                    publish_variant_task.schedule(args=(chunk[0],), eta=eta)
                else:
                    publish_variant_task(chunk[0])
            elif later:
                publish_batch_task.schedule(args=(chunk,), eta=eta)
            else:
                publish_batch_task(chunk)

    transaction.on_commit(send)


def enqueue_reconcile(variant_id: int, *, eta: dt.datetime | None = None) -> None:
    from keryx.publishing.tasks import reconcile_variant_task

    def send() -> None:
        if eta is not None and eta > timezone.now():
            reconcile_variant_task.schedule(args=(variant_id,), eta=eta)
        else:
            reconcile_variant_task(variant_id)

    transaction.on_commit(send)
