"""Seminar-relative times that follow the seminar, and recurring posts within quotas."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.content.enums import VariantStatus
from keryx.content.models import Post, Variant
from keryx.core.errors import ValidationFailed
from keryx.publishing.domain import recurrence, relative
from keryx.publishing.models import Occurrence, ScheduleShift
from keryx.seminars.domain.seminars import SeminarData, seminar_update
from tests.factories import make_seminar
from tests.publishing.factories import make_account, make_post, make_variant

pytestmark = pytest.mark.django_db
S = VariantStatus
ATHENS = zoneinfo.ZoneInfo("Europe/Athens")


def _access(user, workspace):  # type: ignore[no-untyped-def]
    return workspace_access(user, workspace, Perm.PUBLISH_SCHEDULE)


def _upcoming(workspace, user, days: int = 40):  # type: ignore[no-untyped-def]
    day = (timezone.now() + dt.timedelta(days=days)).astimezone(ATHENS).date()
    return make_seminar(
        workspace,
        user,
        starts_at=dt.datetime.combine(day, dt.time(9, 30), tzinfo=ATHENS),
        ends_at=dt.datetime.combine(day, dt.time(17, 0), tzinfo=ATHENS),
    )


def test_seven_days_before_the_start_at_ten_in_the_seminars_zone(user, workspace) -> None:
    seminar = _upcoming(workspace, user)
    account = make_account(workspace, network="mastodon")
    post = make_post(seminar, user)
    variant = make_variant(post, account)
    relative.relative_set(
        access=_access(user, workspace),
        post_id=post.pk,
        anchor="start",
        direction="before",
        amount=7,
        unit="days",
        at_time=dt.time(10, 0),
    )
    variant.refresh_from_db()
    expected = dt.datetime.combine(
        seminar.starts_at.astimezone(ATHENS).date() - dt.timedelta(days=7),
        dt.time(10),
        tzinfo=ATHENS,
    )
    assert variant.status == S.SCHEDULED
    assert variant.scheduled_at == expected


def test_when_the_seminar_moves_its_relative_posts_move_and_people_see_it(
    user, workspace, django_capture_on_commit_callbacks
) -> None:
    seminar = _upcoming(workspace, user)
    account = make_account(workspace, network="mastodon")
    before = make_post(seminar, user, text="Μία εβδομάδα πριν")
    after = make_post(seminar, user, text="Ευχαριστούμε")
    v_before, v_after = make_variant(before, account), make_variant(after, account)
    access = _access(user, workspace)
    relative.relative_set(
        access=access,
        post_id=before.pk,
        anchor="start",
        direction="before",
        amount=7,
        unit="days",
        at_time=dt.time(10),
    )
    relative.relative_set(
        access=access, post_id=after.pk, anchor="end", direction="after", amount=1, unit="hours"
    )
    old_before = Variant.objects.get(pk=v_before.pk).scheduled_at

    edit = workspace_access(user, workspace, Perm.SEMINAR_EDIT)
    with django_capture_on_commit_callbacks(execute=True):
        seminar_update(
            access=edit,
            seminar=seminar,
            data=SeminarData(
                fields={
                    "starts_at": seminar.starts_at + dt.timedelta(days=14),
                    "ends_at": seminar.ends_at + dt.timedelta(days=14),
                }
            ),
        )
    v_before.refresh_from_db()
    v_after.refresh_from_db()
    assert v_before.scheduled_at == old_before + dt.timedelta(days=14)
    assert v_after.scheduled_at == seminar.ends_at + dt.timedelta(days=14, hours=1)
    shifts = ScheduleShift.objects.filter(seminar=seminar).order_by("new_at")
    assert [(s.variant_id, s.old_at, s.unscheduled) for s in shifts] == [
        (v_before.pk, old_before, False),
        (v_after.pk, seminar.ends_at + dt.timedelta(hours=1), False),
    ]
    # Running the follower again changes nothing.
    assert relative.relative_times_follow() == []


def test_a_relative_post_whose_new_time_has_passed_is_taken_off_the_schedule(
    user, workspace, django_capture_on_commit_callbacks
) -> None:
    seminar = _upcoming(workspace, user, days=10)
    account = make_account(workspace, network="mastodon")
    post = make_post(seminar, user)
    variant = make_variant(post, account)
    relative.relative_set(
        access=_access(user, workspace),
        post_id=post.pk,
        anchor="start",
        direction="before",
        amount=7,
        unit="days",
        at_time=dt.time(10),
    )
    edit = workspace_access(user, workspace, Perm.SEMINAR_EDIT)
    with django_capture_on_commit_callbacks(execute=True):
        seminar_update(
            access=edit,
            seminar=seminar,
            data=SeminarData(
                fields={
                    "starts_at": seminar.starts_at - dt.timedelta(days=8),
                    "ends_at": seminar.ends_at - dt.timedelta(days=8),
                }
            ),
        )
    variant.refresh_from_db()
    assert (variant.status, variant.scheduled_at) == (S.APPROVED, None)
    assert ScheduleShift.objects.get(variant=variant).unscheduled is True


def test_relative_time_that_has_passed_or_has_a_time_with_hours_is_refused(user, workspace) -> None:
    seminar = _upcoming(workspace, user, days=3)
    post = make_post(seminar, user)
    make_variant(post, make_account(workspace, network="mastodon"))
    with pytest.raises(ValidationFailed) as caught:
        relative.relative_set(
            access=_access(user, workspace),
            post_id=post.pk,
            anchor="start",
            direction="before",
            amount=7,
            unit="days",
        )
    assert caught.value.fields == {
        "amount": ["That moment has already passed for this seminar. Choose a later one."]
    }
    with pytest.raises(ValidationFailed) as caught:
        relative.relative_set(
            access=_access(user, workspace),
            post_id=post.pk,
            anchor="end",
            direction="after",
            amount=2,
            unit="hours",
            at_time=dt.time(9),
        )
    assert list(caught.value.fields) == ["at_time"]


def _scheduled_post(seminar, user, account, when):  # type: ignore[no-untyped-def]
    post = make_post(seminar, user, text="Κάθε εβδομάδα")
    make_variant(post, account, status=S.SCHEDULED, scheduled_at=when)
    return post


def test_weekly_repetitions_until_a_date_keep_the_local_time_across_the_clock_change(
    seminar, user, workspace
) -> None:
    account = make_account(workspace, network="mastodon")
    first = dt.datetime(2027, 10, 12, 10, 0, tzinfo=ATHENS)  # summer time ends on 31 October 2027
    post = _scheduled_post(seminar, user, account, first)
    with time_machine.travel(dt.datetime(2027, 10, 1, 9, 0, tzinfo=dt.UTC)):
        rule = recurrence.recurrence_set(
            access=_access(user, workspace),
            post_id=post.pk,
            every=1,
            unit="week",
            until=(first + dt.timedelta(days=21)).date(),
        )
    copies = Post.objects.filter(
        pk__in=Occurrence.objects.filter(recurrence=rule, index__gt=0).values("post_id")
    )
    times = sorted(Variant.objects.filter(post__in=copies).values_list("scheduled_at", flat=True))
    assert [t.astimezone(ATHENS).replace(tzinfo=None) for t in times] == [
        (first + dt.timedelta(days=7 * n)).replace(tzinfo=None) for n in (1, 2, 3)
    ]
    assert (
        len({t.utcoffset() for t in [x.astimezone(ATHENS) for x in times]}) == 2
    )  # summer and winter time
    assert set(Variant.objects.filter(post__in=copies).values_list("status", flat=True)) == {
        S.SCHEDULED
    }

    with time_machine.travel(dt.datetime(2027, 10, 1, 9, 0, tzinfo=dt.UTC)):
        removed = recurrence.recurrence_stop(access=_access(user, workspace), post_id=post.pk)
    assert removed == 3
    assert not Post.objects.filter(pk__in=[c.pk for c in copies]).exists()


def test_a_repetition_with_no_end_that_would_exceed_the_quota_is_refused(
    seminar, user, workspace
) -> None:
    account = make_account(workspace, network="instagram", name="ig")
    start = (timezone.now() + dt.timedelta(days=2)).replace(microsecond=0)
    busy_day = start + dt.timedelta(days=10)
    # A campaign day already uses 50 posts (Instagram allows 50 per 24 hours).
    for n in range(50):
        make_variant(
            make_post(seminar, user, text=f"#{n}"),
            account,
            status=S.SCHEDULED,
            scheduled_at=busy_day + dt.timedelta(minutes=5 * n),
        )
    post = _scheduled_post(seminar, user, account, start)
    with pytest.raises(ValidationFailed) as caught:
        recurrence.recurrence_set(
            access=_access(user, workspace), post_id=post.pk, every=1, unit="day", until=None
        )
    message = caught.value.fields["until"][0]
    assert message.startswith(
        "This repetition has no end date. This would make 51 posts within 24 hours on @ig around "
    )
    assert message.endswith(
        "and Instagram allows 50. Spread the posts out, give the repetition an end date, or choose another account."
    )
    assert not Occurrence.objects.exists()
    # Ending the repetition before the busy day is fine.
    rule = recurrence.recurrence_set(
        access=_access(user, workspace),
        post_id=post.pk,
        every=1,
        unit="day",
        # The end date is a day in the seminar's zone (at 23:00 UTC it is already tomorrow there).
        until=(
            start.astimezone(zoneinfo.ZoneInfo(seminar.time_zone)) + dt.timedelta(days=5)
        ).date(),
    )
    assert rule.occurrences.count() == 6


def test_repeating_a_post_that_is_not_scheduled_is_refused(seminar, user, workspace) -> None:
    post = make_post(seminar, user)
    make_variant(post, make_account(workspace, network="mastodon"))
    with pytest.raises(ValidationFailed) as caught:
        recurrence.recurrence_set(
            access=_access(user, workspace), post_id=post.pk, every=1, unit="week", until=None
        )
    assert caught.value.fields == {
        "__all__": ["Schedule the post first: it repeats from its first scheduled time."]
    }


def test_each_repetition_gets_its_own_tracked_link(seminar, user, workspace, settings) -> None:  # type: ignore[no-untyped-def]
    from keryx.content.signals import variant_text_saved

    settings.KERYX_BASE_URL = "https://keryx.example"
    account = make_account(workspace, network="mastodon")
    first = timezone.now() + dt.timedelta(days=2)
    post = make_post(seminar, user, text="Δηλώσεις: https://seminar.example/smm")
    variant = make_variant(post, account, status=S.SCHEDULED, scheduled_at=first)
    variant_text_saved.send(sender=Variant, variant=variant)
    variant.refresh_from_db()
    assert variant.text.startswith("Δηλώσεις: https://keryx.example/r/")
    rule = recurrence.recurrence_set(
        access=_access(user, workspace), post_id=post.pk, every=1, unit="week", until=None
    )
    copies = Variant.objects.filter(
        post__in=Occurrence.objects.filter(recurrence=rule, index__gt=0).values("post_id")
    )
    assert copies.count() >= 2
    texts = [variant.text, *copies.values_list("text", flat=True)]
    assert len(set(texts)) == len(texts)  # a code per repetition
    assert all(t.startswith("Δηλώσεις: https://keryx.example/r/") for t in texts)
    assert set(copies.values_list("source_text", flat=True)) == {post.master_text}
