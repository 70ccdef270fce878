"""Seminar-relative times: "7 days before the start at 10:00", "1 hour after the end".

The post keeps its rule; when the seminar moves, its scheduled variants move with it and a
:class:`ScheduleShift` row tells the calendar what moved (a time that has passed by then is
taken off the schedule rather than published late).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.content.enums import VariantStatus
from keryx.content.models import Post, Variant
from keryx.core.domain.audit import audit_record
from keryx.core.errors import ValidationFailed
from keryx.publishing.domain.schedule import _check_quota, _check_schedulable, set_schedule
from keryx.publishing.enums import Anchor, Direction, OffsetUnit
from keryx.publishing.models import Dispatch, RelativeTime, ScheduleShift
from keryx.seminars.models import Seminar

S = VariantStatus
MAX_AMOUNT = {"minutes": 60 * 24 * 7, "hours": 24 * 90, "days": 365, "weeks": 52}


def relative_when(
    seminar: Seminar,
    *,
    anchor: str,
    direction: str,
    amount: int,
    unit: str,
    at_time: dt.time | None,
) -> dt.datetime:
    """The moment the rule names, for the seminar's current dates."""
    base = seminar.starts_at if anchor == Anchor.START else seminar.ends_at
    sign = -1 if direction == Direction.BEFORE else 1
    zone = zoneinfo.ZoneInfo(seminar.time_zone)
    if unit in (OffsetUnit.DAYS, OffsetUnit.WEEKS) and at_time is not None:
        days = amount * (7 if unit == OffsetUnit.WEEKS else 1)
        day = base.astimezone(zone).date() + dt.timedelta(days=sign * days)
        return dt.datetime.combine(day, at_time, tzinfo=zone).astimezone(dt.UTC)
    step = {
        OffsetUnit.MINUTES: dt.timedelta(minutes=1),
        OffsetUnit.HOURS: dt.timedelta(hours=1),
        OffsetUnit.DAYS: dt.timedelta(days=1),
        OffsetUnit.WEEKS: dt.timedelta(weeks=1),
    }[OffsetUnit(unit)]
    return base + sign * amount * step


def _validate(anchor: str, direction: str, amount: int, unit: str, at_time: dt.time | None) -> None:
    fields: dict[str, list[str]] = {}
    if anchor not in Anchor.values:
        fields["anchor"] = [_("Choose the start or the end of the seminar.")]
    if direction not in Direction.values:
        fields["direction"] = [_("Choose before or after.")]
    if unit not in OffsetUnit.values:
        fields["unit"] = [_("Choose minutes, hours, days or weeks.")]
    elif not 0 <= amount <= MAX_AMOUNT[unit]:
        fields["amount"] = [_("Give a number from 0 to %(n)d.") % {"n": MAX_AMOUNT[unit]}]
    if at_time is not None and unit not in (OffsetUnit.DAYS, OffsetUnit.WEEKS):
        fields["at_time"] = [
            _("A time of day goes with days or weeks, e.g. “7 days before at 10:00”.")
        ]
    if fields:
        raise ValidationFailed(fields=fields)


@transaction.atomic
def relative_set(
    *,
    access: Access,
    post_id: int,
    anchor: str,
    direction: str,
    amount: int,
    unit: str,
    at_time: dt.time | None = None,
) -> RelativeTime:
    """Time every variant of the post from its seminar's dates, and keep following them."""
    access.require(Perm.PUBLISH_SCHEDULE)
    _validate(anchor, direction, amount, unit, at_time)
    post = (
        Post.objects.select_related("seminar")
        .filter(pk=post_id, workspace=access.workspace)
        .first()
    )
    if post is None:
        from keryx.core.errors import NotFound

        raise NotFound()
    seminar = post.seminar
    when = relative_when(
        seminar, anchor=anchor, direction=direction, amount=amount, unit=unit, at_time=at_time
    )
    now = timezone.now()
    if when < now:
        raise ValidationFailed(
            fields={
                "amount": [
                    _("That moment has already passed for this seminar. Choose a later one.")
                ]
            }
        )
    variants = list(
        Variant.objects.select_for_update(of=("self",))
        .select_related("post", "post__seminar", "account")
        .filter(post=post, status__in=[S.APPROVED, S.SCHEDULED, S.FAILED])
    )
    if not variants:
        raise ValidationFailed(
            fields={"__all__": [_("The post has no approved network versions to schedule yet.")]}
        )
    for variant in variants:
        _check_schedulable(variant)
        _check_quota(variant, [when])
    rule, _created = RelativeTime.objects.update_or_create(
        post=post,
        defaults={
            "workspace": access.workspace,
            "anchor": anchor,
            "direction": direction,
            "amount": amount,
            "unit": unit,
            "at_time": at_time,
            "anchor_at": seminar.starts_at if anchor == Anchor.START else seminar.ends_at,
        },
    )
    for variant in variants:
        set_schedule(variant, when, now=now)
    audit_record(
        action="post.relative_time",
        actor=access.user,
        workspace=access.workspace,
        obj=post,
        changes={"rule": [None, str(rule)], "scheduled_at": [None, when]},
    )
    return rule


@transaction.atomic
def relative_clear(*, access: Access, post_id: int) -> None:
    access.require(Perm.PUBLISH_SCHEDULE)
    deleted, _rows = RelativeTime.objects.filter(
        post_id=post_id, workspace=access.workspace
    ).delete()
    if deleted:
        audit_record(
            action="post.relative_time_clear",
            actor=access.user,
            workspace=access.workspace,
            obj=None,
            changes={"post": [post_id, None]},
        )


def relative_times_follow(*, seminar_id: int | None = None) -> list[ScheduleShift]:
    """Move the scheduled variants of every rule whose seminar moved. Safe to run twice."""
    rules = RelativeTime.objects.select_related("post", "post__seminar")
    if seminar_id is not None:
        rules = rules.filter(post__seminar_id=seminar_id)
    shifts: list[ScheduleShift] = []
    for rule in rules:
        seminar = rule.post.seminar
        anchor_at = seminar.starts_at if rule.anchor == Anchor.START else seminar.ends_at
        if rule.anchor_at == anchor_at:
            continue
        shifts += _follow(rule.pk, seminar)
    return shifts


@transaction.atomic
def _follow(rule_id: int, seminar: Seminar) -> list[ScheduleShift]:
    rule = RelativeTime.objects.select_for_update().filter(pk=rule_id).first()
    if rule is None:
        return []
    anchor_at = seminar.starts_at if rule.anchor == Anchor.START else seminar.ends_at
    if rule.anchor_at == anchor_at:
        return []
    now = timezone.now()
    when = relative_when(
        seminar,
        anchor=rule.anchor,
        direction=rule.direction,
        amount=rule.amount,
        unit=rule.unit,
        at_time=rule.at_time,
    )
    shifts = []
    variants = (
        Variant.objects.select_for_update(of=("self",))
        .select_related("post", "post__seminar", "account")
        .filter(post_id=rule.post_id, status=S.SCHEDULED)
    )
    for variant in variants:
        old = variant.scheduled_at
        if old == when:
            continue
        assert old is not None
        passed = when <= now
        if passed:
            Variant.objects.filter(pk=variant.pk).update(
                status=S.APPROVED, scheduled_at=None, updated_at=now
            )
            Dispatch.objects.filter(pk=variant.pk).update(held_at=None, enqueued_for=None)
        else:
            set_schedule(variant, when, now=now)
        shifts.append(
            ScheduleShift.objects.create(
                workspace_id=rule.workspace_id,
                seminar=seminar,
                variant=variant,
                old_at=old,
                new_at=when,
                unscheduled=passed,
            )
        )
        audit_record(
            action="variant.follow_seminar",
            actor=None,
            workspace=seminar.workspace,
            obj=variant,
            changes={"scheduled_at": [old, None if passed else when]},
        )
    rule.anchor_at = anchor_at
    rule.save(update_fields=["anchor_at", "updated_at"])
    return shifts


@transaction.atomic
def shifts_seen(*, access: Access, seminar_id: int) -> int:
    access.require(Perm.CONTENT_VIEW)
    return ScheduleShift.objects.filter(
        workspace=access.workspace, seminar_id=seminar_id, seen_at__isnull=True
    ).update(seen_at=timezone.now())
