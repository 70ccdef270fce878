"""The moderator's side (moderator role and above): rooms, the control page, the presenter
screen, exports. Viewers and analysts are refused (403), outsiders see nothing (404)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.errors import KeryxError, NotFound
from keryx.core.realtime import current_event_id
from keryx.live import queries
from keryx.live.domain.exports import room_export
from keryx.live.domain.polls import poll_create, poll_set_status, room_show
from keryx.live.domain.questions import question_moderate
from keryx.live.domain.rooms import room_archive, room_open, room_settings_save
from keryx.live.enums import Moderation, PollKind, Showing
from keryx.live.models import Poll
from keryx.live.results import poll_public
from keryx.seminars.models import Session
from keryx.seminars.queries import seminar_in, seminars_in
from keryx.web.access import area, raise_http

KEY = "live"


def _error(exc: KeryxError) -> JsonResponse:
    return JsonResponse(
        {"error": exc.code, "message": str(exc.message), "fields": exc.fields}, status=exc.status
    )


@area(Perm.LIVE_MODERATE, key=KEY)
def home(request: HttpRequest, access: Access) -> HttpResponse:
    """Every seminar with its room and its sessions' rooms; open one."""
    if request.method == "POST":
        try:
            seminar = seminar_in(access, int(request.POST.get("seminar", "0")))
            session = None
            if request.POST.get("session"):
                session = Session.objects.filter(
                    seminar=seminar, pk=int(request.POST["session"])
                ).first()
                if session is None:
                    raise NotFound()
            room = room_open(access=access, seminar=seminar, session=session)
        except (KeryxError, ValueError) as exc:
            if isinstance(exc, KeryxError):
                raise_http(exc)
            raise NotFound() from exc
        return redirect("live:control", workspace=access.workspace.slug, room_id=room.pk)
    seminars = list(seminars_in(access).prefetch_related("sessions"))
    rooms = {(r.seminar_id, r.session_id): r for r in queries.rooms_in(access)}
    rows = [
        {
            "seminar": s,
            "room": rooms.get((s.pk, None)),
            "sessions": [(x, rooms.get((s.pk, x.pk))) for x in s.sessions.all()],
        }
        for s in seminars
    ]
    return render(request, "live/home.html", {"access": access, "rows": rows})


def _room(access: Access, room_id: int):  # type: ignore[no-untyped-def]
    try:
        return queries.room_in(access, room_id)
    except KeryxError as exc:
        raise_http(exc)
        raise


@area(Perm.LIVE_MODERATE, key=KEY)
def control(request: HttpRequest, access: Access, room_id: int) -> HttpResponse:
    room = _room(access, room_id)
    return render(
        request,
        "live/control.html",
        {
            "access": access,
            "room": room,
            "after": current_event_id(),
            "kinds": PollKind.choices,
            "showings": Showing.choices,
            "moderations": Moderation.choices,
            "join_url": request.build_absolute_uri(f"/j/{room.code}/"),
            "can_announce": access.can(Perm.CONTENT_EDIT),
        },
    )


def moderator_state(room: Any, order: str = "popular") -> dict[str, Any]:
    questions = [
        {
            "id": q.pk,
            "text": q.text,
            "name": q.author_name,
            "status": q.status,
            "upvotes": q.upvotes,
            "answered": q.answered,
            "pinned": q.pinned,
            "reply": q.reply,
            "created": q.created_at.isoformat(),
        }
        for q in queries.questions_for_moderator(room, order=order)
    ]
    polls = [
        poll_public(p, with_results=True)
        for p in Poll.objects.filter(room=room).prefetch_related("options")
    ]
    return {
        "questions": questions,
        "polls": polls,
        "showing": room.showing,
        "showing_poll": room.showing_poll_id,
        "archived": room.archived_at is not None,
    }


@area(Perm.LIVE_MODERATE, key=KEY)
def moderator_data(request: HttpRequest, access: Access, room_id: int) -> HttpResponse:
    room = _room(access, room_id)
    order = "recent" if request.GET.get("order") == "recent" else "popular"
    return JsonResponse(moderator_state(room, order))


@require_POST
@area(Perm.LIVE_MODERATE, key=KEY)
def question_action(
    request: HttpRequest, access: Access, room_id: int, question_id: int
) -> HttpResponse:
    room = _room(access, room_id)
    try:
        question = queries.question_in_room(room, question_id)
        question_moderate(
            access=access,
            question=question,
            action=request.POST.get("action", ""),
            text=request.POST.get("text", ""),
        )
    except KeryxError as exc:
        return _error(exc)
    return JsonResponse({"ok": True})


@require_POST
@area(Perm.LIVE_MODERATE, key=KEY)
def poll_new(request: HttpRequest, access: Access, room_id: int) -> HttpResponse:
    room = _room(access, room_id)
    options = [line for line in request.POST.get("options", "").splitlines() if line.strip()]
    correct = []
    for n, line in enumerate(options):
        if line.strip().startswith("*"):
            correct.append(n)
    options = [line.strip().lstrip("*").strip() for line in options]
    try:
        poll = poll_create(
            access=access,
            room=room,
            kind=request.POST.get("kind", ""),
            question=request.POST.get("question", ""),
            options=options,
            correct=correct,
        )
    except KeryxError as exc:
        return _error(exc)
    return JsonResponse({"id": poll.pk})


@require_POST
@area(Perm.LIVE_MODERATE, key=KEY)
def poll_action(request: HttpRequest, access: Access, room_id: int, poll_id: int) -> HttpResponse:
    room = _room(access, room_id)
    try:
        poll = queries.poll_in_room(room, poll_id)
        poll_set_status(access=access, poll=poll, action=request.POST.get("action", ""))
    except KeryxError as exc:
        return _error(exc)
    return JsonResponse({"ok": True})


@require_POST
@area(Perm.LIVE_MODERATE, key=KEY)
def show(request: HttpRequest, access: Access, room_id: int) -> HttpResponse:
    room = _room(access, room_id)
    try:
        poll = None
        if request.POST.get("poll"):
            poll = queries.poll_in_room(room, int(request.POST["poll"]))
        room_show(access=access, room=room, showing=request.POST.get("showing", ""), poll=poll)
    except (KeryxError, ValueError) as exc:
        return _error(exc if isinstance(exc, KeryxError) else NotFound())
    return JsonResponse({"ok": True})


@require_POST
@area(Perm.LIVE_MODERATE, key=KEY)
def room_settings(request: HttpRequest, access: Access, room_id: int) -> HttpResponse:
    room = _room(access, room_id)
    try:
        room_settings_save(
            access=access,
            room=room,
            anonymous_questions=request.POST.get("anonymous_questions") == "on",
            moderation=request.POST.get("moderation", ""),
            max_question_length=int(request.POST.get("max_question_length") or 300),
            blocked_words=request.POST.get("blocked_words", ""),
            stream_url=request.POST.get("stream_url", ""),
        )
    except (KeryxError, ValueError) as exc:
        return _error(exc if isinstance(exc, KeryxError) else NotFound())
    return redirect("live:control", workspace=access.workspace.slug, room_id=room.pk)


@require_POST
@area(Perm.LIVE_MODERATE, key=KEY)
def archive(request: HttpRequest, access: Access, room_id: int) -> HttpResponse:
    room = _room(access, room_id)
    room_archive(access=access, room=room, archived=request.POST.get("archived", "1") == "1")
    return redirect("live:control", workspace=access.workspace.slug, room_id=room.pk)


@require_POST
@area(Perm.LIVE_MODERATE, key=KEY)
def announce(request: HttpRequest, access: Access, room_id: int) -> HttpResponse:
    """“We are live”: one post per connected network, once (see live.domain.announce)."""
    from django.contrib import messages

    from keryx.content.enums import PostStatus
    from keryx.live.domain.announce import room_announce_live

    room = _room(access, room_id)
    try:
        post = room_announce_live(access=access, room=room)
    except KeryxError as exc:
        messages.error(request, str(exc.message))
    else:
        if post.status == PostStatus.APPROVED:
            messages.success(request, _("The “We are live” post is being published."))
        else:
            messages.info(request, _("The “We are live” post is waiting for approval."))
    return redirect("live:control", workspace=access.workspace.slug, room_id=room.pk)


@area(Perm.LIVE_MODERATE, key=KEY)
def screen(request: HttpRequest, access: Access, room_id: int) -> HttpResponse:
    """The presenter screen: full screen, large type, the code and QR always visible."""
    from keryx.live.domain.wall import wall_open, wall_state
    from keryx.live.results import room_state

    room = _room(access, room_id)
    wall = wall_open(access=access, seminar=room.seminar)  # the "Social wall" mode
    return render(
        request,
        "live/screen.html",
        {
            "room": room,
            "wall": wall,
            "wall_state": wall_state(wall),
            "state": room_state(room),
            "after": current_event_id(),
            "join_url": request.build_absolute_uri(f"/j/{room.code}/"),
        },
    )


@area(Perm.LIVE_MODERATE, key=KEY)
def export(request: HttpRequest, access: Access, room_id: int, what: str, fmt: str) -> HttpResponse:
    room = _room(access, room_id)
    if what not in {"questions", "votes"} or fmt not in {"csv", "xlsx"}:
        raise Http404()
    data = room_export(access=access, room=room, what=what, fmt=fmt)
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if fmt == "xlsx"
        else "text/csv; charset=utf-8"
    )
    response = HttpResponse(data, content_type=content_type)
    name = {"questions": _("questions"), "votes": _("poll-answers")}[what]
    response["Content-Disposition"] = f'attachment; filename="{room.code}-{name}.{fmt}"'
    return response
