"""Claiming due variants, a batch at a time.

A worker claims with one compare-and-set per workspace and seminar in the batch::

    UPDATE content_variant SET status = 'publishing'
     WHERE id IN (…) AND status = 'scheduled' AND scheduled_at <= now
       AND NOT EXISTS (active pause for the workspace or the seminar)
    RETURNING id

so the pause is checked in the same statement, and only the rows it returns are this
worker's (decision 0400). Before it, the batch's rows are read with ``FOR UPDATE`` in id order
(PostgreSQL; SQLite's writers queue behind one lock), so two workers given the same ids wait
for each other instead of deadlocking, and the checks below see what the claim will change.
Per-network caps and per-account quotas are taken inside the same transaction
(decision 0401); one attempt row per claimed variant is written in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from keryx.content.enums import VariantStatus
from keryx.content.models import Variant
from keryx.networks.base import content_fingerprint
from keryx.networks.models import AccountStatus, NetworkAccount
from keryx.publishing import conf
from keryx.publishing.domain import notices
from keryx.publishing.domain.queue import enqueue_publish
from keryx.publishing.domain.rows import per_row, update_returning
from keryx.publishing.enums import Outcome, Waiting
from keryx.publishing.limits import limits_for
from keryx.publishing.models import AccountGate, Attempt, ConcurrencyLease, Dispatch, Pause

S = VariantStatus


def idempotency_key(variant_id: int, generation: int) -> str:
    return f"keryx-v{variant_id}-g{generation}"


def dispatch_for(variant: Variant) -> Dispatch:
    """The variant's dispatch row, created on first use."""
    try:
        return variant.dispatch
    except Dispatch.DoesNotExist:
        pass
    dispatch, _created = Dispatch.objects.get_or_create(
        variant_id=variant.pk,
        defaults={
            "workspace_id": variant.post.workspace_id,
            "idempotency_key": idempotency_key(variant.pk, 1),
        },
    )
    variant.dispatch = dispatch
    return dispatch


def pauses_for(workspace_id: int, seminar_id: int | None) -> QuerySet[Pause]:
    scope = Q(seminar__isnull=True)
    if seminar_id is not None:
        scope |= Q(seminar_id=seminar_id)
    return Pause.objects.filter(workspace_id=workspace_id, resumed_at__isnull=True).filter(scope)


def active_pause(workspace_id: int, seminar_id: int | None) -> Pause | None:
    return pauses_for(workspace_id, seminar_id).order_by("paused_at").first()


# --- concurrency caps -------------------------------------------------------------------------


def _free_leases(
    network: str, cap: int, stale: dt.datetime, count: int, taken: Sequence[int]
) -> list[int]:
    # Any free slots will do: no ORDER BY, so concurrent claimers spread over the slots.
    return list(
        ConcurrencyLease.objects.select_for_update(skip_locked=True)
        .filter(network=network, slot__lt=cap)
        .filter(Q(holder__isnull=True) | Q(acquired_at__lt=stale))
        .exclude(pk__in=list(taken))
        .values_list("pk", flat=True)[:count]
    )


def leases_acquire(
    network: str, cap: int, tokens: Sequence[uuid.UUID], now: dt.datetime
) -> list[uuid.UUID]:
    """Take one of the network's ``cap`` slots (or one whose holder died) for as many of the
    ``tokens`` as there are free slots, inside the claim. Returns the tokens that got one."""
    stale = now - conf.seconds("STUCK_AFTER_SECONDS")
    found = _free_leases(network, cap, stale, len(tokens), ())
    if (
        len(found) < len(tokens)
        and ConcurrencyLease.objects.filter(network=network, slot__lt=cap).count() < cap
    ):
        # First use of this network (or a raised cap): make its slots.
        ConcurrencyLease.objects.bulk_create(
            [ConcurrencyLease(network=network, slot=n) for n in range(cap)], ignore_conflicts=True
        )
        found += _free_leases(network, cap, stale, len(tokens) - len(found), found)
    holders = list(tokens[: len(found)])
    if found:
        ConcurrencyLease.objects.filter(pk__in=found).update(
            holder=per_row(ConcurrencyLease, "holder", dict(zip(found, holders, strict=True))),
            acquired_at=now,
        )
    return holders


def lease_release(token: uuid.UUID | None) -> None:
    if token is not None:
        leases_release([token])


def leases_release(tokens: Iterable[uuid.UUID]) -> None:
    held = list(tokens)
    if held:
        ConcurrencyLease.objects.filter(holder__in=held).update(holder=None, acquired_at=None)


# --- the batch --------------------------------------------------------------------------------


@dataclass
class Claim:
    variant: Variant
    account: NetworkAccount
    token: uuid.UUID
    attempt_id: int
    idempotency_key: str
    fingerprint: str
    generation: int
    tries: int


@dataclass
class ClaimBatch:
    """What one claim did: the variants it claimed, what happened to the others (``held``,
    ``not_due``, ``waiting:quota`` …), and those that found no free slot under the network's
    cap (left scheduled; the caller tries again or lets them wait)."""

    claims: list[Claim] = field(default_factory=list)
    outcomes: dict[int, str] = field(default_factory=dict)
    no_slot: list[int] = field(default_factory=list)


def wait_many(ids: Sequence[int], reason: Waiting, until: dt.datetime, now: dt.datetime) -> None:
    """The variants stay scheduled and are queued again for ``until``."""
    Dispatch.objects.filter(pk__in=list(ids)).update(
        waiting=reason, next_try_at=until, enqueued_for=until, enqueued_at=now
    )
    enqueue_publish(ids, eta=until)


def wait_for_slot(ids: Sequence[int], now: dt.datetime) -> dict[int, str]:
    """No free slot under the network's cap: try again in one to three seconds."""
    with transaction.atomic():
        wait_many(
            ids, Waiting.CONCURRENCY, now + dt.timedelta(seconds=1 + random.random() * 2), now
        )
    return dict.fromkeys(ids, f"waiting:{Waiting.CONCURRENCY}")


def fail_variant(
    variant_id: int, *, code: str, message: str, from_status: str, now: dt.datetime
) -> bool:
    changed = Variant.objects.filter(pk=variant_id, status=from_status).update(
        status=S.FAILED, error_code=code, error_message=message, updated_at=now
    )
    return bool(changed)


def attempt_record(
    variant: Variant,
    dispatch: Dispatch,
    *,
    number: int,
    worker: str,
    outcome: str,
    now: dt.datetime,
    code: str = "",
    message: str = "",
    finished: bool = True,
) -> Attempt:
    """An attempt that took no network time of its own (a decision, a look at the account, a
    person settling by hand): started now and, unless its outcome is still to be written,
    finished now."""
    return Attempt.objects.create(
        variant=variant,
        workspace_id=dispatch.workspace_id,
        generation=dispatch.generation,
        number=number,
        worker=worker,
        started_at=now,
        finished_at=now if finished else None,
        outcome=outcome,
        error_code=code,
        error_message=message,
    )


def _too_late(
    variant: Variant, dispatch: Dispatch, late: dt.timedelta, worker: str, now: dt.datetime
) -> str:
    message = _(
        "It was due %(hours)d hours ago; Keryx does not publish that late without "
        "asking. Give it a new time if it still makes sense."
    ) % {"hours": late.total_seconds() // 3600}
    if fail_variant(variant.pk, code="too_late", message=message, from_status=S.SCHEDULED, now=now):
        attempt_record(
            variant,
            dispatch,
            number=dispatch.tries + 1,
            worker=worker,
            outcome=Outcome.TOO_LATE,
            now=now,
            code="too_late",
            message=message,
        )
        variant.error_message = message
        notices.notify_failed(variant)
    return "too_late"


def _hold(variants: Sequence[Variant], pause: Pause, worker: str, now: dt.datetime) -> None:
    """A pause is on: the variants stay scheduled, held, until a person decides."""
    Dispatch.objects.filter(pk__in=[v.pk for v in variants]).update(held_at=now, held_by=pause)
    Attempt.objects.bulk_create(
        [
            Attempt(
                variant=v,
                workspace_id=v.dispatch.workspace_id,
                generation=v.dispatch.generation,
                number=v.dispatch.tries,
                worker=worker,
                started_at=now,
                finished_at=now,
                outcome=Outcome.HELD,
                error_message=pause.reason,
            )
            for v in variants
        ]
    )


def _due_locked(ids: Sequence[int], now: dt.datetime) -> list[Variant]:
    variants = list(
        Variant.objects.select_related("post", "dispatch", "account", "account__publishing_gate")
        .select_for_update(of=("self",))
        .filter(pk__in=list(ids), status=S.SCHEDULED, scheduled_at__lte=now)
        .order_by("pk")
    )
    missing = [v for v in variants if not hasattr(v, "dispatch")]
    if missing:  # the sweep makes them; a variant queued some other way may have none yet
        Dispatch.objects.bulk_create(
            [
                Dispatch(
                    variant_id=v.pk,
                    workspace_id=v.post.workspace_id,
                    idempotency_key=idempotency_key(v.pk, 1),
                )
                for v in missing
            ],
            ignore_conflicts=True,
        )
        made = Dispatch.objects.in_bulk([v.pk for v in missing])
        for v in missing:
            v.dispatch = made[v.pk]
    return variants


def _quota_room(
    account: NetworkAccount, quota: int, window: dt.timedelta, now: dt.datetime
) -> tuple[int, dt.datetime]:
    """How many more posts the account may publish now, and when a place frees up."""
    # Lock the account's gate row so two workers cannot both take the last place.
    AccountGate.objects.get_or_create(account_id=account.pk)
    AccountGate.objects.select_for_update().filter(pk=account.pk).values_list("pk").first()
    since = now - window
    recent = Variant.objects.filter(account_id=account.pk).filter(
        Q(status=S.PUBLISHED, published_at__gte=since) | Q(status__in=[S.PUBLISHING, S.UNCONFIRMED])
    )
    room = quota - recent.count()
    oldest = (
        recent.filter(status=S.PUBLISHED)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return room, (oldest + window) if oldest else now + dt.timedelta(minutes=5)


def _within_quotas(
    variants: list[Variant], now: dt.datetime, waits: dict[tuple[Waiting, dt.datetime], list[int]]
) -> list[Variant]:
    by_account: dict[int, list[Variant]] = defaultdict(list)
    for v in variants:
        by_account[v.account_id].append(v)
    allowed: list[Variant] = []
    for group in by_account.values():
        account = group[0].account
        limits = limits_for(account.network)
        if limits.quota is None:
            allowed += group
            continue
        room, free_at = _quota_room(account, limits.quota, limits.quota_window, now)
        allowed += group[: max(0, room)]
        if room < len(group):
            waits[(Waiting.QUOTA, free_at)] += [v.pk for v in group[max(0, room) :]]
    return allowed


def _with_slots(
    variants: list[Variant], tokens: dict[int, uuid.UUID], now: dt.datetime, batch: ClaimBatch
) -> list[Variant]:
    by_network: dict[str, list[Variant]] = defaultdict(list)
    for v in variants:
        by_network[v.network].append(v)
    allowed: list[Variant] = []
    for network, group in by_network.items():
        cap = limits_for(network).concurrency
        if cap is None:
            allowed += group
            continue
        got = leases_acquire(network, cap, [tokens[v.pk] for v in group], now)
        allowed += group[: len(got)]
        batch.no_slot += [v.pk for v in group[len(got) :]]
    return allowed


def _compare_and_set(
    variants: list[Variant],
    tokens: dict[int, uuid.UUID],
    worker: str,
    now: dt.datetime,
    batch: ClaimBatch,
) -> list[Variant]:
    """The claim itself, with the pause switches checked in the same statement."""
    by_scope: dict[tuple[int, int | None], list[Variant]] = defaultdict(list)
    for v in variants:
        by_scope[(v.post.workspace_id, v.post.seminar_id)].append(v)
    claimed: list[Variant] = []
    for (workspace_id, seminar_id), group in by_scope.items():
        pauses = pauses_for(workspace_id, seminar_id)
        won = set(
            update_returning(
                Variant.objects.filter(
                    pk__in=[v.pk for v in group], status=S.SCHEDULED, scheduled_at__lte=now
                ).exclude(Exists(pauses)),
                status=S.PUBLISHING,
                updated_at=now,
            )
        )
        claimed += [v for v in group if v.pk in won]
        lost = [v for v in group if v.pk not in won]
        if not lost:
            continue
        leases_release(tokens[v.pk] for v in lost)
        pause = pauses.order_by("paused_at").first()
        if pause is not None:
            _hold(lost, pause, worker, now)
        batch.outcomes.update(dict.fromkeys((v.pk for v in lost), "held" if pause else "taken"))
    return claimed


def _record(
    variants: list[Variant], tokens: dict[int, uuid.UUID], worker: str, now: dt.datetime
) -> list[Claim]:
    """An attempt row per claimed variant, and the claim on its dispatch row."""
    attempts = Attempt.objects.bulk_create(
        [
            Attempt(
                variant=v,
                workspace_id=v.dispatch.workspace_id,
                generation=v.dispatch.generation,
                number=v.dispatch.tries + 1,
                claim_token=tokens[v.pk],
                worker=worker,
                request_id=tokens[v.pk].hex[:16],
                started_at=now,
            )
            for v in variants
        ]
    )
    prints = {v.pk: content_fingerprint(v.text or v.post.master_text) for v in variants}
    Dispatch.objects.filter(pk__in=[v.pk for v in variants]).update(
        claim_token=per_row(Dispatch, "claim_token", {v.pk: tokens[v.pk] for v in variants}),
        tries=F("tries") + 1,
        fingerprint=per_row(Dispatch, "fingerprint", prints),
        first_sent_at=Coalesce("first_sent_at", Value(now)),
        claimed_by=worker,
        claimed_at=now,
        next_try_at=None,
        waiting="",
    )
    return [
        Claim(
            variant=v,
            account=v.account,
            token=tokens[v.pk],
            attempt_id=attempt.pk,
            idempotency_key=v.dispatch.idempotency_key,
            fingerprint=prints[v.pk],
            generation=v.dispatch.generation,
            tries=v.dispatch.tries + 1,
        )
        for v, attempt in zip(variants, attempts, strict=True)
    ]


def claim_due(*, variant_ids: Sequence[int], worker: str, now: dt.datetime) -> ClaimBatch:
    """Claim those of the variants that are due, not held, not waiting, within their
    account's quota and their network's cap, and not paused — in one transaction."""
    batch = ClaimBatch()
    ids = sorted(set(variant_ids))
    with transaction.atomic():
        variants = _due_locked(ids, now)
        found = {v.pk for v in variants}
        batch.outcomes.update({pk: "not_due" for pk in ids if pk not in found})
        accounts: dict[int, NetworkAccount] = {}
        too_late_after = dt.timedelta(hours=conf.number("MAX_LATENESS_HOURS"))
        waits: dict[tuple[Waiting, dt.datetime], list[int]] = defaultdict(list)
        ready: list[Variant] = []
        for v in variants:
            # One object per account, so what the batch learns about it holds for all its posts.
            v.account = account = accounts.setdefault(v.account_id, v.account)
            dispatch = v.dispatch
            assert v.scheduled_at is not None  # the query asked for scheduled variants
            try:
                cooldown = account.publishing_gate.cooldown_until
            except AccountGate.DoesNotExist:
                cooldown = None
            if dispatch.held_at is not None:
                batch.outcomes[v.pk] = "held"
            elif dispatch.next_try_at is not None and dispatch.next_try_at > now:
                batch.outcomes[v.pk] = "not_yet"
            elif now - v.scheduled_at > too_late_after:
                batch.outcomes[v.pk] = _too_late(v, dispatch, now - v.scheduled_at, worker, now)
            elif account.status != AccountStatus.CONNECTED:
                waits[(Waiting.RECONNECT, now + conf.RECONNECT_RECHECK)].append(v.pk)
            elif cooldown is not None and cooldown > now:
                waits[(Waiting.COOLDOWN, cooldown)].append(v.pk)
            else:
                ready.append(v)
        ready = _within_quotas(ready, now, waits)
        tokens = {v.pk: uuid.uuid4() for v in ready}
        ready = _with_slots(ready, tokens, now, batch)
        claimed = _compare_and_set(ready, tokens, worker, now, batch)
        if claimed:
            batch.claims = _record(claimed, tokens, worker, now)
        for (reason, until), waiting in waits.items():
            wait_many(waiting, reason, until, now)
            batch.outcomes.update(dict.fromkeys(waiting, f"waiting:{reason}"))
    return batch
