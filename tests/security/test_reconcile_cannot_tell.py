"""Probe finding 1 (High): a connector that cannot be asked (webhook) must never be read as
"the post is absent". The variant stays unconfirmed, a person is asked at once, and nothing
is sent again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from keryx.content.enums import VariantStatus
from keryx.notifications.models import Notification
from keryx.publishing.domain.reconcile import variant_reconcile
from keryx.publishing.enums import Outcome
from keryx.publishing.models import Attempt, Dispatch
from tests.publishing.factories import make_account, make_post, make_variant

pytestmark = pytest.mark.django_db
S = VariantStatus


def _delivered_then_killed(seminar, user):  # type: ignore[no-untyped-def]
    """The state a `kill -9` leaves after the receiver got the request: the sweep found the
    attempt pending and made the variant unconfirmed; a check is due."""
    account = make_account(seminar.workspace, network="webhook", name="hook")
    account.credentials = {"url": "https://hooks.example.org/keryx", "secret": "s3cret"}
    account.save()
    now = timezone.now()
    variant = make_variant(
        make_post(seminar, user), account, status=S.UNCONFIRMED, scheduled_at=now
    )
    Dispatch.objects.create(
        variant=variant,
        workspace=seminar.workspace,
        idempotency_key=f"keryx-v{variant.pk}-g1",
        fingerprint="kx-0123456789abcdef0123",
        tries=1,
        first_sent_at=now - dt.timedelta(minutes=1),
        unconfirmed_at=now - dt.timedelta(seconds=30),
        reconcile_at=now - dt.timedelta(seconds=1),
    )
    return variant


def test_a_webhook_that_cannot_be_asked_stays_unconfirmed_and_asks_a_person(
    seminar, user, django_capture_on_commit_callbacks
) -> None:
    variant = _delivered_then_killed(seminar, user)

    with django_capture_on_commit_callbacks(execute=True):
        assert variant_reconcile(variant_id=variant.pk) == "cannot_tell"

    variant.refresh_from_db()
    assert (variant.status, variant.error_code) == (S.UNCONFIRMED, "")
    # Nothing sent again, nothing declared absent.
    assert not Attempt.objects.filter(variant=variant, outcome=Outcome.ABSENT).exists()
    dispatch = Dispatch.objects.get(pk=variant.pk)
    assert (dispatch.resends, dispatch.reconcile_at, dispatch.unconfirmed_notified) == (
        0,
        None,
        True,
    )
    assert Notification.objects.filter(kind="publish.failed").count() == 0
    note = Notification.objects.get(kind="publish.unconfirmed")
    assert "δεν θα τη στείλει δύο φορές" in note.body
    assert "θα τη στείλει ξανά" not in note.body
    # Asked once: a second check finds nothing due and changes nothing.
    assert variant_reconcile(variant_id=variant.pk) == "not_due"
    assert Notification.objects.filter(kind="publish.unconfirmed").count() == 1
