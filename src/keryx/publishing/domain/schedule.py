"""Putting approved variants on the schedule: at a time, in the queue, next, now; taking them
off; releasing what a pause held; settling an unconfirmed post by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.content.enums import PostStatus, VariantStatus
from keryx.content.models import Post, Variant
from keryx.core.domain.audit import audit_record
from keryx.core.errors import Conflict, NotFound, ValidationFailed
from keryx.core.timezones import local
from keryx.networks.base import Published
from keryx.networks.domain.accounts import account_health
from keryx.publishing.domain.claim import attempt_record, dispatch_for, idempotency_key
from keryx.publishing.domain.queue import enqueue_publish
from keryx.publishing.domain.quota import quota_problem
from keryx.publishing.domain.settle import settle_published
from keryx.publishing.domain.slots import free_slots
from keryx.publishing.domain.sweep import lookahead
from keryx.publishing.enums import Outcome
from keryx.publishing.models import Dispatch, RelativeTime

S = VariantStatus
SCHEDULABLE = {S.APPROVED, S.SCHEDULED, S.FAILED}


def locked_variant(access: Access, variant_id: int) -> Variant:
    variant = (
        Variant.objects.select_for_update(of=("self",))
        .select_related("post", "post__seminar", "post__workspace", "account")
        .filter(pk=variant_id, post__workspace=access.workspace)
        .first()
    )
    if variant is None:
        raise NotFound()
    return variant


def _when_text(variant: Variant, when: dt.datetime) -> str:
    shown = local(when, variant.post.seminar.time_zone)
    assert shown is not None
    return date_format(shown, "DATETIME_FORMAT")


def _check_schedulable(variant: Variant) -> None:
    if variant.status not in SCHEDULABLE or variant.post.status != PostStatus.APPROVED:
        raise Conflict(
            _("Only approved posts can be scheduled; this one is “%(status)s”.")
            % {"status": variant.get_status_display()},
            code="not_approved",
        )
    if account_health(variant.account).state == "not_linked":
        raise Conflict(
            _(
                "“%(account)s” is not linked to a real account (it has no keys), so nothing "
                "can be published to it. Open Settings → Networks and press Reconnect on it "
                "to link it, then schedule again."
            )
            % {"account": variant.account},
            code="not_linked",
        )


def _check_quota(variant: Variant, times: Sequence[dt.datetime]) -> None:
    problem = quota_problem(variant.account, times, exclude=[variant.pk])
    if problem is not None:
        raise ValidationFailed(
            fields={
                "scheduled_at": [problem.message(variant.account, variant.post.seminar.time_zone)]
            }
        )


def set_schedule(
    variant: Variant, when: dt.datetime, *, now: dt.datetime, in_queue: bool = False
) -> None:
    """Put a (locked, checked) variant on the schedule at ``when``. No access check."""
    fresh = variant.status == S.FAILED
    dispatch = dispatch_for(variant)
    generation = dispatch.generation + (1 if fresh and dispatch.tries else 0)
    Variant.objects.filter(pk=variant.pk).update(
        status=S.SCHEDULED,
        scheduled_at=when,
        updated_at=now,
        **({"error_code": "", "error_message": ""} if fresh else {}),
    )
    soon = when <= now + lookahead()
    Dispatch.objects.filter(pk=dispatch.pk).update(
        held_at=None,
        held_by=None,
        next_try_at=None,
        waiting="",
        in_queue=in_queue,
        generation=generation,
        idempotency_key=idempotency_key(variant.pk, generation),
        **({"tries": 0, "rate_limited": 0, "resends": 0} if fresh else {}),
        enqueued_for=when if soon else None,
        enqueued_at=now if soon else None,
    )
    variant.status, variant.scheduled_at = S.SCHEDULED, when
    if soon:
        enqueue_publish([variant.pk], eta=when)


def _audit(access: Access, variant: Variant, action: str, before: Mapping[str, object]) -> None:
    after = {"status": variant.status, "scheduled_at": variant.scheduled_at}
    audit_record(
        action=action,
        actor=access.user,
        workspace=access.workspace,
        obj=variant,
        changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
    )


@transaction.atomic
def variant_schedule(
    *, access: Access, variant_id: int, when: dt.datetime, in_queue: bool = False
) -> Variant:
    """Schedule (or move) an approved variant. A time in the past is refused."""
    access.require(Perm.PUBLISH_SCHEDULE)
    now = timezone.now()
    variant = locked_variant(access, variant_id)
    _check_schedulable(variant)
    if when < now:
        raise ValidationFailed(
            fields={
                "scheduled_at": [
                    _(
                        "This time has passed (%(when)s). Pick a time from now on, or use "
                        "“Share now” to publish at once."
                    )
                    % {"when": _when_text(variant, when)}
                ]
            }
        )
    _check_quota(variant, [when])
    before = {"status": variant.status, "scheduled_at": variant.scheduled_at}
    # A time chosen by hand replaces the post's seminar-relative rule.
    RelativeTime.objects.filter(post_id=variant.post_id).delete()
    set_schedule(variant, when, now=now, in_queue=in_queue)
    _audit(access, variant, "variant.schedule", before)
    return variant


@transaction.atomic
def variant_share_now(*, access: Access, variant_id: int) -> Variant:
    """Publish at once (still subject to pauses, caps and quotas at the moment of publishing)."""
    access.require(Perm.PUBLISH_SCHEDULE)
    now = timezone.now()
    variant = locked_variant(access, variant_id)
    _check_schedulable(variant)
    _check_quota(variant, [now])
    before = {"status": variant.status, "scheduled_at": variant.scheduled_at}
    set_schedule(variant, now, now=now)
    _audit(access, variant, "variant.share_now", before)
    return variant


@transaction.atomic
def variant_unschedule(*, access: Access, variant_id: int) -> Variant:
    """Take a scheduled (or held) variant off the schedule; it stays approved."""
    access.require(Perm.PUBLISH_SCHEDULE)
    variant = locked_variant(access, variant_id)
    if variant.status != S.SCHEDULED:
        raise Conflict(
            _("Only scheduled posts can be taken off the schedule; this one is “%(status)s”.")
            % {"status": variant.get_status_display()}
        )
    before = {"status": variant.status, "scheduled_at": variant.scheduled_at}
    Variant.objects.filter(pk=variant.pk).update(
        status=S.APPROVED, scheduled_at=None, updated_at=timezone.now()
    )
    Dispatch.objects.filter(pk=variant.pk).update(
        held_at=None,
        held_by=None,
        next_try_at=None,
        waiting="",
        in_queue=False,
        enqueued_for=None,
    )
    variant.status, variant.scheduled_at = S.APPROVED, None
    _audit(access, variant, "variant.unschedule", before)
    return variant


def _no_slots() -> ValidationFailed:
    return ValidationFailed(
        _("This account has no free posting slot in the next eight weeks."),
        fields={
            "slots": [
                _("Add weekly posting slots for the account (Calendar → Posting slots) first.")
            ]
        },
    )


@transaction.atomic
def variant_add_to_queue(*, access: Access, variant_id: int) -> Variant:
    """Put the variant in its account's next free posting slot."""
    access.require(Perm.PUBLISH_SCHEDULE)
    now = timezone.now()
    variant = locked_variant(access, variant_id)
    _check_schedulable(variant)
    slots = free_slots(variant.account, exclude=[variant.pk])
    if not slots:
        raise _no_slots()
    _check_quota(variant, slots[:1])
    before = {"status": variant.status, "scheduled_at": variant.scheduled_at}
    RelativeTime.objects.filter(post_id=variant.post_id).delete()
    set_schedule(variant, slots[0], now=now, in_queue=True)
    _audit(access, variant, "variant.queue", before)
    return variant


@transaction.atomic
def variant_share_next(*, access: Access, variant_id: int) -> Variant:
    """Move the variant to the front of its account's queue; the queue moves back a slot."""
    access.require(Perm.PUBLISH_SCHEDULE)
    now = timezone.now()
    variant = locked_variant(access, variant_id)
    _check_schedulable(variant)
    queued = list(
        Variant.objects.select_for_update()
        .filter(
            account=variant.account,
            status=S.SCHEDULED,
            dispatch__in_queue=True,
            scheduled_at__gt=now,
        )
        .exclude(pk=variant.pk)
        .select_related("post", "account")
        .order_by("scheduled_at", "pk")
    )
    order = [variant, *queued]
    slots = free_slots(variant.account, count=len(order), exclude=[v.pk for v in order])
    if len(slots) < len(order):
        raise _no_slots()
    before = {"status": variant.status, "scheduled_at": variant.scheduled_at}
    RelativeTime.objects.filter(post_id=variant.post_id).delete()
    for item, at in zip(order, slots, strict=False):
        if item.scheduled_at != at or item is variant:
            set_schedule(item, at, now=now, in_queue=True)
    _audit(access, variant, "variant.share_next", before)
    return variant


@transaction.atomic
def held_release(
    *, access: Access, variant_id: int, action: str, when: dt.datetime | None = None
) -> Variant:
    """What to do with a variant a pause held: ``publish`` now, ``reschedule``, or ``drop``."""
    access.require(Perm.PUBLISH_SCHEDULE)
    variant = locked_variant(access, variant_id)
    held = Dispatch.objects.filter(pk=variant.pk, held_at__isnull=False).exists()
    if not held or variant.status != S.SCHEDULED:
        raise Conflict(_("This post is not held by a pause (any more)."), code="not_held")
    if action == "publish":
        return variant_share_now(access=access, variant_id=variant.pk)
    if action == "reschedule":
        if when is None:
            raise ValidationFailed(fields={"scheduled_at": [_("Give the new date and time.")]})
        return variant_schedule(access=access, variant_id=variant.pk, when=when)
    if action == "drop":
        return variant_unschedule(access=access, variant_id=variant.pk)
    raise ValidationFailed(fields={"action": [_("Choose one of: publish, reschedule, drop.")]})


@transaction.atomic
def variant_settle(*, access: Access, variant_id: int, published: bool, url: str = "") -> Variant:
    """A person settles an unconfirmed variant after looking at the account."""
    access.require(Perm.PUBLISH_SCHEDULE)
    now = timezone.now()
    variant = locked_variant(access, variant_id)
    if variant.status != S.UNCONFIRMED:
        raise Conflict(_("Only unconfirmed posts can be settled by hand."), code="not_unconfirmed")
    dispatch = dispatch_for(variant)
    before = {"status": variant.status, "scheduled_at": variant.scheduled_at}
    attempt = attempt_record(
        variant,
        dispatch,
        number=dispatch.tries,
        worker=access.user.email[:120],
        outcome=Outcome.FOUND if published else Outcome.ABSENT,
        now=now,
        message=_("Settled by hand."),
    )
    if published:
        settle_published(
            variant_id=variant.pk,
            token=dispatch.claim_token,
            published=Published(remote_id=variant.remote_id or "", url=url),
            outcome=Outcome.FOUND,
            attempt_id=attempt.pk,
            now=now,
        )
    else:
        Dispatch.objects.filter(pk=variant.pk).update(
            claim_token=None, unconfirmed_at=None, reconcile_at=None
        )
        Variant.objects.filter(pk=variant.pk, status=S.UNCONFIRMED).update(
            status=S.FAILED,
            error_code="not_found",
            error_message=_("Marked as not published by %(who)s.") % {"who": access.user},
            updated_at=now,
        )
    variant.refresh_from_db(fields=["status", "scheduled_at"])
    _audit(access, variant, "variant.settle", before)
    return variant


@dataclass
class PlannedResult:
    scheduled: list[Variant]
    passed: list[Variant]
    # Left approved: their account has no keys, so nothing could be published to it.
    unlinked: list[Variant] = field(default_factory=list)


@transaction.atomic
def planned_schedule(*, access: Access, seminar_id: int) -> PlannedResult:
    """Schedule every approved variant of the seminar that carries a planned time (imported
    posts, posts approved after being planned). Times that have passed are left for a person;
    a quota problem refuses the whole batch."""
    return _schedule_planned(access, post__seminar_id=seminar_id)


@transaction.atomic
def post_planned_schedule(*, access: Access, post_id: int) -> PlannedResult:
    """The same for one post: called when a post with planned times is approved."""
    return _schedule_planned(access, post_id=post_id)


def _schedule_planned(access: Access, **scope: int) -> PlannedResult:
    access.require(Perm.PUBLISH_SCHEDULE)
    now = timezone.now()
    variants = list(
        Variant.objects.select_for_update(of=("self",))
        .select_related("post", "post__seminar", "post__workspace", "account")
        .filter(
            post__workspace=access.workspace,
            post__status=PostStatus.APPROVED,
            status=S.APPROVED,
            scheduled_at__isnull=False,
            **scope,
        )
        .order_by("scheduled_at", "pk")
    )
    result = PlannedResult(scheduled=[], passed=[])
    upcoming = [v for v in variants if v.scheduled_at is not None and v.scheduled_at >= now]
    result.passed = [v for v in variants if v not in upcoming]
    result.unlinked = [v for v in upcoming if account_health(v.account).state == "not_linked"]
    upcoming = [v for v in upcoming if v not in result.unlinked]
    by_account: dict[int, list[Variant]] = {}
    for variant in upcoming:
        by_account.setdefault(variant.account_id, []).append(variant)
    for items in by_account.values():
        problem = quota_problem(
            items[0].account,
            [v.scheduled_at for v in items if v.scheduled_at is not None],
            exclude=[v.pk for v in items],
        )
        if problem is not None:
            raise ValidationFailed(
                fields={
                    "scheduled_at": [
                        problem.message(items[0].account, items[0].post.seminar.time_zone)
                    ]
                }
            )
    for variant in upcoming:
        assert variant.scheduled_at is not None
        set_schedule(variant, variant.scheduled_at, now=now)
        result.scheduled.append(variant)
    if result.scheduled:
        audit_record(
            action="variants.schedule_planned",
            actor=access.user,
            workspace=access.workspace,
            obj=None,
            changes={"variants": [None, [v.pk for v in result.scheduled]]},
        )
    return result


def post_approved_schedule(*, access: Access, post: Post) -> PlannedResult | None:
    """A post was approved: put its variants that carry a planned time on the schedule, as a
    person with the right to schedule would (Hootsuite's "approved messages are scheduled").
    Without that right nothing happens; a quota problem or a passed time leaves the variants
    approved and tells the approver what to do, without undoing the approval."""
    if not access.can(Perm.PUBLISH_SCHEDULE):
        return None
    from keryx.content.domain.review import post_url
    from keryx.notifications.domain.notify import notify, notify_in_their_language

    try:
        with transaction.atomic():  # a refusal rolls back the scheduling, not the approval
            result = post_planned_schedule(access=access, post_id=post.pk)
    except ValidationFailed as problem:
        reasons = [m for messages in problem.fields.values() for m in messages]
        notify(
            recipients=[access.user],
            kind="publishing.planned_refused",
            title=_("The approved post was not scheduled"),
            body=" ".join(
                [*reasons, _("Pick other times in the calendar, or raise the account's quota.")]
            ),
            url=post_url(post),
            workspace=access.workspace,
            send_email=False,
        )
        return None
    if result.unlinked:
        accounts = ", ".join(sorted({str(v.account) for v in result.unlinked}))
        notify_in_their_language(
            recipients=[access.user],
            kind="publishing.planned_unlinked",
            words=lambda: (
                _("Not scheduled: an account is not linked"),
                _(
                    "The approved post was not put on the schedule for %(accounts)s: the "
                    "account has no keys, so nothing can be published to it. Open Settings → "
                    "Networks and press Reconnect on it, then schedule the post."
                )
                % {"accounts": accounts},
            ),
            url=post_url(post),
            workspace=access.workspace,
            send_email=False,
        )
    if result.passed:
        count = len(result.passed)
        notify_in_their_language(
            recipients=[access.user],
            kind="publishing.planned_passed",
            words=lambda: (
                _("Planned times have passed"),
                ngettext(
                    "%(count)d variant of the approved post had a planned time that has "
                    "passed. Open the post to pick a new time or share it now.",
                    "%(count)d variants of the approved post had a planned time that has "
                    "passed. Open the post to pick a new time or share it now.",
                    count,
                )
                % {"count": count},
            ),
            url=post_url(post),
            workspace=access.workspace,
            send_email=False,
        )
    return result
