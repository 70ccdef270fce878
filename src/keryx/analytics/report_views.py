"""The reports page of a seminar: generate a report (in the background, its progress polled
by the page), download it when ready, schedule reports. Thin: the domain does the work."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.analytics import queries
from keryx.analytics.domain.mailings import digest_choose, digest_wanted
from keryx.analytics.domain.reports import CONTENT_TYPES, report_filename, report_request
from keryx.analytics.domain.schedules import schedule_create, schedule_delete
from keryx.analytics.report_forms import ReportForm, ScheduleForm
from keryx.analytics.report_models import ReportFormat
from keryx.core.errors import KeryxError
from keryx.seminars.queries import seminar_in
from keryx.web.access import area
from keryx.web.forms import apply_error

KEY = "analytics"
SHOWN = 20


@area(Perm.ANALYTICS_VIEW, key=KEY)
def reports(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = seminar_in(access, seminar_id)
    can_edit = access.can(Perm.ANALYTICS_EDIT)
    language = (get_language() or seminar.language)[:2]
    initial = {"fmt": ReportFormat.PDF, "language": language}
    action = request.POST.get("action", "")
    form = ReportForm(request.POST if action == "generate" else None, initial=initial)
    schedule_form = ScheduleForm(
        request.POST if action == "schedule" else None, initial={**initial, "frequency": "weekly"}
    )
    if request.method == "POST" and action == "digest":
        digest_choose(access=access, wanted=request.POST.get("wanted") == "1")
        messages.success(request, _("Your choice for the weekly digest is saved."))
        return redirect(request.path)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        bound = form if action == "generate" else schedule_form
        if bound.is_valid():
            data = bound.cleaned_data
            try:
                if action == "generate":
                    report_request(
                        access=access, seminar=seminar, fmt=data["fmt"], language=data["language"]
                    )
                    messages.success(request, _("The report is being generated."))
                else:
                    schedule_create(
                        access=access,
                        seminar=seminar,
                        frequency=data["frequency"],
                        fmt=data["fmt"],
                        language=data["language"],
                    )
                    messages.success(request, _("Report scheduled."))
            except KeryxError as exc:
                apply_error(bound, exc)
            else:
                return redirect(request.path)
    return render(
        request,
        "analytics/reports.html",
        {
            "access": access,
            "seminar": seminar,
            "reports": list(queries.reports_of(access, seminar)[:SHOWN]),
            "schedules": list(queries.schedules_of(access, seminar)),
            "form": form if can_edit else None,
            "schedule_form": schedule_form if can_edit else None,
            "can_edit": can_edit,
            "digest_wanted": digest_wanted(access=access),
        },
    )


@area(Perm.ANALYTICS_VIEW, key=KEY)
def report_status(
    request: HttpRequest, access: Access, seminar_id: int, report_id: int
) -> HttpResponse:
    """One report's row, which the page polls until the report is ready or failed."""
    seminar = seminar_in(access, seminar_id)
    report = queries.report_in(access, seminar, report_id)
    return render(
        request,
        "analytics/_report_row.html",
        {"access": access, "seminar": seminar, "report": report},
    )


@area(Perm.ANALYTICS_VIEW, key=KEY)
def report_download(
    request: HttpRequest, access: Access, seminar_id: int, report_id: int
) -> HttpResponse:
    seminar = seminar_in(access, seminar_id)
    report = queries.report_file(access, seminar, report_id)
    response = HttpResponse(bytes(report.data or b""), content_type=CONTENT_TYPES[report.fmt])
    disposition = "inline" if report.fmt == ReportFormat.HTML else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{report_filename(report)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@area(Perm.ANALYTICS_EDIT, key=KEY)
def schedule_remove(
    request: HttpRequest, access: Access, seminar_id: int, schedule_id: int
) -> HttpResponse:
    seminar = seminar_in(access, seminar_id)
    schedule_delete(access=access, schedule_id=schedule_id)
    messages.success(request, _("The scheduled report is removed."))
    return redirect("analytics:reports", workspace=access.workspace.slug, seminar_id=seminar.pk)
