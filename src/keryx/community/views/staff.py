"""Staff pages: the communities of the workspace, one community's page (settings, materials,
announcements, threads, follow-up posts, members) and a thread with its moderation."""

from __future__ import annotations

import io
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.community import queries
from keryx.community.domain import announcements, followups, materials, members, spaces, threads
from keryx.community.enums import Audience, MaterialKind
from keryx.community.models import Community
from keryx.content.domain.posts import usable_accounts
from keryx.core.errors import KeryxError, ValidationFailed
from keryx.core.models import OutboxStatus
from keryx.seminars import queries as seminar_queries
from keryx.web.access import area

KEY = "community"


def _errors(request: HttpRequest, exc: KeryxError) -> dict[str, list[str]]:
    if isinstance(exc, ValidationFailed) and exc.fields:
        return exc.fields
    messages.error(request, exc.message)
    return {}


def _back(access: Access, community: Community, anchor: str = "") -> HttpResponse:
    url = reverse(
        "community:detail",
        kwargs={"workspace": access.workspace.slug, "seminar_id": community.seminar_id},
    )
    return redirect(url + (f"#{anchor}" if anchor else ""))


def public_url(community: Community) -> str:
    return f"{settings.KERYX_BASE_URL}/c/{community.code}/"


@area(Perm.COMMUNITY_MODERATE, key=KEY)
def community_list(request: HttpRequest, access: Access) -> HttpResponse:
    if request.method == "POST":
        raw = request.POST.get("seminar", "")
        seminar = seminar_queries.seminar_in(access, int(raw) if raw.isdigit() else 0)
        try:
            spaces.community_create(access=access, seminar=seminar)
        except KeryxError as exc:
            _errors(request, exc)
        else:
            return redirect(
                "community:detail", workspace=access.workspace.slug, seminar_id=seminar.pk
            )
    return render(
        request,
        "community/staff/list.html",
        {"access": access, "seminars": queries.seminars_with_communities(access)},
    )


def _detail(
    request: HttpRequest,
    access: Access,
    community: Community,
    *,
    errors: dict[str, dict[str, list[str]]] | None = None,
    kept: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    can_content = access.can(Perm.CONTENT_VIEW)
    announcement_rows = [
        (a, [(OutboxStatus(s).label, n) for s, n in announcements.announcement_status(a).items()])
        for a in queries.announcements_of(community)[:20]
    ]
    return render(
        request,
        "community/staff/detail.html",
        {
            "access": access,
            "community": community,
            "seminar": community.seminar,
            "public_url": public_url(community),
            "audiences": Audience.choices,
            "link_kinds": [
                (MaterialKind.LINK, MaterialKind.LINK.label),
                (MaterialKind.RECORDING, MaterialKind.RECORDING.label),
            ],
            "materials": queries.materials_of(community),
            "announcements": announcement_rows,
            "threads": queries.threads_of(community, staff=True)[:50],
            "members": queries.members_of(community)[:500],
            "eligible": members.eligible_registrations(community).count(),
            "followups": followups.followups_of(access, community) if can_content else [],
            "qa": queries.qa_archive(community),
            "can_manage": access.can(Perm.COMMUNITY_MANAGE),
            "can_compose": access.can(Perm.CONTENT_EDIT),
            "accounts": usable_accounts(access) if access.can(Perm.CONTENT_EDIT) else [],
            "errors": errors or {},
            "kept": kept or {},
        },
        status=status,
    )


@area(Perm.COMMUNITY_MODERATE, key=KEY)
def community_detail(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    return _detail(request, access, queries.community_in(access, seminar_id))


@require_POST
@area(Perm.COMMUNITY_MANAGE, key=KEY)
def community_settings(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    community = queries.community_in(access, seminar_id)
    post = request.POST
    try:
        spaces.community_update(
            access=access,
            community=community,
            is_open=bool(post.get("is_open")),
            audience=post.get("audience", ""),
            welcome=post.get("welcome", ""),
        )
    except KeryxError as exc:
        community.refresh_from_db()
        return _detail(
            request,
            access,
            community,
            errors={"settings": _errors(request, exc)},
            kept={"welcome": post.get("welcome", "")},
            status=422,
        )
    messages.success(request, _("Settings saved."))
    return _back(access, community, "settings")


@require_POST
@area(Perm.COMMUNITY_MANAGE, key=KEY)
def links_send(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    community = queries.community_in(access, seminar_id)
    try:
        sent = members.links_send(access=access, community=community)
    except KeryxError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request,
            ngettext(
                "A link was e-mailed to %(n)s person.", "Links were e-mailed to %(n)s people.", sent
            )
            % {"n": sent},
        )
    return _back(access, community, "members")


@require_POST
@area(Perm.COMMUNITY_MANAGE, key=KEY)
def material_add(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    community = queries.community_in(access, seminar_id)
    post = request.POST
    upload = request.FILES.get("file")
    try:
        if post.get("kind") == MaterialKind.SLIDES or upload is not None:
            materials.material_add_file(
                access=access,
                community=community,
                title=post.get("title", ""),
                description=post.get("description", ""),
                handle=upload if upload is not None else io.BytesIO(),
                size=(upload.size or 0) if upload is not None else 0,
                name=(upload.name or "") if upload is not None else "",
            )
        else:
            materials.material_add_link(
                access=access,
                community=community,
                kind=post.get("kind", ""),
                title=post.get("title", ""),
                url=post.get("url", ""),
                description=post.get("description", ""),
            )
    except KeryxError as exc:
        return _detail(
            request,
            access,
            community,
            errors={"material": _errors(request, exc)},
            kept={
                f"material_{k}": post.get(k, "") for k in ("title", "url", "description", "kind")
            },
            status=422,
        )
    messages.success(request, _("Material added."))
    return _back(access, community, "materials")


@require_POST
@area(Perm.COMMUNITY_MANAGE, key=KEY)
def material_delete(
    request: HttpRequest, access: Access, seminar_id: int, material_id: int
) -> HttpResponse:
    community = queries.community_in(access, seminar_id)
    materials.material_delete(access=access, material=queries.material_in(community, material_id))
    messages.success(request, _("Material removed."))
    return _back(access, community, "materials")


@area(Perm.COMMUNITY_MODERATE, key=KEY)
def material_file(
    request: HttpRequest, access: Access, seminar_id: int, material_id: int
) -> HttpResponse:
    community = queries.community_in(access, seminar_id)
    return file_response(queries.material_in(community, material_id))


def file_response(material: Any) -> HttpResponse:
    from django.http import Http404

    if not material.file:
        raise Http404()
    response = FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=material.file_name or "slides",
        content_type=material.mime or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)


@require_POST
@area(Perm.COMMUNITY_MANAGE, key=KEY)
def announce(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    community = queries.community_in(access, seminar_id)
    post = request.POST
    try:
        announcement = announcements.announcement_post(
            access=access,
            community=community,
            title=post.get("title", ""),
            body=post.get("body", ""),
            email=bool(post.get("email")),
        )
    except KeryxError as exc:
        return _detail(
            request,
            access,
            community,
            errors={"announcement": _errors(request, exc)},
            kept={
                "announcement_title": post.get("title", ""),
                "announcement_body": post.get("body", ""),
            },
            status=422,
        )
    messages.success(
        request,
        ngettext(
            "Announcement posted and e-mailed to %(n)s person.",
            "Announcement posted and e-mailed to %(n)s people.",
            announcement.emailed,
        )
        % {"n": announcement.emailed}
        if post.get("email")
        else _("Announcement posted (not e-mailed)."),
    )
    return _back(access, community, "announcements")


@require_POST
@area(Perm.COMMUNITY_MANAGE, key=KEY)
def announcement_delete(
    request: HttpRequest, access: Access, seminar_id: int, announcement_id: int
) -> HttpResponse:
    community = queries.community_in(access, seminar_id)
    announcements.announcement_delete(
        access=access, announcement=queries.announcement_in(community, announcement_id)
    )
    messages.success(request, _("Announcement removed."))
    return _back(access, community, "announcements")


@require_POST
@area(Perm.COMMUNITY_MODERATE, key=KEY)
def thread_new(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    community = queries.community_in(access, seminar_id)
    post = request.POST
    try:
        thread = threads.thread_start(
            community=community,
            title=post.get("title", ""),
            body=post.get("body", ""),
            access=access,
        )
    except KeryxError as exc:
        return _detail(
            request,
            access,
            community,
            errors={"thread": _errors(request, exc)},
            kept={"thread_title": post.get("title", ""), "thread_body": post.get("body", "")},
            status=422,
        )
    return redirect(
        "community:thread",
        workspace=access.workspace.slug,
        seminar_id=community.seminar_id,
        thread_id=thread.pk,
    )


@area(Perm.COMMUNITY_MODERATE, key=KEY)
def thread_detail(
    request: HttpRequest, access: Access, seminar_id: int, thread_id: int
) -> HttpResponse:
    community = queries.community_in(access, seminar_id)
    thread = queries.thread_in(community, thread_id, staff=True)
    errors: dict[str, list[str]] = {}
    body = ""
    status = 200
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            threads.reply_add(thread=thread, body=body, access=access)
        except KeryxError as exc:
            errors = _errors(request, exc)
            status = 422 if errors else 409
        else:
            messages.success(request, _("Reply posted."))
            return redirect(request.path)
    return render(
        request,
        "community/staff/thread.html",
        {
            "access": access,
            "community": community,
            "seminar": community.seminar,
            "thread": thread,
            "errors": errors,
            "body": body,
        },
        status=status,
    )


@require_POST
@area(Perm.COMMUNITY_MODERATE, key=KEY)
def thread_moderate(
    request: HttpRequest, access: Access, seminar_id: int, thread_id: int
) -> HttpResponse:
    community = queries.community_in(access, seminar_id)
    thread = queries.thread_in(community, thread_id, staff=True)
    action = request.POST.get("action", "")
    threads.thread_moderate(
        access=access,
        thread=thread,
        hidden={"hide": True, "show": False}.get(action),
        locked={"lock": True, "unlock": False}.get(action),
    )
    messages.success(request, _("Thread updated."))
    return redirect(
        "community:thread",
        workspace=access.workspace.slug,
        seminar_id=community.seminar_id,
        thread_id=thread.pk,
    )


@require_POST
@area(Perm.COMMUNITY_MODERATE, key=KEY)
def reply_hide(
    request: HttpRequest, access: Access, seminar_id: int, reply_id: int
) -> HttpResponse:
    community = queries.community_in(access, seminar_id)
    reply = queries.reply_in(community, reply_id)
    hidden = request.POST.get("action", "hide") == "hide"
    threads.reply_hide(access=access, reply=reply, hidden=hidden)
    messages.success(request, _("Reply hidden.") if hidden else _("Reply shown again."))
    return redirect(
        "community:thread",
        workspace=access.workspace.slug,
        seminar_id=community.seminar_id,
        thread_id=reply.thread_id,
    )


@require_POST
@area(Perm.COMMUNITY_MANAGE, key=KEY)
def member_remove(
    request: HttpRequest, access: Access, seminar_id: int, member_id: int
) -> HttpResponse:
    community = queries.community_in(access, seminar_id)
    member = queries.member_in(community, member_id)
    if request.POST.get("action") == "restore":
        members.member_restore(access=access, member=member)
        messages.success(request, _("Member let back in."))
    else:
        members.member_remove(access=access, member=member)
        messages.success(request, _("Member removed: their links no longer work."))
    return _back(access, community, "members")


@require_POST
@area(Perm.CONTENT_EDIT, key=KEY)
def followup_new(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    community = queries.community_in(access.require(Perm.COMMUNITY_MODERATE), seminar_id)
    text = request.POST.get("text", "")
    account_ids = [int(v) for v in request.POST.getlist("accounts") if v.isdigit()]
    try:
        post = followups.followup_create(
            access=access, community=community, text=text, account_ids=account_ids
        )
    except KeryxError as exc:
        return _detail(
            request,
            access,
            community,
            errors={"followup": _errors(request, exc)},
            kept={"followup_text": text, "followup_accounts": account_ids},
            status=422,
        )
    messages.success(request, _("Follow-up post drafted: choose its networks and schedule it."))
    return redirect("content:edit", workspace=access.workspace.slug, post_id=post.pk)
