"""The delivery engine behind every e-mail Keryx sends (decision 0850).

A table of e-mail rows (core's ``OutboxMessage``, registrations' ``RegistrantEmail``) has the
same delivery columns: ``status`` (queued → sending → sent | failed), ``tries``, ``error_code``,
``error_detail``, ``message_id``, ``queued_at``, ``next_try_at``, ``enqueued_at``,
``claimed_at``, ``claimed_by``, ``sent_at``, ``failed_at``. One :class:`DeliveryEngine` per table
claims a row with a compare-and-set (``queued`` → ``sending``), so two task messages for the
same row send one e-mail and a ``sent`` row is never sent again; retries a temporary failure
after growing waits; fails at once on a final refusal; and a periodic sweep queues again what a
lost message or a dead worker left behind. Each change is a compare-and-set, so the sweep is
safe to run twice at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from keryx.core.domain.mailproblems import Problem, problem_of, send_one

log = logging.getLogger(__name__)

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
RETRY_MINUTES: tuple[float, ...] = (1, 5, 15, 60, 120, 240)
REDELIVER_AFTER = dt.timedelta(minutes=3)  # a due row nobody claimed: its message was lost
STUCK_AFTER = dt.timedelta(minutes=15)  # far longer than one SMTP conversation can take
EARLY = dt.timedelta(seconds=30)  # a message arriving this much before its time may run
BATCH = 500


@dataclass
class SweepReport:
    requeued: int = 0
    interrupted: int = 0


@dataclass
class DeliveryEngine:
    """Delivery for one table of e-mail rows.

    ``compose(row)`` builds the message (raising means a bug: the row fails at once);
    ``enqueue(pk, eta)`` puts one task message on the queue; ``on_failed(row)`` tells the
    people in charge once a row has failed for good; ``retry_setting`` names a setting that
    overrides :data:`RETRY_MINUTES`.
    """

    model: type[models.Model]
    compose: Callable[[Any], EmailMessage]
    enqueue: Callable[[int, dt.datetime | None], None]
    on_failed: Callable[[Any], None] | None = None
    retry_setting: str = "KERYX_OUTBOX_RETRY_MINUTES"
    select_related: Sequence[str] = field(default_factory=tuple)
    name: str = "e-mail"

    @property
    def rows(self) -> models.QuerySet[Any]:
        return self.model._default_manager.all()

    def retry_minutes(self) -> tuple[float, ...]:
        value = getattr(settings, self.retry_setting, None)
        return tuple(float(v) for v in value) if value is not None else RETRY_MINUTES

    def max_tries(self) -> int:
        return len(self.retry_minutes()) + 1

    def enqueue_now(self, pk: int, *, eta: dt.datetime | None = None) -> None:
        self.enqueue(pk, eta if eta is not None and eta > timezone.now() else None)

    def enqueue_on_commit(self, pk: int) -> None:
        transaction.on_commit(lambda: self.enqueue_now(pk))

    # --- delivering ------------------------------------------------------------------------

    def deliver(self, *, pk: int, worker: str = "", now: dt.datetime | None = None) -> str:
        """Try one queued row if it is due. Returns ``sent``, ``retry`` (queued again, later),
        ``failed`` or ``skipped`` (not due, or someone else has it)."""
        now = now or timezone.now()
        claimed = self.rows.filter(pk=pk, status=QUEUED, next_try_at__lte=now + EARLY).update(
            status=SENDING, claimed_at=now, claimed_by=worker[:120], tries=F("tries") + 1
        )
        if not claimed:
            return "skipped"
        row = self.rows.select_related(*self.select_related).get(pk=pk)
        try:
            message = self.compose(row)
        except Exception as exc:
            log.exception("composing %s %s failed", self.name, pk)
            return self.after_failure(
                row, Problem("compose", f"{type(exc).__name__}: {exc}"[:300], True)
            )
        try:
            send_one(message)
        except Exception as exc:
            problem = problem_of(exc)
            log.warning("%s %s: %s %s", self.name, pk, problem.code, problem.detail)
            return self.after_failure(row, problem)
        self.rows.filter(pk=pk).exclude(status=SENT).update(
            status=SENT, sent_at=timezone.now(), error_code="", error_detail=""
        )
        return "sent"

    def after_failure(self, row: Any, problem: Problem, *, now: dt.datetime | None = None) -> str:
        """A claimed try failed: queue it again later, or give up and tell someone."""
        now = now or timezone.now()
        claim = self.rows.filter(pk=row.pk, status=SENDING, claimed_at=row.claimed_at)
        if problem.final or row.tries >= self.max_tries():
            if claim.update(
                status=FAILED, failed_at=now, error_code=problem.code, error_detail=problem.detail
            ):
                row.refresh_from_db()
                if self.on_failed is not None:
                    self.on_failed(row)
            return "failed"
        waits = self.retry_minutes()
        next_at = now + dt.timedelta(minutes=waits[min(row.tries, len(waits)) - 1])
        if claim.update(
            status=QUEUED,
            next_try_at=next_at,
            enqueued_at=now,
            error_code=problem.code,
            error_detail=problem.detail,
        ):
            self.enqueue_now(row.pk, eta=next_at)
        return "retry"

    # --- the sweep -------------------------------------------------------------------------

    def sweep(self, *, now: dt.datetime | None = None) -> SweepReport:
        """A row claimed long ago by a worker that died is tried again (or failed, after the
        last try); a due row nobody claimed is queued again."""
        now = now or timezone.now()
        report = SweepReport()
        stuck = self.rows.filter(status=SENDING, claimed_at__lte=now - STUCK_AFTER)
        for row in stuck.select_related(*self.select_related)[:BATCH]:
            self.after_failure(row, Problem("interrupted", "", False), now=now)
            report.interrupted += 1
        due = (
            self.rows.filter(status=QUEUED, next_try_at__lte=now - REDELIVER_AFTER)
            .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=now - REDELIVER_AFTER))
            .order_by("next_try_at")
            .values_list("pk", "enqueued_at")[:BATCH]
        )
        for pk, enqueued_at in due:
            if self.rows.filter(pk=pk, status=QUEUED, enqueued_at=enqueued_at).update(
                enqueued_at=now
            ):
                self.enqueue_now(pk)
                report.requeued += 1
        return report

    # --- staff: try again ------------------------------------------------------------------

    def retry_row(self, row: Any, *, now: dt.datetime) -> bool:
        """A failed or waiting row: a fresh series of tries, starting now, same Message-ID.
        False when the row changed meanwhile (the caller words the conflict)."""
        updated = self.rows.filter(pk=row.pk, status=row.status).update(
            status=QUEUED,
            tries=0,
            next_try_at=now,
            enqueued_at=now,
            failed_at=None,
            error_code="",
            error_detail="",
        )
        if updated:
            self.enqueue_on_commit(row.pk)
            row.refresh_from_db()
        return bool(updated)
