"""The shell: home, language, the areas not built yet, settings."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keryx.accounts.access import Access, memberships_of
from keryx.accounts.domain import tokens, users, workspaces
from keryx.accounts.models import ApiToken
from keryx.accounts.roles import PERM_LABELS, ROLE_PERMISSIONS, ROLE_SUMMARIES, Perm, Role
from keryx.core.audit_labels import action_label, actor_label, change_rows, object_label
from keryx.core.domain.probe import probe_request
from keryx.core.errors import KeryxError
from keryx.core.models import AuditEntry, QueueProbe
from keryx.web.access import area, signed_in_user
from keryx.web.dashboard import dashboard_for
from keryx.web.forms import (
    MemberAddForm,
    MemberRoleForm,
    ProfileForm,
    TokenForm,
    WorkspaceForm,
    apply_error,
)
from keryx.web.navigation import AREAS_BY_KEY


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = list(memberships_of(signed_in_user(request)))
    if len(memberships) == 1 and request.method == "GET":
        return redirect("web:dashboard", workspace=memberships[0].workspace.slug)
    form = WorkspaceForm(
        request.POST or None,
        initial={
            "default_language": request.LANGUAGE_CODE,
            "default_time_zone": settings.TIME_ZONE,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            workspace = workspaces.workspace_create(
                owner=signed_in_user(request), **form.cleaned_data
            )
        except KeryxError as exc:
            apply_error(form, exc)
        else:
            return redirect("web:dashboard", workspace=workspace.slug)
    return render(request, "web/home.html", {"memberships": memberships, "form": form})


@area(Perm.WORKSPACE_VIEW, key="home")
def dashboard(request: HttpRequest, access: Access) -> HttpResponse:
    """What a manager checks first: today's and this week's posts, approvals waiting for them,
    what failed, the next seminar against its target, unread notifications."""
    return render(request, "web/dashboard.html", {"access": access, "board": dashboard_for(access)})


@login_required
def system(request: HttpRequest) -> HttpResponse:
    """For operators: is the task queue alive? A probe goes through it and back."""
    if not signed_in_user(request).is_staff:
        raise Http404
    if request.method == "POST":
        probe_request(user=signed_in_user(request))
        return redirect("web:system")
    probes = QueueProbe.objects.all()[:10]
    return render(
        request,
        "web/system.html",
        {
            "probes": probes,
            "shape": _("embedded (SQLite, one process group)")
            if settings.KERYX_EMBEDDED
            else _("scaled out (PostgreSQL + Redis)"),
            "queue": settings.HUEY["huey_class"],
        },
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        users.user_set_language(user=signed_in_user(request), language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@area(Perm.WORKSPACE_VIEW)
def area_placeholder(request: HttpRequest, access: Access, area: str) -> HttpResponse:
    entry = AREAS_BY_KEY.get(area)
    if entry is None or entry.built:
        raise Http404
    request.keryx_area = area  # type: ignore[attr-defined]
    return render(request, "web/not_built.html", {"area": entry, "access": access})


# --- settings ------------------------------------------------------------------------------


@area(Perm.WORKSPACE_VIEW, key="settings")
def settings_index(request: HttpRequest, access: Access) -> HttpResponse:
    form = WorkspaceForm(
        request.POST or None,
        initial={
            "name": access.workspace.name,
            "default_language": access.workspace.default_language,
            "default_time_zone": access.workspace.default_time_zone,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            workspaces.workspace_update(access=access, **form.cleaned_data)
        except KeryxError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Workspace saved."))
            return redirect("web:settings", workspace=access.workspace.slug)
    return render(
        request,
        "web/settings/workspace.html",
        {
            "access": access,
            "form": form,
            "can_manage": access.can(Perm.WORKSPACE_MANAGE),
            "tab": "workspace",
        },
    )


@area(Perm.MEMBERS_VIEW, key="settings")
def team(request: HttpRequest, access: Access) -> HttpResponse:
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _membership, created = workspaces.membership_add(
                access=access,
                email=form.cleaned_data["email"],
                role=Role(form.cleaned_data["role"]),
            )
        except KeryxError as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request,
                _("Added. We e-mailed them a link to choose a password.")
                if created
                else _("Added. We e-mailed them to let them know."),
            )
            return redirect("web:team", workspace=access.workspace.slug)
    members = access.workspace.memberships.select_related("user").order_by("user__email")
    return render(
        request,
        "web/settings/team.html",
        {
            "access": access,
            "form": form,
            "members": members,
            "tab": "team",
            "can_manage": access.can(Perm.MEMBERS_MANAGE),
            "roles": [(role, ROLE_SUMMARIES[role]) for role in Role],
        },
    )


@require_POST
@area(Perm.MEMBERS_MANAGE, key="settings")
def team_member(request: HttpRequest, access: Access, member_id: int) -> HttpResponse:
    try:
        if request.POST.get("action") == "remove":
            workspaces.membership_remove(access=access, membership_id=member_id)
            messages.success(request, _("Removed from the workspace."))
        else:
            form = MemberRoleForm(request.POST)
            if form.is_valid():
                workspaces.membership_change_role(
                    access=access, membership_id=member_id, role=Role(form.cleaned_data["role"])
                )
                messages.success(request, _("Role changed."))
    except KeryxError as exc:
        messages.error(request, exc.message)
    return redirect("web:team", workspace=access.workspace.slug)


@area(Perm.AUDIT_VIEW, key="settings")
def audit_log(request: HttpRequest, access: Access) -> HttpResponse:
    entries = AuditEntry.objects.filter(workspace=access.workspace).select_related("actor")
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = [
        (
            entry,
            action_label(entry.action),
            actor_label(entry),
            object_label(entry),
            change_rows(entry),
        )
        for entry in page
    ]
    return render(
        request,
        "web/settings/audit.html",
        {
            "access": access,
            "page": page,
            "rows": rows,
            "action": action,
            "tab": "audit",
        },
    )


@area(Perm.WORKSPACE_VIEW, key="settings")
def roles(request: HttpRequest, access: Access) -> HttpResponse:
    matrix = [
        (PERM_LABELS[perm], [role in ROLE_PERMISSIONS[perm] for role in Role]) for perm in Perm
    ]
    return render(
        request,
        "web/settings/roles.html",
        {
            "access": access,
            "tab": "roles",
            "roles": list(Role),
            "matrix": matrix,
        },
    )


# --- the user's own settings ---------------------------------------------------------------


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = ProfileForm(
        request.POST or None,
        initial={
            "full_name": user.full_name,
            "language": user.language or request.LANGUAGE_CODE,
            "time_zone": user.time_zone,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            users.user_set_language(user=user, language=form.cleaned_data["language"])
            users.user_update_profile(
                user=user,
                full_name=form.cleaned_data["full_name"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except KeryxError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Profile saved."))
            response = redirect("web:profile")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                form.cleaned_data["language"],
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
            )
            return response
    return render(request, "web/me/profile.html", {"form": form, "tab": "profile"})


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        expires = form.cleaned_data["expires_at"]
        expires_at = (
            timezone.make_aware(dt.datetime.combine(expires, dt.time(23, 59))) if expires else None
        )
        try:
            _token, new_token = tokens.token_create(
                user=signed_in_user(request),
                name=form.cleaned_data["name"],
                expires_at=expires_at,
            )
        except KeryxError as exc:
            apply_error(form, exc)
        else:
            form = TokenForm()
    token_list = ApiToken.objects.filter(user=signed_in_user(request))
    return render(
        request,
        "web/me/tokens.html",
        {
            "form": form,
            "tokens": token_list,
            "new_token": new_token,
            "tab": "tokens",
            "api_docs": reverse("api:openapi-view"),
        },
    )


@require_POST
@login_required
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        tokens.token_revoke(user=signed_in_user(request), token_id=token_id)
    except KeryxError as exc:
        raise Http404 from exc
    messages.success(request, _("Token revoked. Anything using it stops working now."))
    return redirect("web:api_tokens")
