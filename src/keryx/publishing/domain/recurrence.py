"""Recurring posts: publish a scheduled post again every N days or weeks, until a date.

Each repetition is its own post (a copy, with its own variants, results and history), made
up to eight weeks ahead; a periodic job makes the next ones for rules with no end. A rule is
refused when its repetitions, with what the accounts already publish, would exceed a network's
quota: for a rule with no end, over the coming year.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.content.enums import PostStatus, VariantStatus
from keryx.content.models import SOURCE_FIELDS, Post, PostMedia, Variant, VariantMedia
from keryx.content.signals import variant_text_saved
from keryx.core.domain.audit import audit_record
from keryx.core.errors import NotFound, ValidationFailed
from keryx.publishing.domain.quota import quota_problem
from keryx.publishing.domain.schedule import set_schedule
from keryx.publishing.enums import RepeatUnit
from keryx.publishing.models import Occurrence, Recurrence

S = VariantStatus
AHEAD = dt.timedelta(weeks=8)
OPEN_ENDED_CHECK = dt.timedelta(days=365)
MAX_OCCURRENCES = 366
_NOT_COPIED = {"id", "created_at", "updated_at"}


def _step_days(every: int, unit: str) -> int:
    return every * (7 if unit == RepeatUnit.WEEK else 1)


def repeat_at(
    first: dt.datetime, index: int, *, every: int, unit: str, time_zone: str
) -> dt.datetime:
    """The ``index``-th repetition of ``first``, at the same wall-clock time in the zone."""
    zone = zoneinfo.ZoneInfo(time_zone)
    start = first.astimezone(zone)
    day = start.date() + dt.timedelta(days=index * _step_days(every, unit))
    return dt.datetime.combine(day, start.timetz().replace(tzinfo=None), tzinfo=zone).astimezone(
        dt.UTC
    )


def _indexes(
    first: dt.datetime,
    *,
    every: int,
    unit: str,
    time_zone: str,
    until: dt.date | None,
    end: dt.datetime,
) -> list[int]:
    zone = zoneinfo.ZoneInfo(time_zone)
    result: list[int] = []
    index = 1
    while True:
        at = repeat_at(first, index, every=every, unit=unit, time_zone=time_zone)
        if at > end or (until is not None and at.astimezone(zone).date() > until):
            return result
        result.append(index)
        index += 1


def _copy_post(post: Post) -> Post:
    values = {
        f.attname: getattr(post, f.attname)
        for f in Post._meta.concrete_fields
        if f.name not in _NOT_COPIED
    }
    copy = Post.objects.create(**values)
    PostMedia.objects.bulk_create(
        PostMedia(post=copy, media_id=link.media_id, position=link.position, alt_text=link.alt_text)
        for link in post.media_links.all()
    )
    return copy


def _copy_variant(variant: Variant, post: Post) -> Variant:
    values = {
        f.attname: getattr(variant, f.attname)
        for f in Variant._meta.concrete_fields
        if f.name not in _NOT_COPIED
    }
    values.update(
        post_id=post.pk,
        status=S.APPROVED,
        scheduled_at=None,
        published_at=None,
        remote_id="",
        remote_url="",
        error_code="",
        error_message="",
    )
    # The copy starts from what the author wrote; its links become its own tracked links (a
    # repetition is its own post in the funnel), through the composer's signal.
    values.update({published: values[source] for published, source in SOURCE_FIELDS.items()})
    copy = Variant.objects.create(**values)
    variant_text_saved.send(sender=Variant, variant=copy)
    VariantMedia.objects.bulk_create(
        VariantMedia(
            variant=copy, media_id=link.media_id, position=link.position, alt_text=link.alt_text
        )
        for link in variant.media_links.all()
    )
    return copy


def _materialize(rule: Recurrence, *, until: dt.datetime) -> int:
    """Make the repetitions up to ``until`` that do not exist yet."""
    source = rule.post
    variants = list(source.variants.exclude(scheduled_at__isnull=True).select_related("account"))
    if not variants:
        return 0
    made = 0
    existing = set(rule.occurrences.values_list("index", flat=True))
    for index in _indexes(
        rule.first_at,
        every=rule.every,
        unit=rule.unit,
        time_zone=rule.time_zone,
        until=rule.until,
        end=until,
    ):
        if index in existing:
            continue
        copy = _copy_post(source)
        Occurrence.objects.create(recurrence=rule, index=index, post=copy)
        now = timezone.now()
        for variant in variants:
            assert variant.scheduled_at is not None
            at = repeat_at(
                variant.scheduled_at,
                index,
                every=rule.every,
                unit=rule.unit,
                time_zone=rule.time_zone,
            )
            clone = _copy_variant(variant, copy)
            clone.post = copy
            set_schedule(clone, at, now=now)
        made += 1
    rule.materialized_until = until
    rule.save(update_fields=["materialized_until", "updated_at"])
    return made


def _delete_future(rule: Recurrence) -> int:
    """Remove the repetitions nothing has been published from yet."""
    removed = 0
    for occurrence in rule.occurrences.filter(index__gt=0).select_related("post"):
        if not occurrence.post.variants.exclude(status__in=[S.APPROVED, S.SCHEDULED]).exists():
            occurrence.post.delete()
            removed += 1
    return removed


@transaction.atomic
def recurrence_set(
    *, access: Access, post_id: int, every: int, unit: str, until: dt.date | None
) -> Recurrence:
    access.require(Perm.PUBLISH_SCHEDULE)
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("seminar")
        .filter(pk=post_id, workspace=access.workspace)
        .first()
    )
    if post is None:
        raise NotFound()
    fields: dict[str, list[str]] = {}
    if unit not in RepeatUnit.values:
        fields["unit"] = [_("Choose days or weeks.")]
    if not 1 <= every <= 365:
        fields["every"] = [_("Give a number from 1 to 365.")]
    variants = list(post.variants.filter(status=S.SCHEDULED).select_related("account"))
    if post.status != PostStatus.APPROVED or not variants:
        fields["__all__"] = [
            _("Schedule the post first: it repeats from its first scheduled time.")
        ]
    if fields:
        raise ValidationFailed(fields=fields)
    time_zone = post.seminar.time_zone
    first = min(v.scheduled_at for v in variants if v.scheduled_at is not None)
    zone = zoneinfo.ZoneInfo(time_zone)
    if until is not None and until < first.astimezone(zone).date():
        raise ValidationFailed(
            fields={"until": [_("The end date is before the post's first time.")]}
        )
    horizon = first + OPEN_ENDED_CHECK
    indexes = _indexes(
        first,
        every=every,
        unit=unit,
        time_zone=time_zone,
        until=until,
        end=horizon if until is None else dt.datetime.max.replace(tzinfo=dt.UTC),
    )
    if len(indexes) > MAX_OCCURRENCES:
        raise ValidationFailed(
            fields={
                "until": [
                    _("That makes more than %(n)d repetitions; choose an earlier end date.")
                    % {"n": MAX_OCCURRENCES}
                ]
            }
        )
    existing_rule = Recurrence.objects.filter(post=post).first()
    if existing_rule is not None:
        _delete_future(existing_rule)
        existing_rule.delete()
    for variant in variants:
        assert variant.scheduled_at is not None
        times = [
            repeat_at(variant.scheduled_at, i, every=every, unit=unit, time_zone=time_zone)
            for i in indexes
        ]
        problem = quota_problem(variant.account, times)
        if problem is not None:
            message = problem.message(variant.account, time_zone)
            if until is None:
                message = _("This repetition has no end date. ") + message
            raise ValidationFailed(fields={"until" if until is None else "every": [message]})
    rule = Recurrence.objects.create(
        workspace=access.workspace,
        post=post,
        every=every,
        unit=unit,
        first_at=first,
        until=until,
        time_zone=time_zone,
        created_by=access.user,
    )
    Occurrence.objects.create(recurrence=rule, index=0, post=post)
    _materialize(rule, until=timezone.now() + AHEAD)
    audit_record(
        action="post.recurrence",
        actor=access.user,
        workspace=access.workspace,
        obj=post,
        changes={"every": [None, every], "unit": [None, unit], "until": [None, until]},
    )
    return rule


@transaction.atomic
def recurrence_stop(*, access: Access, post_id: int) -> int:
    """Stop repeating; repetitions not published yet are removed. Returns how many."""
    access.require(Perm.PUBLISH_SCHEDULE)
    rule = Recurrence.objects.filter(post_id=post_id, workspace=access.workspace).first()
    if rule is None:
        raise NotFound()
    removed = _delete_future(rule)
    rule.delete()
    audit_record(
        action="post.recurrence_stop",
        actor=access.user,
        workspace=access.workspace,
        obj=None,
        changes={"post": [post_id, None], "removed": [None, removed]},
    )
    return removed


def recurrences_extend() -> int:
    """Make the next repetitions of every rule (periodic; safe to run twice)."""
    made = 0
    target = timezone.now() + AHEAD
    for rule_id in Recurrence.objects.values_list("pk", flat=True):
        with transaction.atomic():
            rule = (
                Recurrence.objects.select_for_update()
                .select_related("post")
                .filter(pk=rule_id)
                .first()
            )
            if rule is not None and (
                rule.materialized_until is None or rule.materialized_until < target
            ):
                made += _materialize(rule, until=target)
    return made
