"""Publishing in batches: one claim, one send round and one settle for many due variants, with
every guarantee of the one-variant path (pause in the claim statement, caps, quotas, exactly
once)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.content.enums import VariantStatus
from keryx.content.models import Variant
from keryx.networks.base import Published
from keryx.networks.models import AccountStatus
from keryx.publishing.domain import pause
from keryx.publishing.domain.claim import claim_due
from keryx.publishing.domain.pipeline import _send_and_settle, variants_publish_due
from keryx.publishing.domain.queue import enqueue_publish
from keryx.publishing.domain.rows import update_returning
from keryx.publishing.domain.settle import settle_published_many
from keryx.publishing.enums import Outcome, Waiting
from keryx.publishing.models import Attempt, ConcurrencyLease, Dispatch
from tests.conftest import services_or_skip
from tests.publishing.factories import due_variant, make_account

S = VariantStatus


def _due(seminar, user, accounts, count: int) -> list[Variant]:  # type: ignore[no-untyped-def]
    return [
        due_variant(seminar, user, accounts[n % len(accounts)], text=f"Ανάρτηση {n}")
        for n in range(count)
    ]


def _publish(variants: list[Variant], worker: str = "w") -> dict[int, str]:
    return variants_publish_due(variant_ids=[v.pk for v in variants], worker=worker)


@pytest.mark.django_db
def test_a_batch_is_published_once_each_with_its_own_attempt_and_remote_id(
    seminar, user, workspace, account, testnet, django_assert_max_num_queries
) -> None:
    other = make_account(workspace, base_url=testnet.url, name="other")
    variants = _due(seminar, user, [account, other], 20)

    # Claim, mark sent, settle: a fixed number of statements for the whole batch.
    with django_assert_max_num_queries(30):
        outcomes = _publish(variants)

    assert outcomes == {v.pk: "published" for v in variants}
    posts = {p["idempotency_key"]: p for p in testnet.posts()}
    assert len(posts) == 20
    for v in variants:
        v.refresh_from_db()
        post = posts[f"keryx-v{v.pk}-g1"]
        assert (v.status, v.remote_id, v.remote_url) == (S.PUBLISHED, post["id"], post["url"])
        assert post["text"] == v.text
        assert post["account"] == v.account.credentials["access_token"]
    attempts = Attempt.objects.filter(variant__in=variants)
    assert sorted(attempts.values_list("variant_id", "outcome", "number")) == sorted(
        (v.pk, Outcome.PUBLISHED, 1) for v in variants
    )
    assert all(a.sent_at and a.finished_at and a.remote_id for a in attempts)
    assert not Dispatch.objects.filter(claim_token__isnull=False).exists()
    assert not ConcurrencyLease.objects.filter(holder__isnull=False).exists()
    assert _publish(variants) == {v.pk: "not_due" for v in variants}
    assert testnet.stats()["create_requests"] == 20


@pytest.mark.django_db
def test_each_variant_of_a_batch_is_settled_by_what_the_network_said_about_it(
    seminar, user, workspace, account, testnet, settings
) -> None:
    settings.KERYX_PUBLISHING = {**settings.KERYX_PUBLISHING, "LIMITS": {"testnet": {"quota": 2}}}
    fine = due_variant(seminar, user, account, text="Όλα καλά")
    refused = due_variant(seminar, user, account, text="Κάτι #reject")
    busy = make_account(workspace, base_url=testnet.url, name="busy")
    three = [due_variant(seminar, user, busy, text=f"Πολλές {n}") for n in range(3)]
    gone = make_account(workspace, base_url=testnet.url, name="gone")
    type(gone).objects.filter(pk=gone.pk).update(status=AccountStatus.RECONNECT_NEEDED)
    waiting = due_variant(seminar, user, gone)
    later = due_variant(seminar, user, account, ago=dt.timedelta(seconds=-300))

    outcomes = _publish([fine, refused, *three, waiting, later])

    assert outcomes == {
        fine.pk: "published",
        refused.pk: "rejected",
        # The quota of two is the account's: its third post waits for a free place.
        three[0].pk: "published",
        three[1].pk: "published",
        three[2].pk: "waiting:quota",
        waiting.pk: "waiting:reconnect",
        later.pk: "not_due",
    }
    refused.refresh_from_db()
    assert (refused.status, refused.error_code) == (S.FAILED, "rejected")
    assert Dispatch.objects.get(pk=waiting.pk).waiting == Waiting.RECONNECT
    assert Dispatch.objects.get(pk=three[2].pk).waiting == Waiting.QUOTA
    assert sorted(p["text"] for p in testnet.posts()) == ["Όλα καλά", "Πολλές 0", "Πολλές 1"]
    assert not ConcurrencyLease.objects.filter(holder__isnull=False).exists()


@pytest.mark.django_db
def test_a_batch_larger_than_the_networks_cap_goes_out_as_slots_free(
    seminar, user, account, testnet, settings
) -> None:
    settings.KERYX_PUBLISHING = {
        **settings.KERYX_PUBLISHING,
        "LIMITS": {"testnet": {"concurrency": 2}},
    }
    variants = _due(seminar, user, [account], 5)
    assert _publish(variants) == {v.pk: "published" for v in variants}
    # Never more than two claims at once: the batch was claimed in three rounds.
    assert len(set(Attempt.objects.values_list("started_at", flat=True))) == 3
    assert ConcurrencyLease.objects.count() == 2
    assert not ConcurrencyLease.objects.filter(holder__isnull=False).exists()
    assert testnet.stats()["stored"] == 5


@pytest.mark.django_db
def test_a_queued_batch_splits_into_messages_of_the_batch_size(
    seminar, user, account, testnet, settings, django_capture_on_commit_callbacks
) -> None:
    settings.KERYX_PUBLISHING = {**settings.KERYX_PUBLISHING, "BATCH_SIZE": 2}
    variants = _due(seminar, user, [account], 5)
    with django_capture_on_commit_callbacks(execute=True):  # the tasks run inline in tests
        enqueue_publish([v.pk for v in variants])
    assert Variant.objects.filter(pk__in=[v.pk for v in variants], status=S.PUBLISHED).count() == 5
    # One claim per message: 2 + 2 + 1.
    claims = Counter(Attempt.objects.values_list("started_at", flat=True))
    assert sorted(claims.values()) == [1, 2, 2]


def _before_the_claim(act: Callable[[], None]) -> Callable[..., Any]:
    """A database execute wrapper that runs ``act`` once, right before the claim's
    compare-and-set statement (after the batch was read and checked)."""
    done: list[bool] = []

    def wrapper(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if not done and sql.startswith('UPDATE "content_variant"') and "RETURNING" in sql:
            done.append(True)
            act()
        return execute(sql, params, many, context)

    return wrapper


@pytest.mark.django_db(transaction=True)
def test_a_pause_that_starts_while_a_batch_is_being_claimed_holds_the_whole_batch(
    seminar, user, workspace, account, testnet
) -> None:
    variants = _due(seminar, user, [account], 6)
    access = workspace_access(user, workspace, Perm.PUBLISH_PAUSE)

    def start_pause() -> None:
        if connection.vendor == "sqlite":
            # One writer at a time: a concurrent pause can only land before the claim's
            # statement, which is what doing it here, in the claim's transaction, looks like.
            pause.pause_start(access=access, reason="Θλιβερά νέα")
            return
        # PostgreSQL: another connection starts the pause and commits while the claim's
        # transaction is open, between reading the batch and the compare-and-set.
        errors: list[BaseException] = []

        def other() -> None:
            try:
                pause.pause_start(access=access, reason="Θλιβερά νέα")
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                connection.close()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join(timeout=30)
        assert not errors and not thread.is_alive()

    with connection.execute_wrapper(_before_the_claim(start_pause)):
        outcomes = _publish(variants)

    assert outcomes == {v.pk: "held" for v in variants}
    assert testnet.stats()["create_requests"] == 0
    assert Variant.objects.filter(pk__in=[v.pk for v in variants], status=S.SCHEDULED).count() == 6
    assert Dispatch.objects.filter(held_at__isnull=False).count() == 6
    assert set(Attempt.objects.values_list("outcome", flat=True)) == {Outcome.HELD}
    assert not ConcurrencyLease.objects.filter(holder__isnull=False).exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_workers_given_the_same_batch_publish_each_variant_once(
    seminar, user, workspace, account, testnet
) -> None:
    # Two connections writing at once: PostgreSQL (the test run's SQLite database is shared
    # in memory, where a second writer fails instead of queueing as on a WAL file).
    services_or_skip()
    assert connection.vendor == "postgresql"
    testnet.configure(latency_ms=50)
    other = make_account(workspace, base_url=testnet.url, name="other")
    variants = _due(seminar, user, [account, other], 30)
    ids = [v.pk for v in variants]
    start = threading.Barrier(2)
    results: dict[str, dict[int, str]] = {}
    errors: list[BaseException] = []

    def worker(name: str, order: list[int]) -> None:
        try:
            start.wait(timeout=10)
            results[name] = variants_publish_due(variant_ids=order, worker=name)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=("a", ids)),
        threading.Thread(target=worker, args=("b", list(reversed(ids)))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors

    for pk in ids:
        said = sorted([results["a"][pk], results["b"][pk]])
        assert said in (["not_due", "published"], ["published", "taken"]), (pk, said)
    stats = testnet.stats()
    assert (stats["create_requests"], stats["stored"], stats["duplicate_fingerprints"]) == (
        30,
        30,
        0,
    )
    assert Attempt.objects.count() == 30
    assert Variant.objects.filter(pk__in=ids, status=S.PUBLISHED).count() == 30


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_batch_that_finds_every_slot_taken_waits_for_its_process_instead_of_the_queue(
    seminar, user, account, testnet, settings
) -> None:
    services_or_skip()  # two writers at once, as above
    assert connection.vendor == "postgresql"
    settings.KERYX_PUBLISHING = {
        **settings.KERYX_PUBLISHING,
        "LIMITS": {"testnet": {"concurrency": 2}},
    }
    testnet.configure(latency_ms=300)
    first, second = _due(seminar, user, [account], 2), _due(seminar, user, [account], 2)
    results: dict[str, dict[int, str]] = {}
    errors: list[BaseException] = []

    def worker(name: str, batch: list[Variant], delay: float) -> None:
        try:
            time.sleep(delay)
            results[name] = _publish(batch, worker=name)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=("a", first, 0.0)),
        # Starts while "a" holds both slots of the cap.
        threading.Thread(target=worker, args=("b", second, 0.1)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors

    assert results == {
        "a": {v.pk: "published" for v in first},
        "b": {v.pk: "published" for v in second},
    }
    # "b" was not sent back to the queue: it went out as soon as "a" settled.
    assert not Dispatch.objects.exclude(waiting="").exists()
    assert not Dispatch.objects.filter(enqueued_for__isnull=False).exists()
    b_started = min(Attempt.objects.filter(worker="b").values_list("started_at", flat=True))
    a_finished = max(Attempt.objects.filter(worker="a").values_list("finished_at", flat=True))
    assert b_started >= a_finished
    assert testnet.stats()["stored"] == 4


@pytest.mark.django_db
def test_update_returning_refuses_a_condition_through_a_join(seminar, user, account) -> None:
    variant = due_variant(seminar, user, account)
    with pytest.raises(ValueError, match="own columns"):
        update_returning(Variant.objects.filter(post__seminar=seminar), updated_at=timezone.now())
    assert update_returning(Variant.objects.filter(pk=variant.pk), status=S.APPROVED) == [
        variant.pk
    ]
    assert update_returning(Variant.objects.filter(pk__in=[]), status=S.APPROVED) == []


@pytest.mark.django_db
def test_a_claim_the_sweep_gave_up_on_is_not_sent_with_the_rest_of_its_batch(
    seminar, user, account, testnet
) -> None:
    variants = _due(seminar, user, [account], 3)
    batch = claim_due(variant_ids=[v.pk for v in variants], worker="w", now=timezone.now())
    assert len(batch.claims) == 3
    # The sweep decided the worker died before sending the first one (decision 0400).
    given_up = batch.claims[0]
    Attempt.objects.filter(pk=given_up.attempt_id).update(outcome=Outcome.ABANDONED)

    outcomes: dict[int, str] = {}
    _send_and_settle(batch.claims, outcomes)

    assert outcomes == {
        given_up.variant.pk: "abandoned",
        batch.claims[1].variant.pk: "published",
        batch.claims[2].variant.pk: "published",
    }
    assert sorted(p["idempotency_key"] for p in testnet.posts()) == sorted(
        f"keryx-v{c.variant.pk}-g1" for c in batch.claims[1:]
    )


@pytest.mark.django_db
def test_a_late_confirmation_in_a_batch_only_corrects_a_post_settled_as_not_found(
    seminar, user, account, testnet
) -> None:
    variants = _due(seminar, user, [account], 3)
    batch = claim_due(variant_ids=[v.pk for v in variants], worker="w", now=timezone.now())
    found, moved, fine = batch.claims
    # While the network was slow, the sweep gave up on two claims: one was settled as not
    # on the network, the other was put back on the schedule by a person.
    Dispatch.objects.filter(pk__in=[found.variant.pk, moved.variant.pk]).update(claim_token=None)
    Variant.objects.filter(pk=found.variant.pk).update(status=S.FAILED, error_code="not_found")
    Variant.objects.filter(pk=moved.variant.pk).update(status=S.SCHEDULED)
    answers = [
        (c, Published(remote_id=f"r{n}", url=f"https://testnet/r{n}", published_at=None))
        for n, c in enumerate(batch.claims)
    ]

    settle_published_many(answers, now=timezone.now())

    statuses = dict(
        Variant.objects.filter(pk__in=[v.pk for v in variants]).values_list("pk", "status")
    )
    assert statuses == {
        found.variant.pk: S.PUBLISHED,
        moved.variant.pk: S.SCHEDULED,
        fine.variant.pk: S.PUBLISHED,
    }
    assert Variant.objects.get(pk=found.variant.pk).remote_id == "r0"
    assert Variant.objects.get(pk=fine.variant.pk).remote_url == "https://testnet/r2"
    assert set(Attempt.objects.values_list("remote_id", flat=True)) == {"r0", "r1", "r2"}
    assert not ConcurrencyLease.objects.filter(holder__isnull=False).exists()
