"""The participant's side: no account, a cookie. ``/j/`` (type the code), ``/j/<code>/`` (the
room on a phone), and the POSTs it makes (ask, upvote, vote, name)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keryx.core.errors import KeryxError, NotFound, RateLimited
from keryx.core.ratelimit import client_ip, rate_limit_hit
from keryx.core.realtime import current_event_id
from keryx.live import queries
from keryx.live.domain.participants import participant_get, participant_join, participant_rename
from keryx.live.domain.polls import poll_vote
from keryx.live.domain.questions import question_ask, question_upvote
from keryx.live.embed import csp_for, stream_embed
from keryx.live.fastpath.guards import participant_token
from keryx.live.models import Participant, Room
from keryx.live.results import room_state
from keryx.live.survey import participant_survey_url, room_survey
from keryx.web.access import raise_http

COOKIE = "kx_live"
COOKIE_AGE = 90 * 24 * 3600


def _room(code: str) -> Room:
    try:
        return queries.room_by_code(code)
    except NotFound as exc:
        raise_http(exc)
        raise


def _cookie_key(request: HttpRequest, room: Room) -> str:
    return request.get_signed_cookie(f"{COOKIE}_{room.seminar_id}", default="", salt=COOKIE) or ""


def _set_cookie(response: HttpResponse, room: Room, participant: Participant) -> None:
    response.set_signed_cookie(
        f"{COOKIE}_{room.seminar_id}",
        participant.key,
        salt=COOKIE,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _error(exc: KeryxError) -> JsonResponse:
    body: dict[str, Any] = {"error": exc.code, "message": str(exc.message), "fields": exc.fields}
    response = JsonResponse(body, status=exc.status)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


def join(request: HttpRequest) -> HttpResponse:
    """``/j/``: a box for the code read off the screen."""
    code = (request.GET.get("code") or "").strip().upper()
    error = ""
    if code:
        try:
            rate_limit_hit(f"live:join:{client_ip(request)}", limit=30, window=60)
            room = queries.room_by_code(code)
            return redirect("live:room", code=room.code)
        except NotFound:
            error = _("No room has this code. Check the code on the screen and try again.")
        except RateLimited:
            error = _("Too many tries. Please wait a minute and try again.")
    return render(
        request, "live/join.html", {"code": code, "error": error}, status=404 if error else 200
    )


def room(request: HttpRequest, code: str) -> HttpResponse:
    room = _room(code)
    if room.code != code:
        return redirect("live:room", code=room.code)
    participant = participant_join(
        seminar=room.seminar, key=_cookie_key(request, room), ticket=request.GET.get("t", "")
    )
    state = room_state(room)
    state["me"] = {
        "name": participant.name,
        "upvoted": _upvoted(participant, room),
        "voted": _voted(participant, room),
        "survey": participant_survey_url(room, participant),
    }
    embed = stream_embed(room.stream_url or room.seminar.stream_url)
    response = render(
        request,
        "live/room.html",
        {
            "room": room,
            "embed": embed,
            "state": state,
            "after": current_event_id(),
            "participant": participant,
            "token": participant_token(participant.key),
            "join_url": request.build_absolute_uri(f"/j/{room.code}/"),
        },
    )
    _set_cookie(response, room, participant)
    if embed is not None:
        response._csp_update = csp_for(embed)  # type: ignore[attr-defined]
    return response


def _upvoted(participant: Participant, room: Room) -> list[int]:
    from keryx.live.models import Upvote

    return list(
        Upvote.objects.filter(participant=participant, question__room=room).values_list(
            "question_id", flat=True
        )
    )


def _voted(participant: Participant, room: Room) -> dict[str, list[Any]]:
    from keryx.live.models import Vote

    mine: dict[str, list[Any]] = {}
    for poll_id, option_id, value, text in Vote.objects.filter(
        participant=participant, poll__room=room
    ).values_list("poll_id", "option_id", "value", "text"):
        mine.setdefault(str(poll_id), []).append(option_id or value or text)
    return mine


def _participant(request: HttpRequest, room: Room) -> Participant:
    participant = participant_get(seminar=room.seminar, key=_cookie_key(request, room))
    if participant is None:
        raise NotFound(_("Open the room's page first."))
    return participant


def _payload(request: HttpRequest) -> dict[str, Any]:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return {k: (v if len(v) > 1 else v[0]) for k, v in request.POST.lists()}


@require_POST
def ask(request: HttpRequest, code: str) -> HttpResponse:
    room = _room(code)
    data = _payload(request)
    try:
        participant = _participant(request, room)
        question = question_ask(
            room=room,
            participant=participant,
            text=str(data.get("text", "")),
            anonymous=str(data.get("anonymous", "")) in {"1", "true", "on", "True"},
        )
    except KeryxError as exc:
        return _error(exc)
    message = (
        _("Thank you! Your question will appear once a moderator approves it.")
        if question.status == "pending"
        else _("Thank you! Your question is on the list.")
    )
    return JsonResponse({"id": question.pk, "status": question.status, "message": message})


@require_POST
def upvote(request: HttpRequest, code: str, question_id: int) -> HttpResponse:
    room = _room(code)
    try:
        participant = _participant(request, room)
        question = queries.shown_question_in_room(room, question_id)
        question = question_upvote(question=question, participant=participant)
    except KeryxError as exc:
        return _error(exc)
    return JsonResponse({"id": question.pk, "upvotes": question.upvotes})


@require_POST
def vote(request: HttpRequest, code: str, poll_id: int) -> HttpResponse:
    room = _room(code)
    data = _payload(request)
    raw_options = data.get("options", data.get("option", []))
    if not isinstance(raw_options, list):
        raw_options = [raw_options]
    try:
        options = [int(o) for o in raw_options if str(o).strip()]
        value = int(data["value"]) if str(data.get("value", "")).strip() else None
    except (TypeError, ValueError):
        return JsonResponse(
            {"error": "invalid", "message": _("This answer is not valid.")}, status=422
        )
    try:
        participant = _participant(request, room)
        poll = queries.poll_in_room(room, poll_id)
        added = poll_vote(
            poll=poll,
            participant=participant,
            options=options,
            value=value,
            text=str(data.get("text", "")),
        )
    except KeryxError as exc:
        return _error(exc)
    return JsonResponse(
        {"poll": poll.pk, "counted": added, "message": _("Thank you! Your answer is counted.")}
    )


@require_POST
def rename(request: HttpRequest, code: str) -> HttpResponse:
    room = _room(code)
    data = _payload(request)
    try:
        participant = participant_rename(
            participant=_participant(request, room), name=str(data.get("name", ""))
        )
    except KeryxError as exc:
        return _error(exc)
    return JsonResponse({"name": participant.name})


def state(request: HttpRequest, code: str) -> HttpResponse:
    """The room as JSON (a page that fell far behind redraws from this)."""
    room = _room(code)
    return JsonResponse({"state": room_state(room), "after": current_event_id()})


def qr(request: HttpRequest, code: str) -> HttpResponse:
    import io

    import segno

    room = _room(code)
    image = segno.make(request.build_absolute_uri(f"/j/{room.code}/"), error="m")
    out = io.BytesIO()
    image.save(out, kind="svg", scale=8, border=2)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def survey_qr(request: HttpRequest, code: str) -> HttpResponse:
    """The QR code of the room's feedback survey (the presenter screen shows it)."""
    import io

    import segno
    from django.http import Http404

    room = _room(code)
    survey = room_survey(room, always=True)
    if survey is None:
        raise Http404()
    image = segno.make(request.build_absolute_uri(survey["url"]), error="m")
    out = io.BytesIO()
    image.save(out, kind="svg", scale=8, border=2)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-cache"
    return response
