"""The Calendar area: the calendar, a variant's publishing page, the pause and what it held."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.content.enums import CampaignPhase, Theme, VariantStatus
from keryx.core.errors import KeryxError
from keryx.core.timezones import aware_in
from keryx.publishing import queries
from keryx.publishing.calendar import (
    NETWORK_COLOURS,
    STATE_COLOURS,
    state_label,
    state_of,
    valid_zone,
    wall,
)
from keryx.publishing.domain import pause as pause_domain
from keryx.publishing.domain import recurrence, relative, schedule, schedule_all
from keryx.publishing.domain.claim import active_pause
from keryx.publishing.forms import (
    PauseForm,
    RecurrenceForm,
    RelativeForm,
    ReleaseForm,
    ScheduleAllForm,
    ScheduleForm,
    SettleForm,
)
from keryx.publishing.limits import network_label
from keryx.publishing.models import Recurrence, RelativeTime
from keryx.seminars.models import Seminar
from keryx.web.access import area
from keryx.web.forms import apply_error

S = VariantStatus
STATES = [
    S.DRAFT,
    S.APPROVED,
    S.SCHEDULED,
    "held",
    S.PUBLISHING,
    S.PUBLISHED,
    S.FAILED,
    S.UNCONFIRMED,
]


def _seminar_choice(request: HttpRequest, access: Access) -> tuple[Seminar | None, list[Seminar]]:
    seminars = list(queries.seminars_in(access))
    raw = request.GET.get("seminar") or request.POST.get("seminar") or ""
    chosen = next((s for s in seminars if str(s.pk) == raw), None)
    return chosen, seminars


def _zone(request: HttpRequest, access: Access, seminar: Seminar | None) -> tuple[str, str]:
    """The zone to show times in, and which one it is ("seminar" or "mine")."""
    base = seminar.time_zone if seminar else access.workspace.default_time_zone
    mine = getattr(request.user, "time_zone", "") or ""
    if request.GET.get("tz") == "mine" and mine:
        return valid_zone(mine, base), "mine"
    return base, "seminar"


def _calendar_url(access: Access, seminar_id: int | None = None, **extra: Any) -> str:
    base = reverse("publishing:calendar", kwargs={"workspace": access.workspace.slug})
    params = {"seminar": seminar_id, **extra} if seminar_id else extra
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


@area(Perm.CONTENT_VIEW, key="calendar")
def calendar(request: HttpRequest, access: Access) -> HttpResponse:
    seminar, seminars = _seminar_choice(request, access)
    zone, zone_kind = _zone(request, access, seminar)
    accounts = list(queries.accounts_in(access))
    networks = sorted({a.network for a in accounts})
    filters = {
        "network": request.GET.get("network", ""),
        "state": request.GET.get("state", ""),
        "phase": request.GET.get("phase", ""),
        "theme": request.GET.get("theme", ""),
        "author": request.GET.get("author", ""),
    }
    events_url = reverse("api:calendar_events", kwargs={"workspace": access.workspace.slug})
    params = {
        "tz": zone,
        **({"seminar": seminar.pk} if seminar else {}),
        **{k: v for k, v in filters.items() if v},
    }
    pauses = queries.active_pauses_for(access, seminar)
    held = queries.held_in(access, seminar.pk if seminar else None)
    authors = queries.post_authors_in(access)
    focus_id = request.GET.get("variant", "")
    focus = queries.variants_in(access).filter(pk=focus_id).first() if focus_id.isdigit() else None
    focus_at = (focus.scheduled_at or focus.published_at) if focus else None
    return render(
        request,
        "publishing/calendar.html",
        {
            "access": access,
            "seminar": seminar,
            "seminars": seminars,
            "zone": zone,
            "zone_kind": zone_kind,
            "my_zone": getattr(request.user, "time_zone", "") or "",
            "events_url": f"{events_url}?{urlencode(params)}",
            "schedule_url": reverse(
                "api:variants_schedule",
                kwargs={"workspace": access.workspace.slug, "variant_id": 0},
            ),
            "detail_url": reverse(
                "publishing:variant", kwargs={"workspace": access.workspace.slug, "variant_id": 0}
            ),
            "networks": [
                (n, network_label(n), NETWORK_COLOURS.get(n, "#475569")) for n in networks
            ],
            "states": [(s, state_label(s), STATE_COLOURS.get(s, "#475569")) for s in STATES],
            "phases": CampaignPhase.choices,
            "themes": Theme.choices,
            "planned_count": queries.planned_in(access, seminar.pk).count() if seminar else 0,
            "authors": authors,
            "filters": filters,
            "filters_active": sum(1 for value in filters.values() if value),
            "pauses": pauses,
            "held_count": held.count(),
            "shifts": queries.shifts_unseen(access, seminar) if seminar else [],
            "pause_form": PauseForm(
                seminars=[(s.pk, s.title) for s in seminars],
                initial={"seminar": seminar.pk if seminar else None},
            ),
            "can_schedule": access.can(Perm.PUBLISH_SCHEDULE),
            "can_pause": access.can(Perm.PUBLISH_PAUSE),
            "initial_date": wall(focus_at, zone)[:10] if focus_at else "",
        },
    )


@require_POST
@area(Perm.PUBLISH_PAUSE, key="calendar")
def pause_start(request: HttpRequest, access: Access) -> HttpResponse:
    _seminar, seminars = _seminar_choice(request, access)
    form = PauseForm(request.POST, seminars=[(s.pk, s.title) for s in seminars])
    chosen = None
    if form.is_valid():
        chosen = next((s for s in seminars if s.pk == form.cleaned_data["seminar"]), None)
        try:
            pause_domain.pause_start(
                access=access, reason=form.cleaned_data["reason"], seminar=chosen
            )
        except KeryxError as exc:
            messages.error(
                request, " ".join([exc.message, *[m for ms in exc.fields.values() for m in ms]])
            )
        else:
            messages.warning(
                request, _("Publishing is paused. Due posts will be held until you resume.")
            )
    else:
        messages.error(request, _("Give a reason for the pause."))
    return redirect(_calendar_url(access, chosen.pk if chosen else None))


@require_POST
@area(Perm.PUBLISH_PAUSE, key="calendar")
def pause_resume(request: HttpRequest, access: Access, pause_id: int) -> HttpResponse:
    try:
        item = pause_domain.pause_resume(access=access, pause_id=pause_id)
    except KeryxError as exc:
        messages.error(request, exc.message)
        return redirect(_calendar_url(access))
    messages.success(
        request, _("Publishing resumed. Decide below what happens to each post the pause held.")
    )
    url = reverse("publishing:held", kwargs={"workspace": access.workspace.slug})
    return redirect(f"{url}?pause={item.pk}")


@area(Perm.CONTENT_VIEW, key="calendar")
def held(request: HttpRequest, access: Access) -> HttpResponse:
    seminar_id = request.GET.get("seminar")
    items = list(
        queries.held_in(access, int(seminar_id) if seminar_id and seminar_id.isdigit() else None)
    )
    pause_id = request.GET.get("pause", "")
    pause = queries.pauses_in(access).filter(pk=pause_id).first() if pause_id.isdigit() else None
    return render(
        request,
        "publishing/held.html",
        {
            "access": access,
            "items": items,
            "pause": pause,
            "active": queries.pauses_in(access, active=True),
            "can_schedule": access.can(Perm.PUBLISH_SCHEDULE),
        },
    )


@require_POST
@area(Perm.PUBLISH_SCHEDULE, key="calendar")
def held_decide(request: HttpRequest, access: Access, variant_id: int) -> HttpResponse:
    variant = queries.variant_in(access, variant_id)
    form = ReleaseForm(request.POST)
    url = reverse("publishing:held", kwargs={"workspace": access.workspace.slug})
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the post."))
        return redirect(url)
    when = aware_in(form.cleaned_data.get("scheduled_at"), variant.post.seminar.time_zone)
    try:
        schedule.held_release(
            access=access, variant_id=variant.pk, action=form.cleaned_data["action"], when=when
        )
    except KeryxError as exc:
        messages.error(
            request, " ".join([exc.message, *[m for ms in exc.fields.values() for m in ms]])
        )
    else:
        done = {
            "publish": _("Sent for publishing now."),
            "reschedule": _("Rescheduled."),
            "drop": _("Taken off the schedule; it stays approved."),
        }[form.cleaned_data["action"]]
        messages.success(request, f"{variant.post}: {done}")
    return redirect(url)


def _variant_context(
    request: HttpRequest, access: Access, variant_id: int, **forms: Any
) -> dict[str, Any]:
    variant = queries.variant_in(access, variant_id)
    seminar = variant.post.seminar
    return {
        "access": access,
        "variant": variant,
        "seminar": seminar,
        "state": state_of(variant),
        "state_label": state_label(state_of(variant)),
        "network": network_label(variant.network),
        "attempts": queries.attempts_of(variant)[:50],
        "relative": RelativeTime.objects.filter(post=variant.post).first(),
        "recurrence": Recurrence.objects.filter(post=variant.post).first(),
        "can_schedule": access.can(Perm.PUBLISH_SCHEDULE),
        "schedule_form": forms.get("schedule_form") or ScheduleForm(),
        "relative_form": forms.get("relative_form") or RelativeForm(),
        "recurrence_form": forms.get("recurrence_form") or RecurrenceForm(),
        "settle_form": SettleForm(),
        "calendar_url": _calendar_url(access, seminar.pk, variant=variant.pk),
    }


@area(Perm.CONTENT_VIEW, key="calendar")
def variant_page(request: HttpRequest, access: Access, variant_id: int) -> HttpResponse:
    return render(request, "publishing/variant.html", _variant_context(request, access, variant_id))


ACTIONS = {
    "share_now": (schedule.variant_share_now, gettext_lazy("Sent for publishing now.")),
    "queue": (
        schedule.variant_add_to_queue,
        gettext_lazy("Added to the queue, in the next free slot."),
    ),
    "share_next": (schedule.variant_share_next, gettext_lazy("Moved to the front of the queue.")),
    "unschedule": (
        schedule.variant_unschedule,
        gettext_lazy("Taken off the schedule; it stays approved."),
    ),
}


@require_POST
@area(Perm.PUBLISH_SCHEDULE, key="calendar")
def variant_action(request: HttpRequest, access: Access, variant_id: int) -> HttpResponse:
    variant = queries.variant_in(access, variant_id)
    zone = variant.post.seminar.time_zone
    action = request.POST.get("action", "")
    here = reverse(
        "publishing:variant", kwargs={"workspace": access.workspace.slug, "variant_id": variant.pk}
    )
    forms: dict[str, Any] = {}
    try:
        if action in ACTIONS:
            func, done = ACTIONS[action]
            func(access=access, variant_id=variant.pk)
            if action == "share_now" and active_pause(access.workspace.pk, variant.post.seminar_id):
                messages.warning(
                    request,
                    _(
                        "Publishing is paused, so this post is held: it goes out when "
                        "publishing resumes, unless you decide otherwise then."
                    ),
                )
            else:
                messages.success(request, str(done))
            return redirect(here)
        if action == "schedule":
            form = forms["schedule_form"] = ScheduleForm(request.POST)
            if form.is_valid():
                when = aware_in(form.cleaned_data["scheduled_at"], zone)
                assert when is not None
                schedule.variant_schedule(access=access, variant_id=variant.pk, when=when)
                messages.success(request, _("Scheduled."))
                return redirect(here)
        elif action == "relative":
            relative_form = forms["relative_form"] = RelativeForm(request.POST)
            if relative_form.is_valid():
                relative.relative_set(
                    access=access, post_id=variant.post_id, **relative_form.cleaned_data
                )
                messages.success(
                    request, _("Timed from the seminar; it will follow if the seminar moves.")
                )
                return redirect(here)
        elif action == "recurrence":
            recurrence_form = forms["recurrence_form"] = RecurrenceForm(request.POST)
            if recurrence_form.is_valid():
                recurrence.recurrence_set(
                    access=access, post_id=variant.post_id, **recurrence_form.cleaned_data
                )
                messages.success(request, _("The post will repeat."))
                return redirect(here)
        elif action == "recurrence_stop":
            removed = recurrence.recurrence_stop(access=access, post_id=variant.post_id)
            messages.success(
                request,
                ngettext(
                    "It no longer repeats; %(n)d future repetition removed.",
                    "It no longer repeats; %(n)d future repetitions removed.",
                    removed,
                )
                % {"n": removed},
            )
            return redirect(here)
        elif action == "settle":
            settle_form = SettleForm(request.POST)
            if settle_form.is_valid():
                schedule.variant_settle(
                    access=access, variant_id=variant.pk, **settle_form.cleaned_data
                )
                messages.success(request, _("Settled."))
                return redirect(here)
        else:
            messages.error(request, _("Unknown action."))
            return redirect(here)
    except KeryxError as exc:
        target = next((f for f in forms.values() if f is not None), None)
        if target is not None:
            apply_error(target, exc)
        else:
            messages.error(
                request, " ".join([exc.message, *[m for ms in exc.fields.values() for m in ms]])
            )
            return redirect(here)
    return render(
        request,
        "publishing/variant.html",
        _variant_context(request, access, variant.pk, **forms),
        status=422,
    )


@require_POST
@area(Perm.PUBLISH_SCHEDULE, key="compose")
def post_schedule_all(request: HttpRequest, access: Access, post_id: int) -> HttpResponse:
    """The composer's one control for every network: same time, next slots or best times."""
    post = queries.post_in(access, post_id)
    back = (
        reverse("content:edit", kwargs={"workspace": access.workspace.slug, "post_id": post.pk})
        + "#publishing"
    )
    form = ScheduleAllForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how to schedule."))
        return redirect(back)
    try:
        done = schedule_all.post_schedule_all(
            access=access,
            post_id=post.pk,
            mode=form.cleaned_data["mode"],
            when=aware_in(form.cleaned_data["scheduled_at"], post.seminar.time_zone),
        )
    except KeryxError as exc:
        messages.error(
            request, " ".join([exc.message, *[m for ms in exc.fields.values() for m in ms]])
        )
    else:
        messages.success(
            request,
            ngettext(
                "%(n)d network version is on the schedule.",
                "%(n)d network versions are on the schedule.",
                len(done),
            )
            % {"n": len(done)},
        )
    return redirect(back)


@require_POST
@area(Perm.CONTENT_VIEW, key="calendar")
def shifts_seen(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = queries.seminar_in(access, seminar_id)
    relative.shifts_seen(access=access, seminar_id=seminar.pk)
    return redirect(_calendar_url(access, seminar.pk))


@require_POST
@area(Perm.PUBLISH_SCHEDULE, key="calendar")
def schedule_planned(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = queries.seminar_in(access, seminar_id)
    try:
        result = schedule.planned_schedule(access=access, seminar_id=seminar.pk)
    except KeryxError as exc:
        messages.error(
            request, " ".join([exc.message, *[m for ms in exc.fields.values() for m in ms]])
        )
    else:
        messages.success(
            request,
            ngettext(
                "%(n)d post scheduled at its planned time.",
                "%(n)d posts scheduled at their planned times.",
                len(result.scheduled),
            )
            % {"n": len(result.scheduled)},
        )
        if result.passed:
            messages.warning(
                request,
                ngettext(
                    "%(n)d planned time has passed; give that post a new time.",
                    "%(n)d planned times have passed; give those posts new times.",
                    len(result.passed),
                )
                % {"n": len(result.passed)},
            )
    return redirect(_calendar_url(access, seminar.pk))
