"""The periodic sweep: queue what is due (or soon due), recover from lost messages and dead
workers. Safe to run twice, or on two machines at once: every change is a compare-and-set.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.content.enums import VariantStatus
from keryx.content.models import Variant
from keryx.publishing import conf
from keryx.publishing.domain.claim import idempotency_key, lease_release
from keryx.publishing.domain.queue import enqueue_publish, enqueue_reconcile
from keryx.publishing.enums import Outcome
from keryx.publishing.models import Attempt, ConcurrencyLease, Dispatch

S = VariantStatus
BATCH = 1000


@dataclass
class SweepReport:
    queued_ahead: int = 0
    queued_due: int = 0
    retried_unsent: int = 0
    unconfirmed_stuck: int = 0
    reconcile: int = 0
    leases_freed: int = 0


def lookahead() -> dt.timedelta:
    """How far ahead the sweep queues messages with an ETA: beyond the next sweep."""
    return dt.timedelta(seconds=2 * conf.number("SWEEP_SECONDS") + 10)


def _ensure_dispatches(horizon: dt.datetime, limit: int) -> None:
    missing = list(
        Variant.objects.filter(
            status=S.SCHEDULED, scheduled_at__lte=horizon, dispatch__isnull=True
        ).values_list("pk", "post__workspace_id")[:limit]
    )
    Dispatch.objects.bulk_create(
        [
            Dispatch(variant_id=pk, workspace_id=ws, idempotency_key=idempotency_key(pk, 1))
            for pk, ws in missing
        ],
        ignore_conflicts=True,
        batch_size=BATCH,
    )


def _queue(now: dt.datetime, limit: int, report: SweepReport) -> None:
    horizon = now + lookahead()
    redeliver = now - conf.seconds("REDELIVER_SECONDS")
    _ensure_dispatches(horizon, limit)
    rows = (
        Dispatch.objects.filter(
            variant__status=S.SCHEDULED, variant__scheduled_at__lte=horizon, held_at__isnull=True
        )
        .filter(Q(next_try_at__isnull=True) | Q(next_try_at__lte=horizon))
        .values_list(
            "pk",
            "variant__account_id",
            "variant__scheduled_at",
            "next_try_at",
            "enqueued_for",
            "enqueued_at",
        )
        .order_by("variant__scheduled_at")[:limit]
    )
    by_time: dict[dt.datetime, list[tuple[int, int]]] = defaultdict(list)
    for pk, account_id, scheduled_at, next_try_at, enqueued_for, enqueued_at in rows:
        assert scheduled_at is not None  # the filter asked for scheduled variants
        due_at = max(scheduled_at, next_try_at) if next_try_at else scheduled_at
        sent_at = enqueued_at if enqueued_for == due_at else None
        if sent_at is not None and (due_at > now or sent_at >= redeliver):
            continue  # its message is on its way (or still queued behind others)
        by_time[due_at].append((account_id, pk))
    for due_at, due in by_time.items():
        # A batch message carries few accounts: fewer rows to read, connectors to build.
        ids = [pk for _account, pk in sorted(due)]
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            with transaction.atomic():
                Dispatch.objects.filter(pk__in=chunk).update(enqueued_for=due_at, enqueued_at=now)
                enqueue_publish(chunk, eta=due_at if due_at > now else None)
            if due_at > now:
                report.queued_ahead += len(chunk)
            else:
                report.queued_due += len(chunk)


def _unstick(now: dt.datetime, report: SweepReport) -> None:
    """Claims older than STUCK_AFTER belong to workers that died. Not sent yet: try again.
    Maybe sent: unconfirmed, and the reconciler asks the network."""
    stale = now - conf.seconds("STUCK_AFTER_SECONDS")
    rows = list(
        Dispatch.objects.filter(
            variant__status=S.PUBLISHING, claimed_at__lt=stale, claim_token__isnull=False
        ).values_list("pk", "claim_token")[:BATCH]
    )
    for variant_id, token in rows:
        with transaction.atomic():
            unsent = Attempt.objects.filter(
                claim_token=token, outcome=Outcome.PENDING, sent_at__isnull=True
            ).update(
                outcome=Outcome.ABANDONED,
                finished_at=now,
                error_message=_("The worker stopped before sending; Keryx tries again."),
            )
            if unsent:
                owned = Dispatch.objects.filter(pk=variant_id, claim_token=token).update(
                    claim_token=None, next_try_at=None, waiting="", enqueued_for=None
                )
                if owned and Variant.objects.filter(pk=variant_id, status=S.PUBLISHING).update(
                    status=S.SCHEDULED, updated_at=now
                ):
                    report.retried_unsent += 1
                    enqueue_publish([variant_id])
            else:
                Attempt.objects.filter(claim_token=token, outcome=Outcome.PENDING).update(
                    outcome=Outcome.UNCONFIRMED,
                    finished_at=now,
                    error_code="unconfirmed",
                    error_message=_("The worker stopped while waiting for the network's answer."),
                )
                owned = Dispatch.objects.filter(pk=variant_id, claim_token=token).update(
                    unconfirmed_at=now, reconcile_at=now, reconcile_checks=0
                )
                if owned and Variant.objects.filter(pk=variant_id, status=S.PUBLISHING).update(
                    status=S.UNCONFIRMED,
                    error_code="unconfirmed",
                    error_message=_(
                        "The network did not confirm the post; Keryx is checking whether it "
                        "went out."
                    ),
                    updated_at=now,
                ):
                    report.unconfirmed_stuck += 1
                    enqueue_reconcile(variant_id)
            lease_release(token)


def publishing_sweep(*, now: dt.datetime | None = None, limit: int = 20_000) -> SweepReport:
    now = now or timezone.now()
    report = SweepReport()
    _unstick(now, report)
    stale = now - conf.seconds("STUCK_AFTER_SECONDS")
    report.leases_freed = ConcurrencyLease.objects.filter(
        holder__isnull=False, acquired_at__lt=stale
    ).update(holder=None, acquired_at=None)
    due_checks = list(
        Dispatch.objects.filter(unconfirmed_at__isnull=False, reconcile_at__lte=now).values_list(
            "pk", flat=True
        )[:500]
    )
    with transaction.atomic():
        for variant_id in due_checks:
            enqueue_reconcile(variant_id)
    report.reconcile = len(due_checks)
    _queue(now, limit, report)
    return report
