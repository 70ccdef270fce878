"""Scheduling by hand, the queue of posting slots, share now/next, and bad times."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.content.enums import PostStatus, VariantStatus
from keryx.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from keryx.core.models import AuditEntry
from keryx.publishing.domain import schedule, slots
from keryx.publishing.models import Dispatch, PostingSlot
from tests.factories import make_user, make_workspace
from tests.publishing.factories import make_account, make_post, make_variant

pytestmark = pytest.mark.django_db
S = VariantStatus
ATHENS = zoneinfo.ZoneInfo("Europe/Athens")


def _access(user, workspace, perm=Perm.PUBLISH_SCHEDULE):  # type: ignore[no-untyped-def]
    return workspace_access(user, workspace, perm)


def test_scheduling_a_time_in_the_past_is_refused_with_the_time_and_what_to_do(
    seminar, user, workspace
) -> None:
    account = make_account(workspace, network="mastodon")
    variant = make_variant(make_post(seminar, user), account)
    past = dt.datetime(2020, 3, 2, 10, 0, tzinfo=ATHENS)
    with pytest.raises(ValidationFailed) as caught:
        schedule.variant_schedule(access=_access(user, workspace), variant_id=variant.pk, when=past)
    message = caught.value.fields["scheduled_at"][0]
    assert message.startswith("This time has passed (")
    assert "Pick a time from now on, or use “Share now” to publish at once." in message
    variant.refresh_from_db()
    assert (variant.status, variant.scheduled_at) == (S.APPROVED, None)


def test_scheduling_sets_the_time_records_the_audit_and_queues_only_when_soon(
    seminar, user, workspace
) -> None:
    account = make_account(workspace, network="mastodon")
    far = make_variant(make_post(seminar, user), account)
    soon = make_variant(make_post(seminar, user, text="Σε λίγο"), account)
    when_far = timezone.now() + dt.timedelta(days=2)
    when_soon = timezone.now() + dt.timedelta(seconds=30)
    schedule.variant_schedule(access=_access(user, workspace), variant_id=far.pk, when=when_far)
    schedule.variant_schedule(access=_access(user, workspace), variant_id=soon.pk, when=when_soon)
    far.refresh_from_db()
    assert (far.status, far.scheduled_at) == (S.SCHEDULED, when_far)
    assert Dispatch.objects.get(pk=far.pk).enqueued_for is None  # the sweep queues it later
    assert Dispatch.objects.get(pk=soon.pk).enqueued_for == when_soon
    entry = AuditEntry.objects.filter(action="variant.schedule", object_id=str(far.pk)).get()
    assert entry.changes["status"] == ["approved", "scheduled"]


def test_only_approved_posts_can_be_scheduled(seminar, user, workspace) -> None:
    account = make_account(workspace, network="mastodon")
    draft = make_variant(make_post(seminar, user, status=PostStatus.DRAFT), account, status=S.DRAFT)
    with pytest.raises(Conflict) as caught:
        schedule.variant_schedule(
            access=_access(user, workspace),
            variant_id=draft.pk,
            when=timezone.now() + dt.timedelta(days=1),
        )
    assert caught.value.message == "Only approved posts can be scheduled; this one is “Draft”."


def test_scheduling_is_refused_for_viewers_and_other_workspaces(
    seminar, user, workspace, member
) -> None:
    account = make_account(workspace, network="mastodon")
    variant = make_variant(make_post(seminar, user), account)
    viewer = member("viewer")
    with pytest.raises(Forbidden):
        schedule.variant_schedule(
            access=workspace_access(viewer, workspace),
            variant_id=variant.pk,
            when=timezone.now() + dt.timedelta(days=1),
        )
    stranger = make_user("stranger@example.org")
    other = make_workspace(stranger, "Άλλοι")
    with pytest.raises(NotFound):
        schedule.variant_schedule(
            access=_access(stranger, other),
            variant_id=variant.pk,
            when=timezone.now() + dt.timedelta(days=1),
        )


def test_scheduling_over_the_network_quota_is_refused(seminar, user, workspace, settings) -> None:
    settings.KERYX_PUBLISHING = {**settings.KERYX_PUBLISHING, "LIMITS": {"instagram": {"quota": 2}}}
    account = make_account(workspace, network="instagram", name="ig")
    base = timezone.now() + dt.timedelta(days=3)
    for hour in (1, 2):
        make_variant(
            make_post(seminar, user),
            account,
            status=S.SCHEDULED,
            scheduled_at=base + dt.timedelta(hours=hour),
        )
    third = make_variant(make_post(seminar, user, text="Τρίτο"), account)
    with pytest.raises(ValidationFailed) as caught:
        schedule.variant_schedule(
            access=_access(user, workspace), variant_id=third.pk, when=base + dt.timedelta(hours=5)
        )
    message = caught.value.fields["scheduled_at"][0]
    assert message.startswith("This would make 3 posts within 24 hours on @ig around ")
    assert message.endswith(
        "and Instagram allows 2. Spread the posts out, give the repetition an end date, or choose another account."
    )
    schedule.variant_schedule(
        access=_access(user, workspace), variant_id=third.pk, when=base + dt.timedelta(hours=30)
    )


def _slots(workspace, account, *times: tuple[int, int]):  # type: ignore[no-untyped-def]
    for weekday, hour in times:
        PostingSlot.objects.create(
            workspace=workspace,
            account=account,
            weekday=weekday,
            local_time=dt.time(hour, 0),
            time_zone="Europe/Athens",
        )


def test_add_to_queue_takes_the_next_free_slot_and_share_next_moves_the_queue_back(
    seminar, user, workspace
) -> None:
    account = make_account(workspace, network="mastodon")
    _slots(workspace, account, *[(day, 10) for day in range(7)])
    access = _access(user, workspace)
    first, second, urgent = (
        make_variant(make_post(seminar, user, text=t), account) for t in ("Α", "Β", "Επείγον")
    )
    schedule.variant_add_to_queue(access=access, variant_id=first.pk)
    schedule.variant_add_to_queue(access=access, variant_id=second.pk)
    free = slots.free_slots(account, count=3, exclude=[first.pk, second.pk])
    first.refresh_from_db()
    second.refresh_from_db()
    assert [first.scheduled_at, second.scheduled_at] == free[:2]
    assert first.scheduled_at.astimezone(ATHENS).time() == dt.time(10, 0)

    schedule.variant_share_next(access=access, variant_id=urgent.pk)
    for v in (first, second, urgent):
        v.refresh_from_db()
    assert [urgent.scheduled_at, first.scheduled_at, second.scheduled_at] == free


def test_add_to_queue_without_slots_says_how_to_fix_it(seminar, user, workspace) -> None:
    account = make_account(workspace, network="mastodon")
    variant = make_variant(make_post(seminar, user), account)
    with pytest.raises(ValidationFailed) as caught:
        schedule.variant_add_to_queue(access=_access(user, workspace), variant_id=variant.pk)
    assert caught.value.fields == {
        "slots": ["Add weekly posting slots for the account (Calendar → Posting slots) first."]
    }


def test_slots_replace_validates_and_keeps_nothing_half_saved(user, workspace) -> None:
    account = make_account(workspace, network="mastodon")
    _slots(workspace, account, (0, 9))
    with pytest.raises(ValidationFailed) as caught:
        slots.slots_replace(
            access=_access(user, workspace),
            account=account,
            time_zone="Mars/Olympus",
            slots=[(1, dt.time(9)), (1, dt.time(9)), (8, dt.time(10))],
        )
    assert set(caught.value.fields) == {"time_zone", "slots[1].time", "slots[2].weekday"}
    assert list(account.posting_slots.values_list("weekday", flat=True)) == [0]


def test_share_now_publishes_at_once(
    seminar, user, workspace, account, testnet, django_capture_on_commit_callbacks
) -> None:
    variant = make_variant(make_post(seminar, user, text="Τώρα!"), account)
    with django_capture_on_commit_callbacks(execute=True):
        schedule.variant_share_now(access=_access(user, workspace), variant_id=variant.pk)
    variant.refresh_from_db()
    assert variant.status == S.PUBLISHED
    assert [p["text"] for p in testnet.posts()] == ["Τώρα!"]


def test_a_failed_variant_published_again_gets_a_new_idempotency_key(
    seminar, user, workspace, account, testnet, django_capture_on_commit_callbacks
) -> None:
    variant = make_variant(make_post(seminar, user, text="Ξανά"), account)
    testnet.configure(fail_percent=100)
    with django_capture_on_commit_callbacks(execute=True):
        schedule.variant_share_now(access=_access(user, workspace), variant_id=variant.pk)
    Variant = type(variant)
    Variant.objects.filter(pk=variant.pk).update(status=S.FAILED)
    testnet.configure(fail_percent=0)
    with django_capture_on_commit_callbacks(execute=True):
        schedule.variant_share_now(access=_access(user, workspace), variant_id=variant.pk)
    assert [p["idempotency_key"] for p in testnet.posts()] == [f"keryx-v{variant.pk}-g2"]


def test_unschedule_keeps_the_post_approved(seminar, user, workspace) -> None:
    account = make_account(workspace, network="mastodon")
    variant = make_variant(
        make_post(seminar, user),
        account,
        status=S.SCHEDULED,
        scheduled_at=timezone.now() + dt.timedelta(days=1),
    )
    schedule.variant_unschedule(access=_access(user, workspace), variant_id=variant.pk)
    variant.refresh_from_db()
    assert (variant.status, variant.scheduled_at) == (S.APPROVED, None)
    with pytest.raises(Conflict):
        schedule.variant_unschedule(access=_access(user, workspace), variant_id=variant.pk)
