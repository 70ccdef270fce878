"""Settling what the network answered to a claimed variant.

A confirmed publication is recorded in bulk for a whole batch (:func:`settle_published_many`,
a handful of statements whatever the batch's size); every error is classified once, variant by
variant (:func:`settle_error`). Every change is conditional on the claim token, so a worker
that was given up on cannot overwrite a newer claim. Nothing that may have reached the network
is retried blindly: it becomes *unconfirmed* and the reconciler asks the network
(decision 0402).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from keryx.content.enums import VariantStatus
from keryx.content.models import Variant
from keryx.core.http import AuthExpired, OutboundError, RateLimited, Rejected, Unavailable
from keryx.networks.base import Published
from keryx.publishing import conf
from keryx.publishing.domain import notices
from keryx.publishing.domain.accounts import account_mark_reconnect_needed
from keryx.publishing.domain.claim import Claim, fail_variant, lease_release, leases_release
from keryx.publishing.domain.queue import enqueue_publish, enqueue_reconcile
from keryx.publishing.domain.rows import per_row, update_returning
from keryx.publishing.enums import Outcome, Waiting
from keryx.publishing.limits import network_label
from keryx.publishing.models import AccountGate, Attempt, Dispatch

logger = logging.getLogger(__name__)
S = VariantStatus
PUBLISHED_FROM = [S.PUBLISHING, S.UNCONFIRMED]


def _published_fields(published: Published, now: dt.datetime) -> dict[str, object]:
    return {
        "published_at": published.published_at or now,
        "remote_id": published.remote_id[:255],
        "remote_url": published.url[:1000],
    }


def _as_published(published: Published, now: dt.datetime) -> dict[str, object]:
    """The update that marks one variant published, error cleared."""
    return {
        "status": S.PUBLISHED,
        "error_code": "",
        "error_message": "",
        "updated_at": now,
        **_published_fields(published, now),
    }


def _correct_stale(variant_id: int, published: Published, now: dt.datetime) -> bool:
    """A claim the sweep gave up on came back with proof after all. Only a variant that was
    settled as "not found" is corrected; anything else is left alone."""
    logger.warning("variant %s: a stale claim finished", variant_id)
    changed = Variant.objects.filter(pk=variant_id, status=S.FAILED, error_code="not_found").update(
        **_as_published(published, now)
    )
    return bool(changed)


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
        if not owned:
            return _correct_stale(variant_id, published, now)
        changed = Variant.objects.filter(pk=variant_id, status__in=PUBLISHED_FROM).update(
            **_as_published(published, now)
        )
        return bool(changed)


def settle_published_many(
    answers: Sequence[tuple[Claim, Published]], *, now: dt.datetime
) -> dict[int, str]:
    """Record the network's confirmations for many claims at once (five statements)."""
    if len(answers) == 1:
        claim, published = answers[0]
        settle_published(
            variant_id=claim.variant.pk,
            token=claim.token,
            published=published,
            outcome=Outcome.PUBLISHED,
            attempt_id=claim.attempt_id,
            now=now,
        )
        return {claim.variant.pk: "published"}
    with transaction.atomic():
        tokens = [claim.token for claim, _published in answers]
        # Token values are unique, so the token alone names the row it was given to.
        owned = set(
            update_returning(
                Dispatch.objects.filter(claim_token__in=tokens),
                claim_token=None,
                next_try_at=None,
                waiting="",
                unconfirmed_at=None,
                reconcile_at=None,
            )
        )
        Attempt.objects.filter(pk__in=[claim.attempt_id for claim, _p in answers]).update(
            outcome=Outcome.PUBLISHED,
            finished_at=now,
            remote_id=per_row(
                Attempt, "remote_id", {c.attempt_id: p.remote_id[:255] for c, p in answers}
            ),
        )
        leases_release(tokens)
        mine = {
            c.variant.pk: _published_fields(p, now) for c, p in answers if c.variant.pk in owned
        }
        if mine:
            Variant.objects.filter(pk__in=list(mine), status__in=PUBLISHED_FROM).update(
                status=S.PUBLISHED,
                error_code="",
                error_message="",
                updated_at=now,
                **{
                    name: per_row(Variant, name, {pk: row[name] for pk, row in mine.items()})
                    for name in ("published_at", "remote_id", "remote_url")
                },
            )
        for claim, published in answers:
            if claim.variant.pk not in owned:
                _correct_stale(claim.variant.pk, published, now)
    return {claim.variant.pk: "published" for claim, _published in answers}


# --- errors -----------------------------------------------------------------------------------


def _backoff(tries: int) -> dt.timedelta:
    base = conf.number("RETRY_BASE_SECONDS")
    return dt.timedelta(seconds=base * (2 ** max(0, tries - 1)) * random.uniform(0.8, 1.2))


def _message(error: OutboundError) -> str:
    return (error.message or str(error))[:2000]


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
    if owned and fail_variant(
        claim.variant.pk, code=code, message=message, from_status=S.PUBLISHING, now=now
    ):
        claim.variant.error_message = message
        notices.notify_failed(claim.variant)


def settle_error(claim: Claim, error: OutboundError, *, now: dt.datetime) -> str:
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
        return mark_unconfirmed(claim, error, now=now)


def mark_unconfirmed(claim: Claim, error: OutboundError, *, now: dt.datetime) -> str:
    check_at = now + conf.seconds("RECONCILE_AFTER_SECONDS")
    with transaction.atomic():
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
