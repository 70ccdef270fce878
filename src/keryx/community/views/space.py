"""The attendees' pages under ``/c/<code>/``: asking for a link, entering by it, and — with
the community's own cookie — materials, the Q&A archive, announcements and discussions."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from keryx.community import queries
from keryx.community.domain import members, threads
from keryx.community.models import Community, Member
from keryx.community.views.staff import file_response
from keryx.core.errors import Conflict, KeryxError, NotFound, RateLimited, ValidationFailed
from keryx.core.ratelimit import client_ip, rate_limit_hit


def _language(request: HttpRequest, member: Member | None) -> str:
    lang = request.GET.get("lang") or (member.language if member else "")
    if lang not in ("el", "en"):
        lang = (translation.get_language() or "el")[:2]
    translation.activate(lang)
    request.LANGUAGE_CODE = lang
    return lang


def _community(code: str) -> Community:
    try:
        return queries.community_by_code(code)
    except NotFound as exc:
        raise Http404() from exc


def _too_many(request: HttpRequest, community: Community, exc: RateLimited) -> HttpResponse:
    response = render(
        request,
        "community/space/message.html",
        {
            "community": community,
            "title": community.seminar.title,
            "message": _("Too many tries from your network. Try again in a few minutes."),
        },
        status=429,
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


def _cookie_path(community: Community) -> str:
    return f"/c/{community.code}/"


MemberView = Callable[..., HttpResponse]


def with_member(view: MemberView) -> Callable[..., HttpResponse]:
    """The member behind the community's cookie, or the page to ask for a link."""

    @never_cache
    @wraps(view)
    def wrapper(request: HttpRequest, code: str, *args: Any, **kwargs: Any) -> HttpResponse:
        community = _community(code)
        member = members.member_from_cookie(community, request.COOKIES.get(members.COOKIE))
        _language(request, member)
        if member is None:
            response = _enter_page(
                request, community, status=200 if not args and not kwargs else 403
            )
            if request.COOKIES.get(members.COOKIE):
                response.delete_cookie(members.COOKIE, path=_cookie_path(community))
            return response
        request.keryx_member = member  # type: ignore[attr-defined]
        return view(request, community, member, *args, **kwargs)

    return wrapper


def _enter_page(
    request: HttpRequest,
    community: Community,
    *,
    status: int = 200,
    note: str = "",
    email: str = "",
) -> HttpResponse:
    return render(
        request,
        "community/space/enter.html",
        {
            "community": community,
            "title": community.seminar.title,
            "note": note,
            "email": email,
            "closed": not community.is_open,
        },
        status=status,
    )


@never_cache
def link_request(request: HttpRequest, code: str) -> HttpResponse:
    community = _community(code)
    _language(request, None)
    if request.method != "POST":
        return redirect("community:space", code=community.code)
    email = request.POST.get("email", "").strip()[:254]
    try:
        rate_limit_hit(f"community.link:{client_ip(request)}", limit=10, window=600)
        rate_limit_hit(f"community.link.email:{email.casefold()}", limit=3, window=3600)
    except RateLimited as exc:
        return _too_many(request, community, exc)
    if "@" not in email:
        return _enter_page(
            request,
            community,
            status=422,
            note=_("Enter the e-mail address you registered with."),
            email=email,
        )
    members.link_request(community=community, email=email)
    return render(
        request,
        "community/space/message.html",
        {
            "community": community,
            "title": community.seminar.title,
            "message": _(
                "If this address is registered for the seminar, a link to enter is on its way. "
                "Check your inbox (and the spam folder)."
            ),
        },
    )


@never_cache
def enter(request: HttpRequest, code: str, token: str) -> HttpResponse:
    community = _community(code)
    _language(request, None)
    try:
        rate_limit_hit(f"community.enter:{client_ip(request)}", limit=30, window=600)
    except RateLimited as exc:
        return _too_many(request, community, exc)
    member = members.member_from_link(community, token)
    if member is None:
        return _enter_page(
            request,
            community,
            status=403,
            note=_(
                "This link does not work any more: it has expired or was withdrawn. Ask for a new one below."
            ),
        )
    members.member_enter(member)
    response = redirect("community:space", code=community.code)
    response.set_cookie(
        members.COOKIE,
        members.cookie_value(member),
        max_age=members.session_days() * 86400,
        path=_cookie_path(community),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@require_POST
def leave(request: HttpRequest, code: str) -> HttpResponse:
    community = _community(code)
    response = redirect("community:space", code=community.code)
    response.delete_cookie(members.COOKIE, path=_cookie_path(community))
    return response


def _home(
    request: HttpRequest,
    community: Community,
    member: Member,
    *,
    errors: dict[str, list[str]] | None = None,
    kept: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "community/space/home.html",
        {
            "community": community,
            "member": member,
            "title": community.seminar.title,
            "seminar": community.seminar,
            "announcements": queries.announcements_of(community)[:10],
            "materials": queries.materials_of(community),
            "threads": queries.threads_of(community, staff=False)[:50],
            "qa_count": len(queries.qa_archive(community)),
            "errors": errors or {},
            "kept": kept or {},
        },
        status=status,
    )


@with_member
def space(request: HttpRequest, community: Community, member: Member) -> HttpResponse:
    members.member_enter(member)
    return _home(request, community, member)


@require_POST
@with_member
def thread_new(request: HttpRequest, community: Community, member: Member) -> HttpResponse:
    title, body = request.POST.get("title", ""), request.POST.get("body", "")
    try:
        thread = threads.thread_start(community=community, title=title, body=body, member=member)
    except RateLimited as exc:
        return _too_many(request, community, exc)
    except ValidationFailed as exc:
        return _home(
            request,
            community,
            member,
            errors=exc.fields,
            kept={"title": title, "body": body},
            status=422,
        )
    return redirect("community:space_thread", code=community.code, thread_id=thread.pk)


@with_member
def thread(
    request: HttpRequest, community: Community, member: Member, thread_id: int
) -> HttpResponse:
    try:
        found = queries.thread_in(community, thread_id, staff=False)
    except NotFound as exc:
        raise Http404() from exc
    errors: dict[str, list[str]] = {}
    body = ""
    status = 200
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            threads.reply_add(thread=found, body=body, member=member)
        except RateLimited as exc:
            return _too_many(request, community, exc)
        except ValidationFailed as exc:
            errors, status = exc.fields, 422
        except (Conflict, KeryxError) as exc:
            errors, status = {"body": [exc.message]}, 409
            found.refresh_from_db(fields=["locked"])
        else:
            return redirect(request.path + "#replies")
    return render(
        request,
        "community/space/thread.html",
        {
            "community": community,
            "member": member,
            "title": community.seminar.title,
            "thread": found,
            "errors": errors,
            "body": body,
        },
        status=status,
    )


@with_member
def qa(request: HttpRequest, community: Community, member: Member) -> HttpResponse:
    return render(
        request,
        "community/space/qa.html",
        {
            "community": community,
            "member": member,
            "title": community.seminar.title,
            "questions": queries.qa_archive(community),
        },
    )


@with_member
def material(
    request: HttpRequest, community: Community, member: Member, material_id: int
) -> HttpResponse:
    try:
        found = queries.material_in(community, material_id)
    except NotFound as exc:
        raise Http404() from exc
    return file_response(found)
