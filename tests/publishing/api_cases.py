from __future__ import annotations

import datetime as dt

from django.utils import timezone

from keryx.content.enums import VariantStatus
from keryx.publishing.models import CalendarFeed, Dispatch, Pause, PostingSlot
from tests.api.cases import World, case, world_builder
from tests.publishing.factories import make_account, make_post, make_variant

V1 = "/api/v1"
S = VariantStatus


def W(w: World) -> str:
    return f"{V1}/workspaces/{w.ws}"


def V(w: World, name: str) -> str:
    return f"{W(w)}/variants/{w.objects[name].pk}"


@world_builder
def _publishing(world: World) -> None:
    seminar, owner = world.seminar, world.owner
    account = make_account(
        world.workspace, network="mastodon", base_url="https://social.example", name="keryx"
    )
    world.objects["account"] = account
    for day in range(7):
        PostingSlot.objects.create(
            workspace=world.workspace,
            account=account,
            weekday=day,
            local_time=dt.time(10, 0),
            time_zone="Europe/Athens",
        )
    soon = timezone.now() + dt.timedelta(days=3)
    world.objects["approved"] = make_variant(make_post(seminar, owner, text="Approved"), account)
    make_variant(
        make_post(seminar, owner, text="Planned"),
        account,
        scheduled_at=timezone.now() + dt.timedelta(days=6),
    )
    world.objects["scheduled"] = make_variant(
        make_post(seminar, owner, text="Scheduled"), account, status=S.SCHEDULED, scheduled_at=soon
    )
    held = make_variant(
        make_post(seminar, owner, text="Held"),
        account,
        status=S.SCHEDULED,
        scheduled_at=timezone.now(),
    )
    pause = Pause.objects.create(
        workspace=world.workspace,
        seminar=seminar,
        reason="Held for the matrix",
        paused_at=timezone.now(),
    )
    Dispatch.objects.create(
        variant=held,
        workspace=world.workspace,
        idempotency_key="k-held",
        held_at=timezone.now(),
        held_by=pause,
    )
    world.objects["held"] = held
    world.objects["pause"] = pause
    unconfirmed = make_variant(
        make_post(seminar, owner, text="Unconfirmed"),
        account,
        status=S.UNCONFIRMED,
        scheduled_at=timezone.now(),
    )
    Dispatch.objects.create(
        variant=unconfirmed,
        workspace=world.workspace,
        idempotency_key="k-unc",
        unconfirmed_at=timezone.now(),
    )
    world.objects["unconfirmed"] = unconfirmed
    CalendarFeed.objects.create(seminar=seminar)


def _future(w: World) -> str:
    return (timezone.now() + dt.timedelta(days=5)).astimezone(dt.UTC).isoformat()


case("calendar_events", "get", lambda w: f"{W(w)}/calendar/events?seminar={w.seminar.pk}")
case(
    "variants_schedule",
    "post",
    lambda w: f"{V(w, 'approved')}/schedule",
    lambda w: {"scheduled_at": _future(w)},
)
case("variants_unschedule", "post", lambda w: f"{V(w, 'scheduled')}/unschedule")
case("variants_share_now", "post", lambda w: f"{V(w, 'approved')}/share-now")
case("variants_queue", "post", lambda w: f"{V(w, 'approved')}/queue")
case("variants_share_next", "post", lambda w: f"{V(w, 'approved')}/share-next")
case("variants_release", "post", lambda w: f"{V(w, 'held')}/release", lambda w: {"action": "drop"})
case(
    "variants_settle",
    "post",
    lambda w: f"{V(w, 'unconfirmed')}/settle",
    lambda w: {"published": False},
)
case("variants_attempts", "get", lambda w: f"{V(w, 'scheduled')}/attempts")
case("slots_get", "get", lambda w: f"{W(w)}/accounts/{w.objects['account'].pk}/slots")
case(
    "slots_replace",
    "put",
    lambda w: f"{W(w)}/accounts/{w.objects['account'].pk}/slots",
    lambda w: {"time_zone": "Europe/Athens", "slots": [{"weekday": 1, "time": "09:30"}]},
)
case("best_times_get", "get", lambda w: f"{W(w)}/accounts/{w.objects['account'].pk}/best-times")
case(
    "recurrence_set",
    "put",
    lambda w: f"{W(w)}/posts/{w.objects['scheduled'].post_id}/recurrence",
    lambda w: {
        "every": 1,
        "unit": "week",
        "until": (timezone.now() + dt.timedelta(days=30)).date().isoformat(),
    },
)


@world_builder
def _recurring(world: World) -> None:
    from keryx.publishing.models import Occurrence, Recurrence

    post = make_post(world.seminar, world.owner, text="Weekly")
    make_variant(
        post,
        world.objects["account"],
        status=S.SCHEDULED,
        scheduled_at=timezone.now() + dt.timedelta(days=2),
    )
    rule = Recurrence.objects.create(
        workspace=world.workspace,
        post=post,
        every=1,
        unit="week",
        first_at=timezone.now() + dt.timedelta(days=2),
        time_zone="Europe/Athens",
    )
    Occurrence.objects.create(recurrence=rule, index=0, post=post)
    world.objects["recurring_post"] = post


case(
    "recurrence_stop",
    "delete",
    lambda w: f"{W(w)}/posts/{w.objects['recurring_post'].pk}/recurrence",
)
case(
    "relative_time_set",
    "put",
    lambda w: f"{W(w)}/posts/{w.objects['approved'].post_id}/relative-time",
    lambda w: {
        "anchor": "start",
        "direction": "before",
        "amount": 2,
        "unit": "days",
        "at_time": "10:00",
    },
)
case(
    "relative_time_clear",
    "delete",
    lambda w: f"{W(w)}/posts/{w.objects['approved'].post_id}/relative-time",
)
case("pauses_list", "get", lambda w: f"{W(w)}/pauses")
case(
    "pauses_create",
    "post",
    lambda w: f"{W(w)}/pauses",
    lambda w: {"reason": "Sad news in the community"},
)
case("pauses_resume", "post", lambda w: f"{W(w)}/pauses/{w.objects['pause'].pk}/resume")
case("held_list", "get", lambda w: f"{W(w)}/held")
case(
    "posts_import",
    "post",
    lambda w: f"{W(w)}/seminars/{w.seminar.pk}/posts/import",
    lambda w: {
        "csv": "scheduled_at,account,text\n"
        + (timezone.now() + dt.timedelta(days=4)).strftime("%Y-%m-%d %H:%M")
        + ",mastodon:@keryx,Εισαγωγή\n",
        "dry_run": True,
    },
)
case(
    "calendar_export",
    "get",
    lambda w: f"{W(w)}/seminars/{w.seminar.pk}/calendar/export?format=json",
)
case("calendar_feed_get", "get", lambda w: f"{W(w)}/seminars/{w.seminar.pk}/calendar/feed")
case("calendar_feed_rotate", "post", lambda w: f"{W(w)}/seminars/{w.seminar.pk}/calendar/feed")
case("shifts_seen", "post", lambda w: f"{W(w)}/seminars/{w.seminar.pk}/shifts/seen")
case(
    "variants_schedule_planned",
    "post",
    lambda w: f"{W(w)}/seminars/{w.seminar.pk}/schedule-planned",
)
