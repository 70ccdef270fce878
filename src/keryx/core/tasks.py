"""Task helpers and the core tasks.

Tasks are thin: they take ids, load objects and call the domain. They are enqueued only
after the surrounding transaction commits, so a worker never looks for a row that is not
there yet.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from keryx.core.models import QueueProbe


def enqueue_on_commit(task: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Queue ``task(*args, **kwargs)`` once the current transaction commits."""
    transaction.on_commit(lambda: task(*args, **kwargs))


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@db_task()
def run_queue_probe(probe_id: int) -> None:
    QueueProbe.objects.filter(pk=probe_id, executed_at__isnull=True).update(
        executed_at=timezone.now(), executed_by=worker_identity()
    )


@db_task()
def deliver_outbox_message(message_id: int) -> None:
    """Try one outbox e-mail. No Huey retries: the row keeps the count and queues the retry."""
    import threading

    from keryx.core.domain.outbox import outbox_deliver

    outbox_deliver(pk=message_id, worker=f"{worker_identity()}:{threading.current_thread().name}")


@db_periodic_task(crontab(minute="*"))
def outbox_sweep_periodic() -> None:
    """Every minute: queue again what a lost message or a stopped worker left behind."""
    from keryx.core.domain.outbox import outbox_sweep

    outbox_sweep()
