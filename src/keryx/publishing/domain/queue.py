"""Putting work on the task queue. The queue only carries ids; every task checks the database
again, so a duplicated or late message finds its work done or already claimed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone


def enqueue_publish(variant_ids: Iterable[int], *, eta: dt.datetime | None = None) -> None:
    """Queue a publish task per variant after the transaction commits (at ``eta`` if later)."""
    from keryx.publishing.tasks import publish_variant_task

    ids = list(variant_ids)
    if not ids:
        return

    def send() -> None:
        for variant_id in ids:
            if eta is not None and eta > timezone.now():
                publish_variant_task.schedule(args=(variant_id,), eta=eta)
            else:
                publish_variant_task(variant_id)

    transaction.on_commit(send)


def enqueue_reconcile(variant_id: int, *, eta: dt.datetime | None = None) -> None:
    from keryx.publishing.tasks import reconcile_variant_task

    def send() -> None:
        if eta is not None and eta > timezone.now():
            reconcile_variant_task.schedule(args=(variant_id,), eta=eta)
        else:
            reconcile_variant_task(variant_id)

    transaction.on_commit(send)
