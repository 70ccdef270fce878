"""Settling unconfirmed variants by asking the network, never by sending blindly.

The network is asked for a post with the variant's content fingerprint published since the
first try. A network that cannot be asked at all (its capabilities say ``find_published``
is false, e.g. a webhook) cannot tell "absent" from "delivered": the variant stays
unconfirmed and a person is asked at once (decision 0740). Found: published. Not found: when the network de-duplicates by idempotency key
and still remembers ours, sending again with the *same* key cannot make a second post, so
Keryx sends again (at most twice); otherwise the variant fails with a plain explanation.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.content.enums import VariantStatus
from keryx.content.models import Variant
from keryx.core.http import OutboundError
from keryx.publishing import conf
from keryx.publishing.domain import notices
from keryx.publishing.domain.accounts import account_connector
from keryx.publishing.domain.claim import attempt_record
from keryx.publishing.domain.queue import enqueue_publish
from keryx.publishing.domain.settle import settle_published
from keryx.publishing.enums import Outcome
from keryx.publishing.limits import limits_for
from keryx.publishing.models import Dispatch

logger = logging.getLogger(__name__)
S = VariantStatus
LOOK_BACK = dt.timedelta(minutes=10)
CHECK_LOCK = dt.timedelta(minutes=2)


def _next_check(checks: int, now: dt.datetime) -> dt.datetime:
    base = conf.number("RECONCILE_AFTER_SECONDS")
    return now + dt.timedelta(seconds=min(3600.0, base * (2 ** min(checks, 10))))


def variant_reconcile(*, variant_id: int, worker: str = "") -> str:
    """Ask the network about one unconfirmed variant and settle it if the answer is clear."""
    now = timezone.now()
    # Take the check (two reconcilers may run at once; only one asks).
    taken = Dispatch.objects.filter(
        pk=variant_id, unconfirmed_at__isnull=False, reconcile_at__lte=now
    ).update(reconcile_at=now + CHECK_LOCK)
    if not taken:
        return "not_due"
    variant = (
        Variant.objects.select_related("post", "post__workspace", "account", "dispatch")
        .filter(pk=variant_id)
        .first()
    )
    if variant is None or variant.status != S.UNCONFIRMED:
        Dispatch.objects.filter(pk=variant_id).update(unconfirmed_at=None, reconcile_at=None)
        return "settled"
    dispatch = variant.dispatch
    since = (dispatch.first_sent_at or dispatch.unconfirmed_at or now) - LOOK_BACK
    connector = account_connector(variant.account)
    if not connector.capabilities.find_published:
        return _cannot_tell(variant, dispatch)
    try:
        found = connector.find_published(dispatch.fingerprint, since=since)
    except (OutboundError, LookupError) as exc:
        return _unknown(variant, dispatch, str(exc), now=now)
    if found is not None:
        attempt = attempt_record(
            variant,
            dispatch,
            number=dispatch.tries,
            worker=worker,
            outcome=Outcome.FOUND,
            now=now,
            finished=False,  # settle_published finishes it
        )
        settle_published(
            variant_id=variant.pk,
            token=dispatch.claim_token,
            published=found,
            outcome=Outcome.FOUND,
            attempt_id=attempt.pk,
            now=now,
        )
        return "found"
    return _absent(variant, dispatch, now=now, worker=worker)


@transaction.atomic
def _absent(variant: Variant, dispatch: Dispatch, *, now: dt.datetime, worker: str) -> str:
    limits = limits_for(variant.network)
    sent = dispatch.first_sent_at or now
    key_alive = limits.idempotency and now - sent < limits.idempotency_window - dt.timedelta(
        minutes=5
    )
    if key_alive and dispatch.resends < conf.MAX_RESENDS:
        owned = Dispatch.objects.filter(pk=dispatch.pk, claim_token=dispatch.claim_token).update(
            claim_token=None,
            unconfirmed_at=None,
            reconcile_at=None,
            next_try_at=None,
            waiting="",
            resends=dispatch.resends + 1,
        )
        if owned and Variant.objects.filter(pk=variant.pk, status=S.UNCONFIRMED).update(
            status=S.SCHEDULED, error_code="", error_message="", updated_at=now
        ):
            attempt_record(
                variant,
                dispatch,
                number=dispatch.tries,
                worker=worker,
                outcome=Outcome.ABSENT,
                now=now,
                message=_(
                    "Not on the network; sending again with the same idempotency key, "
                    "which the network de-duplicates."
                ),
            )
            enqueue_publish([variant.pk])
            return "resent"
        return "settled"
    message = _(
        "The network did not confirm the post and it is not on the account, so it was not "
        "published. Publish it again if you still want it out."
    )
    owned = Dispatch.objects.filter(pk=dispatch.pk, claim_token=dispatch.claim_token).update(
        claim_token=None, unconfirmed_at=None, reconcile_at=None
    )
    if owned and Variant.objects.filter(pk=variant.pk, status=S.UNCONFIRMED).update(
        status=S.FAILED, error_code="not_found", error_message=message, updated_at=now
    ):
        attempt_record(
            variant,
            dispatch,
            number=dispatch.tries,
            worker=worker,
            outcome=Outcome.ABSENT,
            now=now,
            code="not_found",
            message=message,
        )
        variant.error_message = message
        notices.notify_failed(variant)
    return "absent"


@transaction.atomic
def _unknown(variant: Variant, dispatch: Dispatch, detail: str, *, now: dt.datetime) -> str:
    """The network could not be asked: try later, and tell people if it takes long."""
    checks = dispatch.reconcile_checks + 1
    if checks >= conf.MAX_RECONCILE_CHECKS:
        # Stop asking; it stays unconfirmed until a person settles it.
        Dispatch.objects.filter(pk=dispatch.pk).update(reconcile_checks=checks, reconcile_at=None)
    else:
        Dispatch.objects.filter(pk=dispatch.pk).update(
            reconcile_checks=checks, reconcile_at=_next_check(checks, now)
        )
    logger.info("variant %s: cannot ask the network yet (%s)", variant.pk, detail)
    if checks >= conf.UNCONFIRMED_NOTIFY_AFTER and not dispatch.unconfirmed_notified:
        Dispatch.objects.filter(pk=dispatch.pk).update(unconfirmed_notified=True)
        notices.notify_unconfirmed(variant)
    return "unknown"


@transaction.atomic
def _cannot_tell(variant: Variant, dispatch: Dispatch) -> str:
    """The network cannot be asked what it received: "not found" would be a guess, and
    sending again could post twice. Stop checking; a person settles it by hand."""
    Dispatch.objects.filter(pk=dispatch.pk).update(reconcile_at=None, unconfirmed_notified=True)
    logger.info("variant %s: the network cannot be asked; a person settles it", variant.pk)
    if not dispatch.unconfirmed_notified:
        notices.notify_cannot_tell(variant)
    return "cannot_tell"
