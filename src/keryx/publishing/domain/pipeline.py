"""Publishing one due variant: claim it, check, send, and settle what the network answered.

The database is the truth. A worker claims a variant with a compare-and-set
(``UPDATE … WHERE status = 'scheduled' AND scheduled_at <= now``), records an attempt, checks
the pause switches, and only then calls the network. Every answer is classified once
(:func:`_settle_error`). Nothing that may have reached the network is ever retried blindly:
it becomes *unconfirmed* and :mod:`keryx.publishing.domain.reconcile` asks the network.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Exists, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.content.enums import VariantStatus
from keryx.content.models import Variant, VariantMedia
from keryx.core.http import (
    AuthExpired,
    OutboundError,
    RateLimited,
    Rejected,
    Unavailable,
    Unconfirmed,
)
from keryx.networks.base import MediaFile, Published, PublishRequest, content_fingerprint
from keryx.networks.models import AccountStatus, NetworkAccount
from keryx.publishing import conf
from keryx.publishing.domain import notices
from keryx.publishing.domain.accounts import (
    account_connector,
    account_mark_reconnect_needed,
    account_refresh_if_expiring,
)
from keryx.publishing.domain.queue import enqueue_publish, enqueue_reconcile
from keryx.publishing.enums import Outcome, Waiting
from keryx.publishing.limits import limits_for, network_label
from keryx.publishing.models import AccountGate, Attempt, ConcurrencyLease, Dispatch, Pause

logger = logging.getLogger(__name__)

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


def active_pause(workspace_id: int, seminar_id: int | None) -> Pause | None:
    return _pauses(workspace_id, seminar_id).order_by("paused_at").first()


# --- concurrency caps -------------------------------------------------------------------------


def _free_lease(network: str, cap: int, stale: dt.datetime) -> int | None:
    # Any free slot will do: no ORDER BY, so concurrent claimers spread over the slots.
    free = (
        ConcurrencyLease.objects.select_for_update(skip_locked=True)
        .filter(network=network, slot__lt=cap)
        .filter(Q(holder__isnull=True) | Q(acquired_at__lt=stale))
        .values_list("pk", flat=True)[:1]
    )
    found = list(free)
    return found[0] if found else None


def _lease_acquire(network: str, cap: int, token: uuid.UUID, now: dt.datetime) -> int | None:
    """Take one of the network's ``cap`` slots (or one whose holder died), inside the claim."""
    stale = now - conf.seconds("STUCK_AFTER_SECONDS")
    lease = _free_lease(network, cap, stale)
    if (
        lease is None
        and ConcurrencyLease.objects.filter(network=network, slot__lt=cap).count() < cap
    ):
        # First use of this network (or a raised cap): make its slots.
        ConcurrencyLease.objects.bulk_create(
            [ConcurrencyLease(network=network, slot=n) for n in range(cap)], ignore_conflicts=True
        )
        lease = _free_lease(network, cap, stale)
    if lease is None:
        return None
    ConcurrencyLease.objects.filter(pk=lease).update(holder=token, acquired_at=now)
    return lease


def lease_release(token: uuid.UUID | None) -> None:
    if token is not None:
        ConcurrencyLease.objects.filter(holder=token).update(holder=None, acquired_at=None)


# --- claiming ---------------------------------------------------------------------------------


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


def _wait(variant: Variant, dispatch: Dispatch, reason: Waiting, until: dt.datetime) -> str:
    Dispatch.objects.filter(pk=dispatch.pk).update(
        waiting=reason, next_try_at=until, enqueued_for=until, enqueued_at=timezone.now()
    )
    enqueue_publish([variant.pk], eta=until)
    return f"waiting:{reason}"


def _fail(variant_id: int, *, code: str, message: str, from_status: str, now: dt.datetime) -> bool:
    changed = Variant.objects.filter(pk=variant_id, status=from_status).update(
        status=S.FAILED, error_code=code, error_message=message, updated_at=now
    )
    return bool(changed)


def _quota_full(
    account: NetworkAccount, quota: int, window: dt.timedelta, now: dt.datetime
) -> dt.datetime | None:
    """When the account's quota frees up again, or None if there is room now."""
    # Lock the account's gate row so two workers cannot both take the last place.
    AccountGate.objects.get_or_create(account_id=account.pk)
    AccountGate.objects.select_for_update().filter(pk=account.pk).values_list("pk").first()
    since = now - window
    recent = Variant.objects.filter(account_id=account.pk).filter(
        Q(status=S.PUBLISHED, published_at__gte=since) | Q(status__in=[S.PUBLISHING, S.UNCONFIRMED])
    )
    if recent.count() < quota:
        return None
    oldest = (
        recent.filter(status=S.PUBLISHED)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return (oldest + window) if oldest else now + dt.timedelta(minutes=5)


def _pauses(workspace_id: int, seminar_id: int | None) -> QuerySet[Pause]:
    scope = Q(seminar__isnull=True)
    if seminar_id is not None:
        scope |= Q(seminar_id=seminar_id)
    return Pause.objects.filter(workspace_id=workspace_id, resumed_at__isnull=True).filter(scope)


def _too_late(
    variant: Variant, dispatch: Dispatch, late: dt.timedelta, worker: str, now: dt.datetime
) -> str:
    message = _(
        "It was due %(hours)d hours ago; Keryx does not publish that late without "
        "asking. Give it a new time if it still makes sense."
    ) % {"hours": late.total_seconds() // 3600}
    if _fail(variant.pk, code="too_late", message=message, from_status=S.SCHEDULED, now=now):
        Attempt.objects.create(
            variant=variant,
            workspace_id=dispatch.workspace_id,
            generation=dispatch.generation,
            number=dispatch.tries + 1,
            worker=worker,
            started_at=now,
            finished_at=now,
            outcome=Outcome.TOO_LATE,
            error_code="too_late",
            error_message=message,
        )
        variant.error_message = message
        notices.notify_failed(variant)
    return "too_late"


def _hold(variant: Variant, dispatch: Dispatch, pause: Pause, worker: str, now: dt.datetime) -> str:
    """A pause is on: the variant stays scheduled, held, until a person decides."""
    Dispatch.objects.filter(pk=dispatch.pk).update(held_at=now, held_by=pause)
    Attempt.objects.create(
        variant=variant,
        workspace_id=dispatch.workspace_id,
        generation=dispatch.generation,
        number=dispatch.tries,
        worker=worker,
        started_at=now,
        finished_at=now,
        outcome=Outcome.HELD,
        error_message=pause.reason,
    )
    return "held"


def _claim(*, variant_id: int, worker: str, now: dt.datetime) -> Claim | str:
    with transaction.atomic():
        found = list(
            Variant.objects.select_related(
                "post", "account", "account__publishing_gate", "dispatch"
            ).filter(pk=variant_id, status=S.SCHEDULED, scheduled_at__lte=now)[:1]
        )
        variant = found[0] if found else None
        if variant is None:
            return "not_due"
        dispatch = dispatch_for(variant)
        if dispatch.held_at is not None:
            return "held"
        if dispatch.next_try_at is not None and dispatch.next_try_at > now:
            return "not_yet"
        account = variant.account
        assert variant.scheduled_at is not None
        late = now - variant.scheduled_at
        if late > dt.timedelta(hours=conf.number("MAX_LATENESS_HOURS")):
            return _too_late(variant, dispatch, late, worker, now)
        if account.status != AccountStatus.CONNECTED:
            return _wait(variant, dispatch, Waiting.RECONNECT, now + conf.RECONNECT_RECHECK)
        try:
            cooldown = account.publishing_gate.cooldown_until
        except AccountGate.DoesNotExist:
            cooldown = None
        if cooldown is not None and cooldown > now:
            return _wait(variant, dispatch, Waiting.COOLDOWN, cooldown)
        limits = limits_for(variant.network)
        if limits.quota is not None:
            free_at = _quota_full(account, limits.quota, limits.quota_window, now)
            if free_at is not None:
                return _wait(variant, dispatch, Waiting.QUOTA, free_at)
        token = uuid.uuid4()
        if limits.concurrency is not None:
            lease = _lease_acquire(variant.network, limits.concurrency, token, now)
            if lease is None:
                pause_for = dt.timedelta(seconds=1 + random.random() * 2)
                return _wait(variant, dispatch, Waiting.CONCURRENCY, now + pause_for)
        # The compare-and-set, with the pause switches checked in the same statement.
        pauses = _pauses(variant.post.workspace_id, variant.post.seminar_id)
        claimed = (
            Variant.objects.filter(pk=variant.pk, status=S.SCHEDULED, scheduled_at__lte=now)
            .exclude(Exists(pauses))
            .update(status=S.PUBLISHING, updated_at=now)
        )
        if not claimed:
            lease_release(token)
            pause = pauses.order_by("paused_at").first()
            if pause is not None:
                return _hold(variant, dispatch, pause, worker, now)
            return "taken"
        attempt = Attempt.objects.create(
            variant=variant,
            workspace_id=dispatch.workspace_id,
            generation=dispatch.generation,
            number=dispatch.tries + 1,
            claim_token=token,
            worker=worker,
            request_id=token.hex[:16],
            started_at=now,
        )
        text = variant.text or variant.post.master_text
        print_ = content_fingerprint(text)
        Dispatch.objects.filter(pk=dispatch.pk).update(
            claim_token=token,
            claimed_by=worker,
            claimed_at=now,
            tries=dispatch.tries + 1,
            fingerprint=print_,
            first_sent_at=dispatch.first_sent_at or now,
            next_try_at=None,
            waiting="",
        )
        return Claim(
            variant=variant,
            account=account,
            token=token,
            attempt_id=attempt.pk,
            idempotency_key=dispatch.idempotency_key,
            fingerprint=print_,
            generation=dispatch.generation,
            tries=dispatch.tries + 1,
        )


def _media(variant: Variant) -> tuple[MediaFile, ...]:
    """The variant's media files, in order, with the alt text this network gets."""
    links = (
        VariantMedia.objects.filter(variant_id=variant.pk)
        .select_related("media")
        .order_by("position", "id")
    )
    return tuple(
        MediaFile(
            path=Path(link.media.file.path),
            mime=link.media.mime,
            alt_text=link.alt_text or link.media.alt_text,
            width=link.media.width,
            height=link.media.height,
            bytes=link.media.bytes,
        )
        for link in links
    )


def _request(claim: Claim) -> PublishRequest:
    variant = claim.variant
    return PublishRequest(
        media=_media(variant),
        text=variant.text or variant.post.master_text,
        link=variant.link_url or variant.post.link_url,
        first_comment=variant.first_comment,
        idempotency_key=claim.idempotency_key,
        fingerprint=claim.fingerprint,
    )


# --- settling ---------------------------------------------------------------------------------


def settle_published(
    *,
    variant_id: int,
    token: uuid.UUID | None,
    published: Published,
    outcome: Outcome,
    attempt_id: int | None,
    now: dt.datetime,
) -> bool:
    """Record a confirmed publication. True when it settled the variant."""
    with transaction.atomic():
        owned = Dispatch.objects.filter(pk=variant_id, claim_token=token).update(
            claim_token=None,
            next_try_at=None,
            waiting="",
            unconfirmed_at=None,
            reconcile_at=None,
        )
        if attempt_id is not None:
            Attempt.objects.filter(pk=attempt_id).update(
                outcome=outcome, finished_at=now, remote_id=published.remote_id[:255]
            )
        lease_release(token)
        statuses = [S.PUBLISHING, S.UNCONFIRMED]
        if not owned:
            # A claim the sweep gave up on came back with proof after all. Only a variant
            # that was settled as "not found" is corrected; anything else is left alone.
            logger.warning("variant %s: a stale claim finished", variant_id)
            statuses = [S.FAILED]
        changed = Variant.objects.filter(
            pk=variant_id,
            status__in=statuses,
            **({} if owned else {"error_code": "not_found"}),
        ).update(
            status=S.PUBLISHED,
            published_at=published.published_at or now,
            remote_id=published.remote_id[:255],
            remote_url=published.url[:1000],
            error_code="",
            error_message="",
            updated_at=now,
        )
        return bool(changed)


def _backoff(tries: int) -> dt.timedelta:
    base = conf.number("RETRY_BASE_SECONDS")
    return dt.timedelta(seconds=base * (2 ** max(0, tries - 1)) * random.uniform(0.8, 1.2))


def _back_to_scheduled(
    claim: Claim,
    *,
    outcome: Outcome,
    error: OutboundError,
    until: dt.datetime,
    waiting: Waiting,
    now: dt.datetime,
    **dispatch_changes: object,
) -> bool:
    owned = Dispatch.objects.filter(pk=claim.variant.pk, claim_token=claim.token).update(
        claim_token=None,
        next_try_at=until,
        waiting=waiting,
        enqueued_for=until,
        enqueued_at=now,
        **dispatch_changes,
    )
    Attempt.objects.filter(pk=claim.attempt_id).update(
        outcome=outcome, finished_at=now, error_code=error.code, error_message=_message(error)
    )
    lease_release(claim.token)
    if not owned:
        return False
    Variant.objects.filter(pk=claim.variant.pk, status=S.PUBLISHING).update(
        status=S.SCHEDULED, updated_at=now
    )
    enqueue_publish([claim.variant.pk], eta=until)
    return True


def _message(error: OutboundError) -> str:
    return (error.message or str(error))[:2000]


def _settle_failure(
    claim: Claim, *, code: str, message: str, outcome: Outcome, now: dt.datetime
) -> None:
    owned = Dispatch.objects.filter(pk=claim.variant.pk, claim_token=claim.token).update(
        claim_token=None, next_try_at=None, waiting=""
    )
    Attempt.objects.filter(pk=claim.attempt_id).update(
        outcome=outcome, finished_at=now, error_code=code, error_message=message
    )
    lease_release(claim.token)
    if owned and _fail(
        claim.variant.pk, code=code, message=message, from_status=S.PUBLISHING, now=now
    ):
        claim.variant.error_message = message
        variant = claim.variant
        notices.notify_failed(variant)


def _settle_error(claim: Claim, error: OutboundError, *, now: dt.datetime) -> str:
    """Classify the network's answer once and act on it."""
    variant = claim.variant
    network = network_label(variant.network)
    with transaction.atomic():
        if isinstance(error, AuthExpired):
            # Nothing was published; the variant waits until someone reconnects the account.
            _back_to_scheduled(
                claim,
                outcome=Outcome.AUTH_EXPIRED,
                error=error,
                waiting=Waiting.RECONNECT,
                until=now + conf.RECONNECT_RECHECK,
                now=now,
            )
            # The networks app flags the account and tells its owners and managers, once.
            account_mark_reconnect_needed(account=claim.account, message=error.user_message)
            return "auth_expired"
        if isinstance(error, RateLimited):
            until = now + dt.timedelta(seconds=max(1.0, error.retry_after))
            gate, _created = AccountGate.objects.get_or_create(account_id=claim.account.pk)
            AccountGate.objects.filter(pk=gate.pk).update(cooldown_until=until)
            tries = (
                Dispatch.objects.filter(pk=variant.pk)
                .values_list("rate_limited", flat=True)
                .first()
                or 0
            )
            if tries + 1 >= conf.MAX_RATE_LIMITED:
                _settle_failure(
                    claim,
                    code="rate_limited",
                    outcome=Outcome.RATE_LIMITED,
                    now=now,
                    message=_("%(network)s kept refusing for too many requests; try again later.")
                    % {"network": network},
                )
                return "failed"
            _back_to_scheduled(
                claim,
                outcome=Outcome.RATE_LIMITED,
                error=error,
                waiting=Waiting.COOLDOWN,
                until=until,
                now=now,
                rate_limited=tries + 1,
            )
            return "rate_limited"
        if isinstance(error, Rejected):
            reason = error.reason or error.message or _("no reason given")
            _settle_failure(
                claim,
                code="rejected",
                outcome=Outcome.REJECTED,
                now=now,
                message=_("%(network)s refused the post: %(reason)s")
                % {"network": network, "reason": reason},
            )
            return "rejected"
        if isinstance(error, Unavailable):
            if claim.tries >= conf.number("MAX_TRIES"):
                _settle_failure(
                    claim,
                    code="unavailable",
                    outcome=Outcome.RETRY,
                    now=now,
                    message=_(
                        "%(network)s was unavailable on %(tries)d tries; nothing was published. "
                        "Publish it again when the network is back."
                    )
                    % {"network": network, "tries": claim.tries},
                )
                return "failed"
            _back_to_scheduled(
                claim,
                outcome=Outcome.RETRY,
                error=error,
                waiting=Waiting.RETRY,
                until=now + _backoff(claim.tries),
                now=now,
            )
            return "retry"
        # Unconfirmed, or anything unexpected once the request may have left: ask, never resend.
        return _mark_unconfirmed(claim, error, now=now)


def _mark_unconfirmed(claim: Claim, error: OutboundError, *, now: dt.datetime) -> str:
    check_at = now + conf.seconds("RECONCILE_AFTER_SECONDS")
    Attempt.objects.filter(pk=claim.attempt_id).update(
        outcome=Outcome.UNCONFIRMED,
        finished_at=now,
        error_code="unconfirmed",
        error_message=_message(error),
    )
    owned = Dispatch.objects.filter(pk=claim.variant.pk, claim_token=claim.token).update(
        unconfirmed_at=now, reconcile_at=check_at, reconcile_checks=0
    )
    lease_release(claim.token)
    if owned:
        Variant.objects.filter(pk=claim.variant.pk, status=S.PUBLISHING).update(
            status=S.UNCONFIRMED,
            error_code="unconfirmed",
            error_message=_(
                "The network did not confirm the post; Keryx is checking whether it went out."
            ),
            updated_at=now,
        )
        enqueue_reconcile(claim.variant.pk, eta=check_at)
    return "unconfirmed"


def variant_publish_due(*, variant_id: int, worker: str) -> str:
    """Publish the variant if it is due and nobody else has it; returns what happened."""
    claim = _claim(variant_id=variant_id, worker=worker, now=timezone.now())
    if isinstance(claim, str):
        return claim
    try:
        account = claim.account
        account_refresh_if_expiring(account)
        if account.status != AccountStatus.CONNECTED:  # the refresh was refused
            # The refusal's own message already says what to do: no second hint.
            refused = AuthExpired(account.status_message, hint="")
            return _settle_error(claim, refused, now=timezone.now())
        connector = account_connector(account)
        request = _request(claim)
    except OutboundError as exc:
        with transaction.atomic():
            if isinstance(exc, Unconfirmed):  # nothing was sent yet: the refresh was ambiguous
                exc = Unavailable(exc.message, detail=exc.detail)
            return _settle_error(claim, exc, now=timezone.now())
    except Exception as exc:  # a bug or a broken account: nothing was sent
        logger.exception("variant %s: could not prepare the publish", variant_id)
        return _settle_error(claim, Unavailable(str(exc)), now=timezone.now())
    # The last moment to let go: if the sweep declared this claim dead, do not send.
    sending = Attempt.objects.filter(
        pk=claim.attempt_id, outcome=Outcome.PENDING, sent_at__isnull=True
    ).update(sent_at=timezone.now())
    if not sending:
        return "abandoned"
    try:
        published = connector.publish(request)
    except OutboundError as exc:
        return _settle_error(claim, exc, now=timezone.now())
    except Exception as exc:
        logger.exception("variant %s: the connector failed after sending", variant_id)
        return _mark_unconfirmed_atomic(claim, Unconfirmed(str(exc)))
    settle_published(
        variant_id=claim.variant.pk,
        token=claim.token,
        published=published,
        outcome=Outcome.PUBLISHED,
        attempt_id=claim.attempt_id,
        now=timezone.now(),
    )
    return "published"


@transaction.atomic
def _mark_unconfirmed_atomic(claim: Claim, error: OutboundError) -> str:
    return _mark_unconfirmed(claim, error, now=timezone.now())
