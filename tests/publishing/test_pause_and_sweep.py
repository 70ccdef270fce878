"""The emergency pause (checked at the moment of publishing) and the periodic sweep."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.content.enums import VariantStatus
from keryx.core.errors import Conflict, Forbidden, ValidationFailed
from keryx.publishing.domain import pause, schedule
from keryx.publishing.domain.pipeline import _claim, variant_publish_due
from keryx.publishing.domain.sweep import publishing_sweep
from keryx.publishing.enums import Outcome
from keryx.publishing.models import Attempt, Dispatch
from keryx.publishing.queries import held_in
from tests.factories import make_seminar
from tests.publishing.factories import due_variant, make_account, make_post, make_variant

pytestmark = pytest.mark.django_db
S = VariantStatus


def _publish(variant) -> str:  # type: ignore[no-untyped-def]
    return variant_publish_due(variant_id=variant.pk, worker="w")


def test_pause_holds_a_post_that_was_already_queued_and_resume_leaves_the_choice(
    seminar, user, workspace, account, testnet, django_capture_on_commit_callbacks
) -> None:
    access = workspace_access(user, workspace, Perm.PUBLISH_PAUSE)
    variant = due_variant(seminar, user, account, text="Πριν την παύση μπήκε στην ουρά")
    # The message is already on the queue when someone pauses: the worker still must not send.
    item = pause.pause_start(access=access, reason="  Θλιβερά   νέα ")
    assert item.reason == "Θλιβερά νέα"
    assert _publish(variant) == "held"
    assert testnet.stats()["create_requests"] == 0
    variant.refresh_from_db()
    dispatch = Dispatch.objects.get(pk=variant.pk)
    assert variant.status == S.SCHEDULED
    assert dispatch.held_by == item
    attempt = Attempt.objects.get(variant=variant)
    assert (attempt.outcome, attempt.error_message) == (Outcome.HELD, "Θλιβερά νέα")
    assert _publish(variant) == "held"  # stays held, however often the queue delivers

    pause.pause_resume(access=access, pause_id=item.pk)
    assert list(held_in(access)) == [variant]
    assert _publish(variant) == "held"  # resuming publishes nothing by itself
    with django_capture_on_commit_callbacks(execute=True):
        schedule.held_release(access=access, variant_id=variant.pk, action="publish")
    variant.refresh_from_db()
    assert variant.status == S.PUBLISHED
    assert testnet.stats()["stored"] == 1


def test_a_seminar_pause_holds_only_that_seminars_posts(
    seminar, user, workspace, account, testnet
) -> None:
    other = make_seminar(workspace, user, title="Άλλο σεμινάριο")
    access = workspace_access(user, workspace, Perm.PUBLISH_PAUSE)
    pause.pause_start(access=access, reason="Αλλαγή ομιλητή", seminar=seminar)
    held = due_variant(seminar, user, account, text="Αυτό περιμένει")
    free = due_variant(other, user, account, text="Αυτό φεύγει")
    assert _publish(held) == "held"
    assert _publish(free) == "published"


def test_held_posts_can_be_rescheduled_or_dropped(
    seminar, user, workspace, account, testnet
) -> None:
    access = workspace_access(user, workspace, Perm.PUBLISH_PAUSE)
    item = pause.pause_start(access=access, reason="Παύση")
    later, dropped = (
        due_variant(seminar, user, account, text="α"),
        due_variant(seminar, user, account, text="β"),
    )
    _publish(later), _publish(dropped)
    pause.pause_resume(access=access, pause_id=item.pk)
    when = timezone.now() + dt.timedelta(days=1)
    schedule.held_release(access=access, variant_id=later.pk, action="reschedule", when=when)
    schedule.held_release(access=access, variant_id=dropped.pk, action="drop")
    later.refresh_from_db()
    dropped.refresh_from_db()
    assert (later.status, later.scheduled_at) == (S.SCHEDULED, when)
    assert Dispatch.objects.get(pk=later.pk).held_at is None
    assert (dropped.status, dropped.scheduled_at) == (S.APPROVED, None)
    with pytest.raises(Conflict):
        schedule.held_release(access=access, variant_id=later.pk, action="drop")


def test_pause_needs_a_reason_a_manager_and_no_second_pause_of_the_same_scope(
    user, workspace, member
) -> None:
    access = workspace_access(user, workspace, Perm.PUBLISH_PAUSE)
    with pytest.raises(ValidationFailed) as caught:
        pause.pause_start(access=access, reason=" ")
    assert caught.value.fields == {
        "reason": ["Say why publishing stops, so the team knows (e.g. “sad news”)."]
    }
    pause.pause_start(access=access, reason="Κρίση")
    with pytest.raises(Conflict) as conflict:
        pause.pause_start(access=access, reason="Πάλι")
    assert conflict.value.message.endswith(": “Κρίση”.")
    with pytest.raises(Forbidden):
        workspace_access(member("editor"), workspace, Perm.PUBLISH_PAUSE)


def test_sweep_queues_due_posts_once_and_again_only_when_the_message_seems_lost(
    seminar, user, workspace, settings
) -> None:
    settings.KERYX_PUBLISHING = {**settings.KERYX_PUBLISHING, "REDELIVER_SECONDS": 60}
    account = make_account(workspace, network="mastodon")
    due = due_variant(seminar, user, account)
    soon = make_variant(
        make_post(seminar, user),
        account,
        status=S.SCHEDULED,
        scheduled_at=timezone.now() + dt.timedelta(seconds=30),
    )
    far = make_variant(
        make_post(seminar, user),
        account,
        status=S.SCHEDULED,
        scheduled_at=timezone.now() + dt.timedelta(days=1),
    )
    report = publishing_sweep()
    assert (report.queued_due, report.queued_ahead) == (1, 1)
    assert Dispatch.objects.get(pk=soon.pk).enqueued_for == soon.scheduled_at
    assert not Dispatch.objects.filter(pk=far.pk, enqueued_for__isnull=False).exists()
    again = publishing_sweep()
    assert (again.queued_due, again.queued_ahead) == (0, 0)
    # A minute later the due post is still not claimed: its message was lost.
    later = publishing_sweep(now=timezone.now() + dt.timedelta(seconds=61))
    assert later.queued_due == 2  # the lost one, and "soon" which is now due and unclaimed too
    assert Dispatch.objects.get(pk=due.pk).enqueued_at > due.scheduled_at


def test_sweep_retries_a_claim_whose_worker_died_before_sending(
    seminar, user, workspace, account, testnet, settings
) -> None:
    settings.KERYX_PUBLISHING = {**settings.KERYX_PUBLISHING, "STUCK_AFTER_SECONDS": 10}
    variant = due_variant(seminar, user, account, ago=dt.timedelta(minutes=1))
    claim = _claim(
        variant_id=variant.pk, worker="dead", now=timezone.now() - dt.timedelta(seconds=30)
    )
    assert not isinstance(claim, str)
    report = publishing_sweep()
    assert report.retried_unsent == 1
    variant.refresh_from_db()
    assert variant.status == S.SCHEDULED
    assert Attempt.objects.get(claim_token=claim.token).outcome == Outcome.ABANDONED
    assert _publish(variant) == "published"
    assert testnet.stats()["stored"] == 1


def test_sweep_never_resends_a_claim_that_may_have_been_sent(
    seminar, user, workspace, account, testnet, settings
) -> None:
    settings.KERYX_PUBLISHING = {**settings.KERYX_PUBLISHING, "STUCK_AFTER_SECONDS": 10}
    variant = due_variant(seminar, user, account, ago=dt.timedelta(minutes=1))
    claim = _claim(
        variant_id=variant.pk, worker="dead", now=timezone.now() - dt.timedelta(seconds=30)
    )
    assert not isinstance(claim, str)
    Attempt.objects.filter(claim_token=claim.token).update(
        sent_at=timezone.now() - dt.timedelta(seconds=29)
    )
    report = publishing_sweep()
    assert report.unconfirmed_stuck == 1
    variant.refresh_from_db()
    assert variant.status == S.UNCONFIRMED
    assert Dispatch.objects.get(pk=variant.pk).reconcile_at is not None
    assert testnet.stats()["create_requests"] == 0
