"""The Registrations area for staff: lists, settings, check-in, import, export, counts."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.errors import KeryxError
from keryx.registrations import queries
from keryx.registrations.domain import checkin, exports, imports
from keryx.registrations.domain.delivery import max_tries
from keryx.registrations.domain.registrations import (
    registration_cancel,
    registration_update,
    registrations_fill_from_waitlist,
)
from keryx.registrations.domain.settings import settings_of, settings_update
from keryx.registrations.enums import RegistrationStatus
from keryx.registrations.forms import (
    ImportForm,
    SettingsForm,
    StaffRegistrationForm,
    initial_answers,
)
from keryx.registrations.models import Registration
from keryx.seminars import queries as seminar_queries
from keryx.seminars.models import Seminar
from keryx.web.access import area
from keryx.web.forms import apply_error

KEY = "registrations"


def _seminar(access: Access, seminar_id: int) -> Seminar:
    return seminar_queries.seminar_in(access, seminar_id)


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


@area(Perm.SEMINAR_VIEW, key=KEY)
def overview(request: HttpRequest, access: Access) -> HttpResponse:
    R = RegistrationStatus
    seminars = (
        seminar_queries.seminars_in(access)
        .annotate(
            n_registered=Count("registrations", filter=Q(registrations__status=R.REGISTERED)),
            n_confirmed=Count(
                "registrations",
                filter=Q(
                    registrations__status=R.REGISTERED, registrations__confirmed_at__isnull=False
                ),
            ),
            n_checked_in=Count(
                "registrations",
                filter=Q(
                    registrations__status=R.REGISTERED, registrations__checked_in_at__isnull=False
                ),
            ),
            n_waitlist=Count("registrations", filter=Q(registrations__status=R.WAITLISTED)),
        )
        .select_related("registration_settings")
    )
    return render(
        request, "registrations/staff/overview.html", {"access": access, "seminars": seminars}
    )


@area(Perm.REGISTRATIONS_VIEW, key=KEY)
def registration_list(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = _seminar(access, seminar_id)
    filters = {
        "status": request.GET.get("status", ""),
        "q": request.GET.get("q", ""),
        "confirmed": request.GET.get("confirmed", ""),
        "checked_in": request.GET.get("checked_in", ""),
        "email": request.GET.get("email", ""),
    }
    if filters["status"] not in RegistrationStatus.values:
        filters["status"] = ""
    if filters["email"] not in queries.EMAIL_FILTERS:
        filters["email"] = ""
    qs = queries.registrations_of(
        access,
        seminar,
        status=filters["status"],
        q=filters["q"],
        confirmed=_yes_no(filters["confirmed"]),
        checked_in=_yes_no(filters["checked_in"]),
        email=filters["email"],
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    summaries = queries.email_summaries(list(page.object_list))
    for registration in page.object_list:
        registration.email_summary = summaries.get(registration.pk)
    return render(
        request,
        "registrations/staff/list.html",
        {
            "access": access,
            "seminar": seminar,
            "page": page,
            "filters": filters,
            "statuses": RegistrationStatus.choices,
            "counts": queries.counts_of(seminar),
            "row": settings_of(seminar),
            "query": request.GET.urlencode(),
            "failed_emails": queries.failed_email_count(seminar),
        },
    )


@area(Perm.REGISTRATIONS_VIEW, key=KEY)
def registration_detail(
    request: HttpRequest, access: Access, seminar_id: int, registration_id: int
) -> HttpResponse:
    seminar = _seminar(access, seminar_id)
    registration = queries.registration_in(access, seminar, registration_id)
    can_manage = access.can(Perm.REGISTRATIONS_MANAGE)
    form = StaffRegistrationForm(
        request.POST or None, row=settings_of(seminar), initial=initial_answers(registration)
    )
    if request.method == "POST" and can_manage and form.is_valid():
        try:
            registration_update(
                registration=registration,
                access=access,
                fields={
                    "name": form.cleaned_data["name"],
                    "email": form.cleaned_data["email"],
                    "language": form.cleaned_data["language"],
                    **form.answers(form.cleaned_data),
                },
            )
        except KeryxError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(request.path)
    return render(
        request,
        "registrations/staff/detail.html",
        {
            "access": access,
            "seminar": seminar,
            "registration": registration,
            "consents": registration.consents.all(),
            "emails": queries.emails_of(registration),
            "max_tries": max_tries(),
            "form": form,
            "can_manage": can_manage,
        },
    )


@require_POST
@area(Perm.REGISTRATIONS_MANAGE, key=KEY)
def registration_cancel_view(
    request: HttpRequest, access: Access, seminar_id: int, registration_id: int
) -> HttpResponse:
    seminar = _seminar(access, seminar_id)
    registration = queries.registration_in(access, seminar, registration_id)
    registration_cancel(registration=registration, access=access)
    messages.success(request, _("Registration cancelled."))
    return redirect("registrations:list", workspace=access.workspace.slug, seminar_id=seminar.pk)


@require_POST
@area(Perm.REGISTRATIONS_MANAGE, key=KEY)
def fill_from_waitlist(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = _seminar(access, seminar_id)
    promoted = registrations_fill_from_waitlist(access=access, seminar=seminar)
    messages.success(
        request,
        ngettext(
            "%(n)s person moved off the waiting list.",
            "%(n)s people moved off the waiting list.",
            len(promoted),
        )
        % {"n": len(promoted)}
        if promoted
        else _("No free place, or nobody waiting."),
    )
    return redirect("registrations:list", workspace=access.workspace.slug, seminar_id=seminar.pk)


@area(Perm.REGISTRATIONS_MANAGE, key=KEY)
def settings_view(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = _seminar(access, seminar_id)
    row = settings_of(seminar)
    form = SettingsForm(request.POST or None, initial=SettingsForm.initial_from(row))
    if request.method == "POST" and form.is_valid():
        try:
            settings_update(access=access, seminar=seminar, fields=form.domain_fields())
        except KeryxError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Registration settings saved."))
            return redirect(request.path)
    return render(
        request,
        "registrations/staff/settings.html",
        {"access": access, "seminar": seminar, "form": form, "row": row},
        status=422 if form.errors else 200,
    )


@area(Perm.SEMINAR_VIEW, key=KEY)
def counts_partial(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = _seminar(access, seminar_id)
    return render(
        request,
        "registrations/staff/counts.html",
        {
            "access": access,
            "seminar": seminar,
            "counts": queries.counts_of(seminar),
            "row": settings_of(seminar),
        },
    )


# --- check-in ----------------------------------------------------------------------------


@area(Perm.REGISTRATIONS_CHECKIN, key=KEY)
def checkin_page(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = _seminar(access, seminar_id)
    return render(
        request,
        "registrations/staff/checkin.html",
        {"access": access, "seminar": seminar, "counts": queries.counts_of(seminar)},
    )


@area(Perm.REGISTRATIONS_CHECKIN, key=KEY)
def checkin_search(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = _seminar(access, seminar_id)
    q = request.GET.get("q", "").strip()
    results = (
        list(queries.registrations_of(access, seminar, q=q).exclude(status="cancelled")[:20])
        if len(q) >= 2
        else []
    )
    return render(
        request,
        "registrations/staff/checkin_results.html",
        {"access": access, "seminar": seminar, "results": results, "q": q},
    )


def _checkin_answer(
    request: HttpRequest, access: Access, seminar: Seminar, run: Any
) -> HttpResponse:
    # Always 200: the answer is a fragment the page shows (HTMX swaps only 2xx answers).
    context: dict[str, Any] = {"access": access, "seminar": seminar}
    try:
        outcome = run()
    except KeryxError as exc:
        context.update(ok=False, already=False, message=exc.message, code=exc.code)
    else:
        context.update(
            ok=not outcome.already, already=outcome.already, registration=outcome.registration
        )
    context["counts"] = queries.counts_of(seminar)
    return render(request, "registrations/staff/checkin_result.html", context)


@require_POST
@area(Perm.REGISTRATIONS_CHECKIN, key=KEY)
def checkin_scan(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = _seminar(access, seminar_id)
    token = request.POST.get("token", "")

    def run() -> checkin.CheckInOutcome:
        registration = checkin.registration_by_ticket(access=access, seminar=seminar, token=token)
        return checkin.registration_check_in(access=access, registration=registration)

    return _checkin_answer(request, access, seminar, run)


@require_POST
@area(Perm.REGISTRATIONS_CHECKIN, key=KEY)
def checkin_one(
    request: HttpRequest, access: Access, seminar_id: int, registration_id: int
) -> HttpResponse:
    seminar = _seminar(access, seminar_id)

    def run() -> checkin.CheckInOutcome:
        registration = queries.registration_in_for_checkin(access, seminar, registration_id)
        return checkin.registration_check_in(access=access, registration=registration)

    return _checkin_answer(request, access, seminar, run)


@require_POST
@area(Perm.REGISTRATIONS_CHECKIN, key=KEY)
def checkin_undo(
    request: HttpRequest, access: Access, seminar_id: int, registration_id: int
) -> HttpResponse:
    seminar = _seminar(access, seminar_id)
    registration = Registration.objects.filter(seminar=seminar, pk=registration_id).first()
    if registration is not None:
        checkin.registration_check_in_undo(access=access, registration=registration)
    return render(
        request,
        "registrations/staff/checkin_result.html",
        {
            "access": access,
            "seminar": seminar,
            "ok": False,
            "already": False,
            "undone": registration,
            "counts": queries.counts_of(seminar),
        },
    )


# --- import and export ---------------------------------------------------------------------


@area(Perm.REGISTRATIONS_MANAGE, key=KEY)
def import_view(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = _seminar(access, seminar_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    upload_key = ""
    status = 200
    if request.method == "POST" and request.POST.get("upload_key"):
        stored = cache.get(f"kx-import:{access.user.pk}:{request.POST['upload_key']}")
        if stored is None:
            messages.error(request, _("The uploaded file is no longer kept. Upload it again."))
            return redirect(request.path)
        content, filename = stored
        try:
            report = imports.registrations_import(
                access=access, seminar=seminar, content=content, dry_run=False, filename=filename
            )
        except KeryxError as exc:
            messages.error(request, exc.message)
            return redirect(request.path)
        if report.committed:
            messages.success(
                request,
                ngettext(
                    "%(n)s registrant imported.", "%(n)s registrants imported.", report.imported
                )
                % {"n": report.imported},
            )
            return redirect(
                "registrations:list", workspace=access.workspace.slug, seminar_id=seminar.pk
            )
        status = 422
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            report = imports.registrations_import(
                access=access, seminar=seminar, content=content, dry_run=True
            )
        except KeryxError as exc:
            apply_error(form, exc)
            status = 422
        else:
            if report.ok:
                upload_key = secrets.token_urlsafe(12)
                cache.set(f"kx-import:{access.user.pk}:{upload_key}", (content, upload.name), 1800)
            else:
                status = 422
    return render(
        request,
        "registrations/staff/import.html",
        {
            "access": access,
            "seminar": seminar,
            "form": form,
            "report": report,
            "upload_key": upload_key,
            "aliases": [
                (header, _import_field_label(field))
                for header, field in sorted(imports.ALIASES.items(), key=lambda kv: (kv[1], kv[0]))
            ],
        },
        status=status,
    )


@area(Perm.REGISTRATIONS_MANAGE, key=KEY)
def export_view(request: HttpRequest, access: Access, seminar_id: int, fmt: str) -> HttpResponse:
    seminar = _seminar(access, seminar_id)
    status = request.GET.get("status", "")
    qs = queries.registrations_of(
        access, seminar, status=status if status in RegistrationStatus.values else ""
    )
    if fmt == "xlsx":
        body = exports.registrations_export_xlsx(access=access, seminar=seminar, registrations=qs)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = exports.registrations_export_csv(access=access, seminar=seminar, registrations=qs)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.export_filename(seminar, fmt)}"'
    )
    return response


# What an imported column becomes, in the reader's words (not the field's internal name).
_IMPORT_LABELS = {
    "first_name": gettext_lazy("first name (joined to the name)"),
    "last_name": gettext_lazy("last name (joined to the name)"),
    "checked_in": gettext_lazy("checked in at the door"),
}


def _import_field_label(field: str) -> str:
    if field in _IMPORT_LABELS:
        return str(_IMPORT_LABELS[field])
    try:
        model_field = Registration._meta.get_field(field)
    except FieldDoesNotExist:
        return field
    return str(getattr(model_field, "verbose_name", field))
