"""Publishing due variants: claim a batch, send each post, and settle what the network answered.

The database is the truth. A worker claims a batch of due variants with a compare-and-set that
checks the pause switches in the same statement (:mod:`.claim`), marks each attempt *sent*
(another compare-and-set) right before calling the network, sends the batch's posts at the
same time from a pool of threads (the wait for the network overlaps; the database work is
done in bulk), and settles the answers (:mod:`.settle`). Nothing that may have reached the
network is ever retried blindly: it becomes *unconfirmed* and
:mod:`keryx.publishing.domain.reconcile` asks the network.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from django.db import connections
from django.utils import timezone

from keryx.content.models import VariantMedia
from keryx.core.http import AuthExpired, OutboundError, Unavailable, Unconfirmed
from keryx.networks.base import Connector, MediaFile, Published, PublishRequest
from keryx.networks.models import AccountStatus, NetworkAccount
from keryx.publishing import conf
from keryx.publishing.domain.accounts import account_connector, account_refresh_if_expiring
from keryx.publishing.domain.claim import Claim, claim_due, wait_for_slot
from keryx.publishing.domain.rows import update_returning
from keryx.publishing.domain.settle import mark_unconfirmed, settle_error, settle_published_many
from keryx.publishing.enums import Outcome
from keryx.publishing.models import Attempt

logger = logging.getLogger(__name__)

# Answers that arrive within this long of each other are settled together.
SETTLE_EVERY = 0.15

_senders: ThreadPoolExecutor | None = None
_senders_lock = threading.Lock()


def _sender_pool() -> ThreadPoolExecutor:
    """The process's threads that wait for the networks (they never touch the database)."""
    global _senders
    with _senders_lock:
        if _senders is None:
            _senders = ThreadPoolExecutor(
                max_workers=int(conf.number("SENDER_THREADS")), thread_name_prefix="keryx-send"
            )
        return _senders


class _InFlight:
    """This process's claims between claim and settle, and a signal each time some settle:
    their slots under the networks' caps are free again, so a task thread whose batch found
    no free slot can wait for that instead of going back to the queue."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._claims = 0
        self._settles = 0

    def mark(self) -> int:
        with self._changed:
            return self._settles

    def add(self, count: int) -> None:
        with self._changed:
            self._claims += count

    def settled(self, count: int) -> None:
        with self._changed:
            self._claims -= count
            self._settles += 1
            self._changed.notify()

    def wait_for_settle(self, since: int, timeout: float) -> None:
        """Until a claim of this process settles after ``since`` (a ``mark()``), or for
        ``timeout``; when none is in flight (other processes hold the slots), a short while."""
        with self._changed:
            if self._settles == since and self._claims <= 0:
                timeout = min(timeout, 0.25 + random.random() * 0.25)
            self._changed.wait_for(lambda: self._settles != since, timeout=timeout)


_in_flight = _InFlight()
# How long a batch that found no free slot waits for this process's own sends to finish.
SLOT_WAIT = 2.0


@dataclass
class _Ready:
    claim: Claim
    connector: Connector
    request: PublishRequest


def _media(variant_ids: Sequence[int]) -> dict[int, tuple[MediaFile, ...]]:
    """Each variant's media files, in order, with the alt text this network gets."""
    found: dict[int, list[MediaFile]] = defaultdict(list)
    links = (
        VariantMedia.objects.filter(variant_id__in=list(variant_ids))
        .select_related("media")
        .order_by("variant_id", "position", "id")
    )
    for link in links:
        found[link.variant_id].append(
            MediaFile(
                path=Path(link.media.file.path),
                mime=link.media.mime,
                alt_text=link.alt_text or link.media.alt_text,
                width=link.media.width,
                height=link.media.height,
                bytes=link.media.bytes,
            )
        )
    return {pk: tuple(files) for pk, files in found.items()}


def _request(claim: Claim, media: tuple[MediaFile, ...]) -> PublishRequest:
    variant = claim.variant
    return PublishRequest(
        media=media,
        text=variant.text or variant.post.master_text,
        link=variant.link_url or variant.post.link_url,
        first_comment=variant.first_comment,
        idempotency_key=claim.idempotency_key,
        fingerprint=claim.fingerprint,
    )


class _Accounts:
    """Fresh credentials, checked once per account and batch; a connector per post (a
    connector may keep state between calls, and the batch's posts are sent at the same time)."""

    def __init__(self) -> None:
        self._checked: dict[int, Exception | None] = {}

    def connector(self, account: NetworkAccount) -> Connector:
        if account.pk not in self._checked:
            try:
                account_refresh_if_expiring(account)
                if account.status != AccountStatus.CONNECTED:  # the refresh was refused
                    # The refusal's own message already says what to do: no second hint.
                    raise AuthExpired(account.status_message, hint="")
                self._checked[account.pk] = None
            except Exception as exc:
                self._checked[account.pk] = exc  # and raised for each of its posts
        problem = self._checked[account.pk]
        if problem is not None:
            raise problem
        return account_connector(account)


def _prepare(claims: Sequence[Claim], outcomes: dict[int, str]) -> list[_Ready]:
    """Connectors and requests; a claim that cannot be prepared settles (nothing was sent)."""
    media = _media([c.variant.pk for c in claims])
    accounts = _Accounts()
    ready = []
    for claim in claims:
        pk = claim.variant.pk
        try:
            connector = accounts.connector(claim.account)
            request = _request(claim, media.get(pk, ()))
        except OutboundError as exc:
            if isinstance(exc, Unconfirmed):  # nothing was sent yet: the refresh was ambiguous
                exc = Unavailable(exc.message, detail=exc.detail)
            outcomes[pk] = settle_error(claim, exc, now=timezone.now())
        except Exception as exc:  # a bug or a broken account: nothing was sent
            logger.exception("variant %s: could not prepare the publish", pk)
            outcomes[pk] = settle_error(claim, Unavailable(str(exc)), now=timezone.now())
        else:
            ready.append(_Ready(claim, connector, request))
    return ready


def _mark_sent(ready: list[_Ready], outcomes: dict[int, str]) -> list[_Ready]:
    """The last moment to let go: a claim the sweep declared dead is not sent. Committed
    before any of the batch's requests leaves."""
    sent = set(
        update_returning(
            Attempt.objects.filter(
                pk__in=[r.claim.attempt_id for r in ready],
                outcome=Outcome.PENDING,
                sent_at__isnull=True,
            ),
            sent_at=timezone.now(),
        )
    )
    for r in ready:
        if r.claim.attempt_id not in sent:
            outcomes[r.claim.variant.pk] = "abandoned"
    return [r for r in ready if r.claim.attempt_id in sent]


def _send(item: _Ready) -> Published | BaseException:
    try:
        return item.connector.publish(item.request)
    except Exception as exc:
        return exc


def _send_from_pool(item: _Ready) -> Published | BaseException:
    try:
        return _send(item)
    finally:
        # A connector that renewed its token saved it from this sending thread: let go of the
        # connection that opened (the pool's threads live as long as the process).
        connections.close_all()


def _settle(
    answers: list[tuple[Claim, Published | BaseException]], outcomes: dict[int, str]
) -> None:
    published = [(c, a) for c, a in answers if isinstance(a, Published)]
    if published:
        outcomes.update(settle_published_many(published, now=timezone.now()))
    for claim, answer in answers:
        if isinstance(answer, Published):
            continue
        pk = claim.variant.pk
        if isinstance(answer, OutboundError):
            outcomes[pk] = settle_error(claim, answer, now=timezone.now())
        else:
            logger.error(
                "variant %s: the connector failed after sending",
                pk,
                exc_info=(type(answer), answer, answer.__traceback__),
            )
            outcomes[pk] = mark_unconfirmed(claim, Unconfirmed(str(answer)), now=timezone.now())


def _send_and_settle(claims: Sequence[Claim], outcomes: dict[int, str]) -> None:
    _in_flight.add(len(claims))
    left = len(claims)
    try:
        ready = _mark_sent(_prepare(claims, outcomes), outcomes) if claims else []
        if len(ready) < left:  # settled already (nothing sent) or given up on
            _in_flight.settled(left - len(ready))
            left = len(ready)
        if len(ready) == 1:
            _settle([(ready[0].claim, _send(ready[0]))], outcomes)
            return
        pool = _sender_pool()
        futures: dict[Future[Published | BaseException], Claim] = {
            pool.submit(_send_from_pool, item): item.claim for item in ready
        }
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            if pending:  # settle together what arrives close together
                more, pending = wait(pending, timeout=SETTLE_EVERY)
                done |= more
            _settle([(futures[f], f.result()) for f in done], outcomes)
            _in_flight.settled(len(done))
            left -= len(done)
    finally:
        if left:
            _in_flight.settled(left)


def variants_publish_due(*, variant_ids: Sequence[int], worker: str) -> dict[int, str]:
    """Publish those of the variants that are due and that nobody else has; returns what
    happened to each (``published``, ``not_due``, ``held``, ``retry``, ``waiting:quota`` …).

    Variants that find no free slot under their network's cap are claimed again as sends
    finish: the batch's own, or (when none was free at all) those of the process's other
    task threads, for up to ``SLOT_WAIT`` seconds; then they wait a moment on the queue."""
    outcomes: dict[int, str] = {}
    remaining = list(variant_ids)
    deadline = time.monotonic() + SLOT_WAIT
    while remaining:
        seen = _in_flight.mark()
        batch = claim_due(variant_ids=remaining, worker=worker, now=timezone.now())
        outcomes.update(batch.outcomes)
        if batch.no_slot and not batch.claims:
            wait_for = deadline - time.monotonic()
            if wait_for <= 0:
                outcomes.update(wait_for_slot(batch.no_slot, timezone.now()))
                break
            _in_flight.wait_for_settle(seen, timeout=wait_for)
            remaining = batch.no_slot
            continue
        _send_and_settle(batch.claims, outcomes)
        remaining = batch.no_slot
    return outcomes


def variant_publish_due(*, variant_id: int, worker: str) -> str:
    """Publish the variant if it is due and nobody else has it; returns what happened."""
    return variants_publish_due(variant_ids=[variant_id], worker=worker)[variant_id]


def _claim(*, variant_id: int, worker: str, now: dt.datetime) -> Claim | str:
    """Claim one variant (tests and tools); what happened instead when it was not claimed."""
    batch = claim_due(variant_ids=[variant_id], worker=worker, now=now)
    if batch.claims:
        return batch.claims[0]
    if batch.no_slot:
        return "no_slot"
    return batch.outcomes[variant_id]
