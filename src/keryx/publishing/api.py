"""API: the content calendar, scheduling, posting slots, best times, recurring and
seminar-relative posts, the emergency pause, import/export and the iCalendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from keryx.accounts.roles import Perm
from keryx.api.pagination import Page
from keryx.api.permissions import access_for, needs
from keryx.core.errors import ValidationFailed
from keryx.core.timezones import aware_in
from keryx.publishing import queries
from keryx.publishing.calendar import parse_wall, valid_zone, variant_event
from keryx.publishing.domain import csvio, ical, pause, recurrence, relative, schedule, slots
from keryx.publishing.domain.besttime import best_times
from keryx.publishing.models import CalendarFeed, Dispatch, Pause
from keryx.publishing.schemas import (
    AttemptOut,
    BestTimesOut,
    EventOut,
    FeedOut,
    ImportIn,
    ImportOut,
    PauseIn,
    PauseOut,
    PlannedOut,
    RecurrenceIn,
    RecurrenceOut,
    RelativeTimeIn,
    RelativeTimeOut,
    ReleaseIn,
    ScheduleIn,
    SettleIn,
    ShiftsSeenOut,
    SlotIn,
    SlotsIn,
    SlotsOut,
    VariantScheduleOut,
)

router = Router(tags=["publishing"])
W = "/workspaces/{workspace}"
V = W + "/variants/{variant_id}"
MAX_RANGE = dt.timedelta(days=100)


class EventQuery(Schema):
    seminar: int | None = None
    start: str = ""
    end: str = ""
    tz: str = ""
    network: str = ""
    state: str = ""
    phase: str = ""
    theme: str = ""
    author: int | None = None


def _split(value: str) -> tuple[str, ...]:
    return tuple(v for v in (p.strip() for p in value.split(",")) if v)


@router.get(
    W + "/calendar/events",
    response=list[EventOut],
    operation_id="calendar_events",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
def calendar_events(request: HttpRequest, workspace: str, q: Query[EventQuery]) -> Any:
    """Variants with a time in [start, end), as FullCalendar events in the ``tz`` zone
    (default: the seminar's, else the workspace's). Times have no offset: wall-clock in ``tz``."""
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    seminar = queries.seminar_in(access, q.seminar) if q.seminar else None
    zone = valid_zone(q.tz, seminar.time_zone if seminar else access.workspace.default_time_zone)
    try:
        start = parse_wall(q.start, zone) if q.start else None
        end = parse_wall(q.end, zone) if q.end else None
    except ValueError as exc:
        raise ValidationFailed(
            fields={"start": [_("Give start and end as 2026-12-01T00:00:00.")]}
        ) from exc
    if start and end and end - start > MAX_RANGE:
        raise ValidationFailed(fields={"end": [_("Ask for at most 100 days at a time.")]})
    flt = queries.CalendarFilter(
        seminar_id=q.seminar,
        networks=_split(q.network),
        states=_split(q.state),
        phases=_split(q.phase),
        themes=_split(q.theme),
        author_id=q.author,
        start=start,
        end=end,
    )
    can = access.can(Perm.PUBLISH_SCHEDULE)
    return [
        variant_event(v, zone, can_schedule=can)
        for v in queries.calendar_variants(access, flt)[:2000]
    ]


def _variant_out(variant_id: int, access: Any) -> Any:
    variant = queries.variant_in(access, variant_id)
    try:
        held = variant.dispatch.held_at is not None
    except Dispatch.DoesNotExist:
        held = False
    return {
        "id": variant.pk,
        "post_id": variant.post_id,
        "network": variant.network,
        "status": variant.status,
        "held": held and variant.status == "scheduled",
        "scheduled_at": variant.scheduled_at,
        "published_at": variant.published_at,
        "remote_url": variant.remote_url,
        "error_code": variant.error_code,
        "error_message": variant.error_message,
    }


def _when(access: Any, variant_id: int, value: dt.datetime, time_zone: str) -> dt.datetime:
    variant = queries.variant_in(access, variant_id)
    zone = valid_zone(time_zone, variant.post.seminar.time_zone)
    when = aware_in(value, zone)
    assert when is not None
    return when


@router.post(
    V + "/schedule",
    response=VariantScheduleOut,
    operation_id="variants_schedule",
    openapi_extra=needs(Perm.PUBLISH_SCHEDULE),
)
def variants_schedule(
    request: HttpRequest, workspace: str, variant_id: int, payload: ScheduleIn
) -> Any:
    """Schedule an approved variant, or move a scheduled one (drag in the calendar)."""
    access = access_for(request, workspace, Perm.PUBLISH_SCHEDULE)
    when = _when(access, variant_id, payload.scheduled_at, payload.time_zone)
    schedule.variant_schedule(access=access, variant_id=variant_id, when=when)
    return _variant_out(variant_id, access)


@router.post(
    V + "/unschedule",
    response=VariantScheduleOut,
    operation_id="variants_unschedule",
    openapi_extra=needs(Perm.PUBLISH_SCHEDULE),
)
def variants_unschedule(request: HttpRequest, workspace: str, variant_id: int) -> Any:
    access = access_for(request, workspace, Perm.PUBLISH_SCHEDULE)
    schedule.variant_unschedule(access=access, variant_id=variant_id)
    return _variant_out(variant_id, access)


@router.post(
    V + "/share-now",
    response=VariantScheduleOut,
    operation_id="variants_share_now",
    openapi_extra=needs(Perm.PUBLISH_SCHEDULE),
)
def variants_share_now(request: HttpRequest, workspace: str, variant_id: int) -> Any:
    access = access_for(request, workspace, Perm.PUBLISH_SCHEDULE)
    schedule.variant_share_now(access=access, variant_id=variant_id)
    return _variant_out(variant_id, access)


@router.post(
    V + "/queue",
    response=VariantScheduleOut,
    operation_id="variants_queue",
    openapi_extra=needs(Perm.PUBLISH_SCHEDULE),
)
def variants_queue(request: HttpRequest, workspace: str, variant_id: int) -> Any:
    """Add to the account's queue: the next free posting slot."""
    access = access_for(request, workspace, Perm.PUBLISH_SCHEDULE)
    schedule.variant_add_to_queue(access=access, variant_id=variant_id)
    return _variant_out(variant_id, access)


@router.post(
    V + "/share-next",
    response=VariantScheduleOut,
    operation_id="variants_share_next",
    openapi_extra=needs(Perm.PUBLISH_SCHEDULE),
)
def variants_share_next(request: HttpRequest, workspace: str, variant_id: int) -> Any:
    """Move to the front of the account's queue; the queued posts move back one slot."""
    access = access_for(request, workspace, Perm.PUBLISH_SCHEDULE)
    schedule.variant_share_next(access=access, variant_id=variant_id)
    return _variant_out(variant_id, access)


@router.post(
    V + "/release",
    response=VariantScheduleOut,
    operation_id="variants_release",
    openapi_extra=needs(Perm.PUBLISH_SCHEDULE),
)
def variants_release(
    request: HttpRequest, workspace: str, variant_id: int, payload: ReleaseIn
) -> Any:
    """Decide about a variant a pause held: publish now, reschedule, or drop it."""
    access = access_for(request, workspace, Perm.PUBLISH_SCHEDULE)
    when = (
        _when(access, variant_id, payload.scheduled_at, payload.time_zone)
        if payload.scheduled_at is not None
        else None
    )
    schedule.held_release(access=access, variant_id=variant_id, action=payload.action, when=when)
    return _variant_out(variant_id, access)


@router.post(
    V + "/settle",
    response=VariantScheduleOut,
    operation_id="variants_settle",
    openapi_extra=needs(Perm.PUBLISH_SCHEDULE),
)
def variants_settle(
    request: HttpRequest, workspace: str, variant_id: int, payload: SettleIn
) -> Any:
    """Settle an unconfirmed variant by hand, after looking at the account."""
    access = access_for(request, workspace, Perm.PUBLISH_SCHEDULE)
    schedule.variant_settle(
        access=access, variant_id=variant_id, published=payload.published, url=payload.url
    )
    return _variant_out(variant_id, access)


@router.get(
    V + "/attempts",
    response=list[AttemptOut],
    operation_id="variants_attempts",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
@paginate(Page)
def variants_attempts(request: HttpRequest, workspace: str, variant_id: int) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    return queries.attempts_of(queries.variant_in(access, variant_id))


# --- posting slots and best times ------------------------------------------------------------


def _slots_out(account: Any) -> dict[str, Any]:
    rows = list(account.posting_slots.all())
    return {
        "account_id": account.pk,
        "time_zone": rows[0].time_zone if rows else account.workspace.default_time_zone,
        "slots": [{"weekday": s.weekday, "time": s.local_time} for s in rows],
        "next_free": slots.free_slots(account, count=5),
    }


@router.get(
    W + "/accounts/{account_id}/slots",
    response=SlotsOut,
    operation_id="slots_get",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
def slots_get(request: HttpRequest, workspace: str, account_id: int) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    return _slots_out(queries.account_in(access, account_id))


@router.put(
    W + "/accounts/{account_id}/slots",
    response=SlotsOut,
    operation_id="slots_replace",
    openapi_extra=needs(Perm.PUBLISH_SCHEDULE),
)
def slots_replace(request: HttpRequest, workspace: str, account_id: int, payload: SlotsIn) -> Any:
    access = access_for(request, workspace, Perm.PUBLISH_SCHEDULE)
    account = queries.account_in(access, account_id)
    slots.slots_replace(
        access=access,
        account=account,
        time_zone=payload.time_zone,
        slots=[(s.weekday, s.time) for s in payload.slots],
    )
    return _slots_out(account)


@router.get(
    W + "/accounts/{account_id}/best-times",
    response=BestTimesOut,
    operation_id="best_times_get",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
def best_times_get(request: HttpRequest, workspace: str, account_id: int) -> Any:
    """Each 30-minute slot of the week scored 0–1 (Monday 00:00 first) and the best free times."""
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    result = best_times(queries.account_in(access, account_id))
    note = (
        ngettext(
            "From this account's own engagement over the last twelve weeks (%(n)d post).",
            "From this account's own engagement over the last twelve weeks (%(n)d posts).",
            result.posts,
        )
        if result.source == "history"
        else ngettext(
            "Too little history (%(n)d measured post): these are the usual good times for the network, not this account's.",
            "Too little history (%(n)d measured posts): these are the usual good times for the network, not this account's.",
            result.posts,
        )
    ) % {"n": result.posts}
    return {
        "account_id": account_id,
        "source": result.source,
        "posts": result.posts,
        "time_zone": result.time_zone,
        "note": note,
        "scores": result.scores,
        "suggestions": result.suggestions,
    }


# --- recurring and seminar-relative posts ------------------------------------------------------

P = W + "/posts/{post_id}"


@router.put(
    P + "/recurrence",
    response=RecurrenceOut,
    operation_id="recurrence_set",
    openapi_extra=needs(Perm.PUBLISH_SCHEDULE),
)
def recurrence_set(
    request: HttpRequest, workspace: str, post_id: int, payload: RecurrenceIn
) -> Any:
    """Repeat a scheduled post every N days or weeks, until a date (or with no end)."""
    access = access_for(request, workspace, Perm.PUBLISH_SCHEDULE)
    rule = recurrence.recurrence_set(
        access=access, post_id=post_id, every=payload.every, unit=payload.unit, until=payload.until
    )
    return {
        "post_id": post_id,
        "every": rule.every,
        "unit": rule.unit,
        "until": rule.until,
        "first_at": rule.first_at,
        "repetitions": rule.occurrences.count() - 1,
    }


@router.delete(
    P + "/recurrence",
    response={204: None},
    operation_id="recurrence_stop",
    openapi_extra=needs(Perm.PUBLISH_SCHEDULE),
)
def recurrence_stop(request: HttpRequest, workspace: str, post_id: int) -> Any:
    access = access_for(request, workspace, Perm.PUBLISH_SCHEDULE)
    recurrence.recurrence_stop(access=access, post_id=post_id)
    return Status(204, None)


@router.put(
    P + "/relative-time",
    response=RelativeTimeOut,
    operation_id="relative_time_set",
    openapi_extra=needs(Perm.PUBLISH_SCHEDULE),
)
def relative_time_set(
    request: HttpRequest, workspace: str, post_id: int, payload: RelativeTimeIn
) -> Any:
    """Time the post from its seminar ("7 days before the start at 10:00"); it follows moves."""
    access = access_for(request, workspace, Perm.PUBLISH_SCHEDULE)
    rule = relative.relative_set(access=access, post_id=post_id, **payload.dict())
    post = queries.post_in(access, post_id)
    when = relative.relative_when(
        post.seminar,
        anchor=rule.anchor,
        direction=rule.direction,
        amount=rule.amount,
        unit=rule.unit,
        at_time=rule.at_time,
    )
    return {**payload.dict(), "post_id": post_id, "scheduled_at": when}


@router.delete(
    P + "/relative-time",
    response={204: None},
    operation_id="relative_time_clear",
    openapi_extra=needs(Perm.PUBLISH_SCHEDULE),
)
def relative_time_clear(request: HttpRequest, workspace: str, post_id: int) -> Any:
    access = access_for(request, workspace, Perm.PUBLISH_SCHEDULE)
    queries.post_in(access, post_id)
    relative.relative_clear(access=access, post_id=post_id)
    return Status(204, None)


# --- pause -------------------------------------------------------------------------------------


def _pause_out(item: Pause) -> dict[str, Any]:
    return {
        "id": item.pk,
        "seminar_id": item.seminar_id,
        "reason": item.reason,
        "paused_by": str(item.paused_by or ""),
        "paused_at": item.paused_at,
        "resumed_at": item.resumed_at,
        "held": item.held.filter(variant__status="scheduled", held_at__isnull=False).count(),
    }


@router.get(
    W + "/pauses",
    response=list[PauseOut],
    operation_id="pauses_list",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
@paginate(Page)
def pauses_list(request: HttpRequest, workspace: str) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    return [_pause_out(p) for p in queries.pauses_in(access)[:200]]


@router.post(
    W + "/pauses",
    response={201: PauseOut},
    operation_id="pauses_create",
    openapi_extra=needs(Perm.PUBLISH_PAUSE),
)
def pauses_create(request: HttpRequest, workspace: str, payload: PauseIn) -> Any:
    """Stop publishing in the whole workspace (no seminar) or one seminar, with a reason."""
    access = access_for(request, workspace, Perm.PUBLISH_PAUSE)
    seminar = queries.seminar_in(access, payload.seminar_id) if payload.seminar_id else None
    return Status(
        201, _pause_out(pause.pause_start(access=access, reason=payload.reason, seminar=seminar))
    )


@router.post(
    W + "/pauses/{pause_id}/resume",
    response=PauseOut,
    operation_id="pauses_resume",
    openapi_extra=needs(Perm.PUBLISH_PAUSE),
)
def pauses_resume(request: HttpRequest, workspace: str, pause_id: int) -> Any:
    """End a pause. Held posts stay held until someone publishes, reschedules or drops each."""
    access = access_for(request, workspace, Perm.PUBLISH_PAUSE)
    return _pause_out(pause.pause_resume(access=access, pause_id=pause_id))


@router.get(
    W + "/held",
    response=list[VariantScheduleOut],
    operation_id="held_list",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
@paginate(Page)
def held_list(request: HttpRequest, workspace: str, seminar: int | None = None) -> Any:
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    return [_variant_out(v.pk, access) for v in queries.held_in(access, seminar)[:500]]


# --- import, export, feed ------------------------------------------------------------------------

SEM = W + "/seminars/{seminar_id}"


@router.post(
    SEM + "/posts/import",
    response=ImportOut,
    operation_id="posts_import",
    openapi_extra=needs(Perm.PUBLISH_SCHEDULE),
)
def posts_import(request: HttpRequest, workspace: str, seminar_id: int, payload: ImportIn) -> Any:
    """Import posts from CSV. With ``dry_run`` nothing is saved; either way, one bad row and
    nothing is imported: the error lists every bad row (``rows[<line>].<column>``)."""
    access = access_for(request, workspace, Perm.PUBLISH_SCHEDULE)
    seminar = queries.seminar_in(access, seminar_id)
    return csvio.posts_import(
        access=access,
        seminar=seminar,
        data=payload.csv,
        dry_run=payload.dry_run,
    )


@router.post(
    SEM + "/schedule-planned",
    response=PlannedOut,
    operation_id="variants_schedule_planned",
    openapi_extra=needs(Perm.PUBLISH_SCHEDULE),
)
def variants_schedule_planned(request: HttpRequest, workspace: str, seminar_id: int) -> Any:
    """Schedule every approved variant of the seminar at its planned time (e.g. after an
    import). Times that have passed are listed in ``passed`` and left alone."""
    access = access_for(request, workspace, Perm.PUBLISH_SCHEDULE)
    seminar = queries.seminar_in(access, seminar_id)
    result = schedule.planned_schedule(access=access, seminar_id=seminar.pk)
    return {"scheduled": [v.pk for v in result.scheduled], "passed": [v.pk for v in result.passed]}


@router.get(
    SEM + "/calendar/export", operation_id="calendar_export", openapi_extra=needs(Perm.CONTENT_VIEW)
)
def calendar_export(
    request: HttpRequest, workspace: str, seminar_id: int, format: str = "csv"
) -> HttpResponse:
    """The seminar's calendar as CSV (re-importable) or JSON."""
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    seminar = queries.seminar_in(access, seminar_id)
    rows = csvio.export_rows(
        queries.calendar_variants(access, queries.CalendarFilter(seminar_id=seminar.pk)), seminar
    )
    if format == "json":
        response = HttpResponse(
            csvio.export_json(rows), content_type="application/json; charset=utf-8"
        )
        name = f"keryx-calendar-{seminar.slug}.json"
    else:
        response = HttpResponse(csvio.export_csv(rows), content_type="text/csv; charset=utf-8")
        name = f"keryx-calendar-{seminar.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get(
    SEM + "/calendar/feed",
    response=FeedOut,
    operation_id="calendar_feed_get",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
def calendar_feed_get(request: HttpRequest, workspace: str, seminar_id: int) -> Any:
    """The secret iCalendar address of the seminar's posts (404 until someone creates it)."""
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    seminar = queries.seminar_in(access, seminar_id)
    feed = CalendarFeed.objects.filter(seminar=seminar).first()
    if feed is None:
        from keryx.core.errors import NotFound

        raise NotFound(_("This seminar has no calendar feed yet."))
    return {"seminar_id": seminar.pk, "url": ical.feed_url(feed), "created_at": feed.created_at}


@router.post(
    SEM + "/calendar/feed",
    response=FeedOut,
    operation_id="calendar_feed_rotate",
    openapi_extra=needs(Perm.PUBLISH_SCHEDULE),
)
def calendar_feed_rotate(request: HttpRequest, workspace: str, seminar_id: int) -> Any:
    """Create the feed address, or replace it with a new one (the old one stops working)."""
    access = access_for(request, workspace, Perm.PUBLISH_SCHEDULE)
    feed = ical.feed_rotate(access=access, seminar=queries.seminar_in(access, seminar_id))
    return {"seminar_id": seminar_id, "url": ical.feed_url(feed), "created_at": feed.created_at}


@router.post(
    SEM + "/shifts/seen",
    response=ShiftsSeenOut,
    operation_id="shifts_seen",
    openapi_extra=needs(Perm.CONTENT_VIEW),
)
def shifts_seen(request: HttpRequest, workspace: str, seminar_id: int) -> Any:
    """Dismiss the notice of posts that moved with the seminar."""
    access = access_for(request, workspace, Perm.CONTENT_VIEW)
    queries.seminar_in(access, seminar_id)
    return {"seen": relative.shifts_seen(access=access, seminar_id=seminar_id)}


__all__ = ["SlotIn", "router"]
