"""The Calendar area's tools: posting slots and best times, CSV import and export, the
iCalendar feed (and its public, secret address)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.errors import KeryxError
from keryx.publishing import queries
from keryx.publishing.domain import csvio, ical
from keryx.publishing.domain.besttime import best_times
from keryx.publishing.domain.slots import free_slots, slots_replace
from keryx.publishing.enums import WEEKDAYS
from keryx.publishing.forms import ImportForm, SlotsForm
from keryx.publishing.limits import network_label
from keryx.publishing.models import CalendarFeed
from keryx.web.access import area
from keryx.web.forms import apply_error

FEED_RATE = 60  # requests per token per minute


def _slots_initial(account: Any) -> dict[str, Any]:
    rows = list(account.posting_slots.all())
    initial: dict[str, Any] = {
        "time_zone": rows[0].time_zone if rows else account.workspace.default_time_zone
    }
    for day, _label in WEEKDAYS:
        initial[f"day{day}"] = ", ".join(f"{s.local_time:%H:%M}" for s in rows if s.weekday == day)
    return initial


def _heatmap(scores: list[float]) -> list[dict[str, Any]]:
    """Rows per weekday of 48 half-hour cells, for the template."""
    return [
        {
            "label": label,
            "cells": [
                {
                    "score": scores[day * 48 + half],
                    "label": f"{half // 2:02d}:{(half % 2) * 30:02d}",
                }
                for half in range(48)
            ],
        }
        for day, label in WEEKDAYS
    ]


@area(Perm.CONTENT_VIEW, key="calendar")
def slots(request: HttpRequest, access: Access) -> HttpResponse:
    accounts = list(queries.accounts_in(access))
    chosen_id = request.GET.get("account") or request.POST.get("account") or ""
    account = next(
        (a for a in accounts if str(a.pk) == chosen_id), accounts[0] if accounts else None
    )
    form = None
    best = None
    if account is not None:
        form = SlotsForm(request.POST or None, initial=_slots_initial(account))
        if request.method == "POST":
            access.require(Perm.PUBLISH_SCHEDULE)
            if form.is_valid():
                try:
                    slots_replace(
                        access=access,
                        account=account,
                        slots=form.cleaned_data["slots"],
                        time_zone=form.cleaned_data["time_zone"],
                    )
                except KeryxError as exc:
                    apply_error(form, exc)
                else:
                    messages.success(request, _("Posting slots saved."))
                    return redirect(
                        f"{reverse('publishing:slots', kwargs={'workspace': access.workspace.slug})}?account={account.pk}"
                    )
        best = best_times(account)
    zone = zoneinfo.ZoneInfo(best.time_zone) if best else None
    return render(
        request,
        "publishing/slots.html",
        {
            "access": access,
            "accounts": [(a, network_label(a.network)) for a in accounts],
            "account": account,
            "form": form,
            "best": best,
            "heatmap": _heatmap(best.scores) if best else [],
            "suggestions": [s.astimezone(zone) for s in best.suggestions] if best and zone else [],
            "next_free": [s.astimezone(zone) for s in free_slots(account, count=5)]
            if account and zone
            else [],
            "can_schedule": access.can(Perm.PUBLISH_SCHEDULE),
        },
    )


@area(Perm.CONTENT_VIEW, key="calendar")
def import_export(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = queries.seminar_in(access, seminar_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    errors: list[tuple[str, str, str]] = []
    problem = ""
    if request.method == "POST":
        access.require(Perm.PUBLISH_SCHEDULE)
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            data: bytes | str = upload.read() if upload else form.cleaned_data.get("csv_text", "")
            dry_run = request.POST.get("step") != "import"
            try:
                if isinstance(data, bytes):
                    data = csvio._decode(data)
                result = csvio.posts_import(
                    access=access, seminar=seminar, data=data, dry_run=dry_run
                )
            except KeryxError as exc:
                problem = exc.message
                for key, msgs in exc.fields.items():
                    row, _sep, column = key.partition(".")
                    for message in msgs:
                        errors.append((row.replace("rows[", "").rstrip("]"), column or "", message))
            else:
                if not dry_run:
                    messages.success(
                        request,
                        ngettext("%(n)d post imported.", "%(n)d posts imported.", result.created)
                        % {"n": result.created},
                    )
                    return redirect(
                        reverse("publishing:calendar", kwargs={"workspace": access.workspace.slug})
                        + f"?seminar={seminar.pk}"
                    )
                form = ImportForm(initial={"csv_text": data})
    feed = CalendarFeed.objects.filter(seminar=seminar).first()
    return render(
        request,
        "publishing/import_export.html",
        {
            "access": access,
            "seminar": seminar,
            "form": form,
            "result": result,
            "errors": errors,
            "problem": problem,
            "feed_url": ical.feed_url(feed) if feed else "",
            "can_schedule": access.can(Perm.PUBLISH_SCHEDULE),
            "columns": csvio.COLUMNS,
        },
    )


@area(Perm.CONTENT_VIEW, key="calendar")
def export(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = queries.seminar_in(access, seminar_id)
    rows = csvio.export_rows(
        queries.calendar_variants(access, queries.CalendarFilter(seminar_id=seminar.pk)), seminar
    )
    if request.GET.get("format") == "json":
        response = HttpResponse(
            csvio.export_json(rows), content_type="application/json; charset=utf-8"
        )
        name = f"keryx-calendar-{seminar.slug}.json"
    else:
        response = HttpResponse(csvio.export_csv(rows), content_type="text/csv; charset=utf-8")
        name = f"keryx-calendar-{seminar.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@area(Perm.PUBLISH_SCHEDULE, key="calendar")
def feed_rotate(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = queries.seminar_in(access, seminar_id)
    ical.feed_rotate(access=access, seminar=seminar)
    messages.success(request, _("A new calendar address was made; the old one no longer works."))
    return redirect(
        reverse(
            "publishing:import_export",
            kwargs={"workspace": access.workspace.slug, "seminar_id": seminar.pk},
        )
    )


@require_GET
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Public (the token is the secret), rate-limited per token."""
    key = f"publishing:ical:{token[:64]}:{int(dt.datetime.now(dt.UTC).timestamp() // 60)}"
    cache.add(key, 0, timeout=90)
    try:
        hits = cache.incr(key)
    except ValueError:
        hits = 1
    if hits > FEED_RATE:
        response = HttpResponse(
            _("Too many requests. Please wait a minute."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "60"
        return response
    feed = (
        CalendarFeed.objects.select_related("seminar", "seminar__workspace")
        .filter(token=token)
        .first()
    )
    if feed is None:
        raise Http404
    response = HttpResponse(
        ical.feed_calendar(feed.seminar), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{feed.seminar.slug}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
