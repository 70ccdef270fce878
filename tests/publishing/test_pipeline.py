"""The publish pipeline against the real test network server: claim, send, classify, settle."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from keryx.content.enums import VariantStatus
from keryx.content.models import Variant
from keryx.networks.models import AccountStatus
from keryx.notifications.models import Notification
from keryx.publishing.domain.pipeline import _claim, variant_publish_due
from keryx.publishing.domain.reconcile import variant_reconcile
from keryx.publishing.enums import Outcome, Waiting
from keryx.publishing.models import AccountGate, Attempt, ConcurrencyLease, Dispatch
from tests.publishing.factories import due_variant, make_account, make_post, make_variant

pytestmark = pytest.mark.django_db
S = VariantStatus


def _publish(variant: Variant) -> str:
    return variant_publish_due(variant_id=variant.pk, worker="test-worker")


def _make_due_for_check(variant: Variant) -> None:
    Dispatch.objects.filter(pk=variant.pk).update(
        reconcile_at=timezone.now() - dt.timedelta(seconds=1)
    )


def test_due_variant_is_published_once_and_recorded(seminar, user, account, testnet) -> None:
    variant = due_variant(seminar, user, account, text="Ξεκινάμε στις 10:00 #Σεμινάριο2026")
    assert _publish(variant) == "published"
    assert _publish(variant) == "not_due"

    variant.refresh_from_db()
    posts = testnet.posts()
    assert [p["text"] for p in posts] == ["Ξεκινάμε στις 10:00 #Σεμινάριο2026"]
    assert variant.status == S.PUBLISHED
    assert variant.remote_id == posts[0]["id"]
    assert variant.remote_url == posts[0]["url"]
    assert posts[0]["idempotency_key"] == f"keryx-v{variant.pk}-g1"
    attempt = Attempt.objects.get(variant=variant)
    assert (attempt.outcome, attempt.number, attempt.worker) == (
        Outcome.PUBLISHED,
        1,
        "test-worker",
    )
    assert attempt.sent_at is not None and attempt.finished_at is not None
    assert Dispatch.objects.get(pk=variant.pk).claim_token is None


def test_variant_not_due_yet_or_not_scheduled_is_left_alone(
    seminar, user, account, testnet
) -> None:
    later = make_variant(
        make_post(seminar, user),
        account,
        status=S.SCHEDULED,
        scheduled_at=timezone.now() + dt.timedelta(minutes=5),
    )
    approved = make_variant(make_post(seminar, user), account, status=S.APPROVED)
    assert _publish(later) == "not_due"
    assert _publish(approved) == "not_due"
    assert testnet.stats()["create_requests"] == 0


def test_unavailable_network_is_retried_with_backoff_then_fails(
    seminar, user, account, testnet, settings
) -> None:
    settings.KERYX_PUBLISHING = {
        **settings.KERYX_PUBLISHING,
        "MAX_TRIES": 2,
        "RETRY_BASE_SECONDS": 30,
    }
    testnet.configure(fail_percent=100)
    variant = due_variant(seminar, user, account)

    assert _publish(variant) == "retry"
    variant.refresh_from_db()
    dispatch = Dispatch.objects.get(pk=variant.pk)
    assert variant.status == S.SCHEDULED
    assert dispatch.waiting == Waiting.RETRY
    wait = (dispatch.next_try_at - timezone.now()).total_seconds()
    assert 20 < wait < 37  # 30 s ± 20 % jitter
    assert _publish(variant) == "not_yet"

    Dispatch.objects.filter(pk=variant.pk).update(next_try_at=timezone.now())
    assert _publish(variant) == "failed"
    variant.refresh_from_db()
    assert variant.status == S.FAILED
    assert variant.error_code == "unavailable"
    assert "unavailable on 2 tries; nothing was published" in variant.error_message
    assert testnet.stats()["stored"] == 0
    assert list(Attempt.objects.filter(variant=variant).values_list("outcome", flat=True)) == [
        Outcome.RETRY,
        Outcome.RETRY,
    ]


def test_rate_limited_waits_for_retry_after_and_holds_the_account(
    seminar, user, account, testnet
) -> None:
    testnet.configure(rate_limit_percent=100, retry_after=40)
    variant = due_variant(seminar, user, account)
    other = due_variant(seminar, user, account, text="Δεύτερο")

    assert _publish(variant) == "rate_limited"
    gate = AccountGate.objects.get(pk=account.pk)
    assert 38 < (gate.cooldown_until - timezone.now()).total_seconds() <= 40
    dispatch = Dispatch.objects.get(pk=variant.pk)
    assert (dispatch.waiting, dispatch.rate_limited) == (Waiting.COOLDOWN, 1)
    # The other post of the account does not even ask the network while it cools down.
    assert _publish(other) == "waiting:cooldown"
    assert testnet.stats()["create_requests"] == 1


def test_rejected_post_fails_with_the_networks_reason_and_notifies(
    seminar, user, account, testnet
) -> None:
    variant = due_variant(seminar, user, account, text="Κάτι #reject")
    assert _publish(variant) == "rejected"
    variant.refresh_from_db()
    assert variant.status == S.FAILED
    assert (
        variant.error_message == "Test network refused the post: Posts may not contain “#reject”."
    )
    note = Notification.objects.get(kind="publish.failed", recipient=user)
    assert note.url.endswith(f"variant={variant.pk}")
    assert "Posts may not contain" in note.body


def test_expired_access_flags_the_account_and_notifies_once(
    seminar, user, workspace, testnet
) -> None:
    account = make_account(workspace, base_url=testnet.url, name="expired-token")
    first = due_variant(seminar, user, account)
    second = due_variant(seminar, user, account, text="Δεύτερο")

    assert _publish(first) == "auth_expired"
    account.refresh_from_db()
    assert account.status == AccountStatus.RECONNECT_NEEDED
    assert _publish(second) == "waiting:reconnect"
    first.refresh_from_db()
    assert first.status == S.SCHEDULED
    assert Dispatch.objects.get(pk=first.pk).waiting == Waiting.RECONNECT
    # The networks app's notification, once, to owners and managers.
    assert Notification.objects.filter(kind="network_account.reconnect_needed").count() == 1


def test_timeout_after_accepting_becomes_unconfirmed_and_the_reconciler_finds_it(
    seminar, user, account, testnet
) -> None:
    testnet.configure(timeout_percent=100, hang_seconds=1.5)
    variant = due_variant(seminar, user, account)

    assert _publish(variant) == "unconfirmed"
    variant.refresh_from_db()
    assert variant.status == S.UNCONFIRMED
    assert testnet.stats()["stored"] == 1

    assert variant_reconcile(variant_id=variant.pk) == "not_due"  # waits the grace period
    _make_due_for_check(variant)
    assert variant_reconcile(variant_id=variant.pk) == "found"
    variant.refresh_from_db()
    assert variant.status == S.PUBLISHED
    assert variant.remote_id == testnet.posts()[0]["id"]
    assert testnet.stats()["stored"] == 1
    assert list(
        Attempt.objects.filter(variant=variant).order_by("id").values_list("outcome", flat=True)
    ) == [
        Outcome.UNCONFIRMED,
        Outcome.FOUND,
    ]


def test_absent_unconfirmed_post_is_sent_again_with_the_same_key(
    seminar, user, account, testnet, django_capture_on_commit_callbacks
) -> None:
    testnet.configure(fail_percent=100, fail_status=500)  # ambiguous, and nothing stored
    variant = due_variant(seminar, user, account)
    assert _publish(variant) == "unconfirmed"
    testnet.configure(fail_percent=0)
    _make_due_for_check(variant)

    with django_capture_on_commit_callbacks(execute=True):
        assert variant_reconcile(variant_id=variant.pk) == "resent"  # runs the publish task
    variant.refresh_from_db()
    assert variant.status == S.PUBLISHED
    posts = testnet.posts()
    assert len(posts) == 1 and posts[0]["idempotency_key"] == f"keryx-v{variant.pk}-g1"


def test_absent_post_fails_when_the_network_cannot_deduplicate(
    seminar, user, account, testnet, settings
) -> None:
    settings.KERYX_PUBLISHING = {
        **settings.KERYX_PUBLISHING,
        "LIMITS": {"testnet": {"idempotency": False}},
    }
    testnet.configure(fail_percent=100, fail_status=500)
    variant = due_variant(seminar, user, account)
    assert _publish(variant) == "unconfirmed"
    _make_due_for_check(variant)
    assert variant_reconcile(variant_id=variant.pk) == "absent"
    variant.refresh_from_db()
    assert (variant.status, variant.error_code) == (S.FAILED, "not_found")
    assert testnet.stats()["create_requests"] == 1


def test_quota_makes_the_next_post_wait_until_the_window_frees(
    seminar, user, account, testnet, settings
) -> None:
    settings.KERYX_PUBLISHING = {
        **settings.KERYX_PUBLISHING,
        "LIMITS": {"testnet": {"quota": 2, "quota_window_hours": 24}},
    }
    first, second, third = (due_variant(seminar, user, account, text=f"#{n}") for n in range(3))
    assert _publish(first) == "published"
    assert _publish(second) == "published"
    assert _publish(third) == "waiting:quota"
    first.refresh_from_db()
    dispatch = Dispatch.objects.get(pk=third.pk)
    assert dispatch.waiting == Waiting.QUOTA
    assert dispatch.next_try_at == first.published_at + dt.timedelta(hours=24)
    assert testnet.stats()["stored"] == 2


def test_concurrency_cap_makes_a_post_wait_for_a_free_slot(
    seminar, user, account, testnet, settings
) -> None:
    settings.KERYX_PUBLISHING = {
        **settings.KERYX_PUBLISHING,
        "LIMITS": {"testnet": {"concurrency": 1}},
    }
    ConcurrencyLease.objects.create(
        network="testnet", slot=0, holder=uuid.uuid4(), acquired_at=timezone.now()
    )
    variant = due_variant(seminar, user, account)
    assert _publish(variant) == "waiting:concurrency"
    ConcurrencyLease.objects.update(holder=None, acquired_at=None)
    Dispatch.objects.filter(pk=variant.pk).update(next_try_at=None)
    assert _publish(variant) == "published"
    assert ConcurrencyLease.objects.get().holder is None


def test_credentials_are_refreshed_before_they_expire(seminar, user, account, testnet) -> None:
    account.token_expires_at = timezone.now() + dt.timedelta(minutes=2)
    account.save()
    variant = due_variant(seminar, user, account)
    assert _publish(variant) == "published"
    account.refresh_from_db()
    assert account.credentials["access_token"].startswith("acct:")
    assert account.token_expires_at > timezone.now() + dt.timedelta(minutes=59)


def test_a_post_due_long_ago_is_not_published_late(seminar, user, account, testnet) -> None:
    variant = due_variant(seminar, user, account, ago=dt.timedelta(hours=7))
    assert _publish(variant) == "too_late"
    variant.refresh_from_db()
    assert variant.status == S.FAILED
    assert variant.error_message.startswith("It was due 7 hours ago")
    assert testnet.stats()["create_requests"] == 0


def test_a_claimed_variant_cannot_be_claimed_again(seminar, user, account, testnet) -> None:
    variant = due_variant(seminar, user, account)
    claim = _claim(variant_id=variant.pk, worker="a", now=timezone.now())
    assert not isinstance(claim, str)
    assert _claim(variant_id=variant.pk, worker="b", now=timezone.now()) == "not_due"
    variant.refresh_from_db()
    assert variant.status == S.PUBLISHING


def test_an_unconfirmed_post_the_network_cannot_be_asked_about_notifies_after_three_checks(
    seminar, user, account, testnet
) -> None:
    testnet.configure(timeout_percent=100, hang_seconds=1.5)
    variant = due_variant(seminar, user, account)
    assert _publish(variant) == "unconfirmed"
    type(account).objects.filter(pk=account.pk).update(
        base_url="http://127.0.0.1:9"
    )  # nobody there
    for check in range(3):
        _make_due_for_check(variant)
        assert variant_reconcile(variant_id=variant.pk) == "unknown"
        assert Notification.objects.filter(kind="publish.unconfirmed").count() == (
            1 if check == 2 else 0
        )
    dispatch = Dispatch.objects.get(pk=variant.pk)
    assert dispatch.reconcile_checks == 3 and dispatch.reconcile_at > timezone.now()
    note = Notification.objects.get(kind="publish.unconfirmed")
    # In the workspace's language (Greek here), since the owner chose none.
    assert "δεν θα τη στείλει δύο φορές" in note.body and note.url.endswith(f"variant={variant.pk}")
    variant.refresh_from_db()
    assert variant.status == S.UNCONFIRMED


def test_the_variants_media_go_to_the_network_in_order_with_their_alt_text(
    seminar, user, workspace, account, testnet, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.base import ContentFile

    from keryx.content.models import MediaItem, VariantMedia

    settings.MEDIA_ROOT = str(tmp_path)
    variant = due_variant(seminar, user, account, text="Με εικόνες")
    for position, name in enumerate(["afisa.png", "omilitis.jpg"]):
        item = MediaItem(
            workspace=workspace, name=name, kind="image", mime="image/png", bytes=3, sha256=name
        )
        item.file.save(name, ContentFile(b"png"), save=False)
        item.save()
        VariantMedia.objects.create(
            variant=variant, media=item, position=1 - position, alt_text=f"Περιγραφή {name}"
        )
    assert _publish(variant) == "published"
    assert testnet.posts()[0]["media"] == ["omilitis.jpg", "afisa.png"]


def test_the_test_networks_health_check_reads_with_the_token(workspace, testnet) -> None:  # type: ignore[no-untyped-def]
    from keryx.core.http import AuthExpired
    from keryx.networks.base import AccountState
    from keryx.networks.testnet.connector import TestNetConnector

    good = TestNetConnector(
        AccountState(
            network="testnet",
            remote_id="t-1",
            handle="@keryx",
            base_url=testnet.url,
            credentials={"access_token": "keryx"},
        )
    )
    assert (good.verify().remote_id, good.verify().handle) == ("t-1", "@keryx")
    expired = TestNetConnector(
        AccountState(
            network="testnet", base_url=testnet.url, credentials={"access_token": "expired-1"}
        )
    )
    with pytest.raises(AuthExpired):
        expired.verify()
