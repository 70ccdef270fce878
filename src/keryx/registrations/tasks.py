"""Thin tasks: take ids, call the domain. The periodic one runs only on the worker started with
``keryx worker --periodic`` (or inside ``keryx serve``) and is safe to run twice."""

from __future__ import annotations

import threading

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from keryx.core.tasks import worker_identity


def _worker() -> str:
    return f"{worker_identity()}:{threading.current_thread().name}"[:120]


@db_task()
def deliver_registrant_email(email_id: int) -> None:
    """Try one registrant e-mail. No Huey retries: the row keeps the count and the next try's
    time, and queues the retry itself (decision 0605)."""
    from keryx.registrations.domain.delivery import registrant_email_deliver

    registrant_email_deliver(email_id=email_id, worker=_worker())


@db_task()
def send_registration_email(registration_id: int, kind: str) -> None:
    """Messages queued before the delivery rows existed: record the e-mail, then deliver it."""
    from django.db import transaction

    from keryx.registrations.domain.delivery import registrant_email_queue
    from keryx.registrations.models import Registration

    registration = Registration.objects.filter(pk=registration_id).first()
    if registration is not None:
        with transaction.atomic():
            registrant_email_queue(registration=registration, kind=kind)


@db_periodic_task(crontab(minute="*"))
def registrant_emails_sweep_periodic() -> None:
    """Every minute: queue again what a lost message or a stopped worker left behind."""
    from keryx.registrations.domain.delivery import registrant_emails_sweep

    registrant_emails_sweep()
