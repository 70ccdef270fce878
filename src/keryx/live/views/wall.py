"""The social wall: the moderation queue (moderator role and above; viewers and analysts 403,
outsiders 404) and the standalone display (public by its secret key, approved items only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.errors import KeryxError, NotFound, RateLimited
from keryx.core.ratelimit import client_ip, rate_limit_hit
from keryx.core.realtime import current_event_id
from keryx.live import wall_queries as queries
from keryx.live.domain.wall import (
    item_public,
    network_label,
    wall_display_key_renew,
    wall_item_moderate,
    wall_open,
    wall_settings_save,
    wall_state,
)
from keryx.live.models import Wall
from keryx.web.access import area, raise_http

KEY = "live"
DISPLAY_LIMIT = (120, 60)  # display page and state loads per address per minute


def _wall(access: Access, seminar_id: int) -> Wall:
    try:
        seminar = queries.wall_seminar_in(access, seminar_id)
        return wall_open(access=access, seminar=seminar)
    except KeryxError as exc:
        raise_http(exc)
        raise


def _error(exc: KeryxError) -> JsonResponse:
    return JsonResponse(
        {"error": exc.code, "message": str(exc.message), "fields": exc.fields}, status=exc.status
    )


@area(Perm.LIVE_MODERATE, key=KEY)
def page(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    """The moderation queue, the wall's rules, its sources and their quotas."""
    wall = _wall(access, seminar_id)
    return render(
        request,
        "live/wall_moderate.html",
        {
            "access": access,
            "wall": wall,
            "seminar": wall.seminar,
            "counts": queries.wall_counts(wall),
            "sources": queries.search_status(wall),
            "display_url": request.build_absolute_uri(f"/wall/{wall.display_key}/"),
            "after": current_event_id(),
        },
    )


@area(Perm.LIVE_MODERATE, key=KEY)
def data(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    wall = _wall(access, seminar_id)
    show = request.GET.get("show", "pending")
    if show not in queries.FILTERS:
        show = "pending"
    items = [
        {
            "id": i.pk,
            "status": i.status,
            "source": i.source,
            "network_name": network_label(i),
            "name": i.author_name,
            "handle": i.author_handle,
            "text": i.text,
            "url": i.url,
            "reason": i.reason,
            "written": i.written_at.isoformat(),
        }
        for i in queries.items_for_moderator(wall, show=show)[:200]
    ]
    return JsonResponse({"items": items, "counts": queries.wall_counts(wall)})


@require_POST
@area(Perm.LIVE_MODERATE, key=KEY)
def item(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    wall = _wall(access, seminar_id)
    try:
        found = queries.item_in_wall(wall, int(request.POST.get("item") or 0))
        found = wall_item_moderate(access=access, item=found, action=request.POST.get("action", ""))
    except ValueError:
        return _error(NotFound())
    except KeryxError as exc:
        return _error(exc)
    return JsonResponse({"ok": True, "item": item_public(found)})


@require_POST
@area(Perm.LIVE_MODERATE, key=KEY)
def settings(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    wall = _wall(access, seminar_id)
    wall_settings_save(
        access=access,
        wall=wall,
        premoderation=request.POST.get("premoderation") == "on",
        search_networks=request.POST.get("search_networks") == "on",
        trusted_authors=request.POST.get("trusted_authors", ""),
        blocked_words=request.POST.get("blocked_words", ""),
    )
    return redirect("live:wall", workspace=access.workspace.slug, seminar_id=seminar_id)


@require_POST
@area(Perm.LIVE_MODERATE, key=KEY)
def collect(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    """“Look now”: the sweep for this wall, queued (the networks are read by the worker)."""
    from django.contrib import messages
    from django.utils.translation import gettext as _

    from keryx.live.tasks import wall_collect_now

    wall = _wall(access, seminar_id)
    wall_collect_now(wall.pk)
    messages.info(request, _("Looking for new posts now; they appear here as they arrive."))
    return redirect("live:wall", workspace=access.workspace.slug, seminar_id=seminar_id)


@require_POST
@area(Perm.LIVE_MODERATE, key=KEY)
def renew_key(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    wall = _wall(access, seminar_id)
    wall_display_key_renew(access=access, wall=wall)
    return redirect("live:wall", workspace=access.workspace.slug, seminar_id=seminar_id)


# --- the standalone display (public: whoever has the address sees the approved items) --------


def _display_wall(request: HttpRequest, token: str) -> Wall:
    try:
        rate_limit_hit(f"live:wall:{client_ip(request)}", limit=DISPLAY_LIMIT[0], window=60)
        return queries.wall_by_key(token)
    except RateLimited:
        raise
    except KeryxError as exc:
        raise_http(exc)
        raise


def display(request: HttpRequest, token: str) -> HttpResponse:
    try:
        wall = _display_wall(request, token)
    except RateLimited as exc:
        response = HttpResponse(status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    return render(
        request,
        "live/wall_display.html",
        {
            "wall": wall,
            "seminar": wall.seminar,
            "state": wall_state(wall),
            "after": current_event_id(),
        },
    )


def display_state(request: HttpRequest, token: str) -> HttpResponse:
    """The wall as JSON (a display that fell far behind redraws from this)."""
    try:
        wall = _display_wall(request, token)
    except RateLimited as exc:
        return _error(exc)
    return JsonResponse({"state": wall_state(wall), "after": current_event_id()})
