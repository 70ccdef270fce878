"""Reports generated in the background: asked for on the page (or by a schedule), generated
by a worker with its progress stored on the row (the page polls it), downloadable when ready;
a failure is stored and shown in plain words.

Who may do what (decision 0961): anyone who may see the seminar's analytics may download its
reports (they hold aggregates only); generating and scheduling reports needs the analytics
edit permission ("build and send reports").
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.analytics.report_models import Report, ReportFormat, ReportStatus
from keryx.core.errors import ValidationFailed
from keryx.seminars.models import Seminar

log = logging.getLogger(__name__)

# A queued report whose message was lost is queued again after this long; a report that has
# been running for longer than STUCK (its worker died) is marked failed.
REQUEUE = dt.timedelta(minutes=2)
STUCK = dt.timedelta(minutes=15)
KEEP = dt.timedelta(days=90)  # reports asked for on the page; scheduled ones are kept as long
LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)
CONTENT_TYPES: dict[str, str] = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.HTML: "text/html; charset=utf-8",
}


def _enqueue(report_id: int) -> None:
    from keryx.analytics.tasks import generate_report

    generate_report(report_id)


def report_request(*, access: Access, seminar: Seminar, fmt: str, language: str) -> Report:
    """Queue a report of the seminar; it is generated after the transaction commits."""
    access.require(Perm.ANALYTICS_EDIT)
    if seminar.workspace_id != access.workspace.pk:
        raise ValidationFailed(_("This seminar is not in the workspace."))
    if fmt not in ReportFormat.values:
        raise ValidationFailed(_("Choose PDF, XLSX or HTML."))
    if language not in LANGUAGES:
        raise ValidationFailed(_("Choose Greek or English."))
    report = Report.objects.create(
        workspace=access.workspace,
        seminar=seminar,
        fmt=fmt,
        language=language,
        requested_by=access.user,
    )
    transaction.on_commit(lambda: _enqueue(report.pk))
    return report


def _set_progress(report_id: int, percent: int) -> None:
    Report.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(progress=percent)


def report_generate(*, report_id: int, now: dt.datetime | None = None) -> str:
    """Claim the queued report (compare-and-set, so a duplicate message does nothing), render
    it and store the file, or store why it failed. Returns the final status."""
    from keryx.analytics.reports import render

    now = now or timezone.now()
    claimed = Report.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, started_at=now, progress=10
    )
    if not claimed:
        return "skipped"
    report = Report.objects.select_related("seminar", "seminar__workspace").get(pk=report_id)
    try:
        data = render(
            report.seminar,
            fmt=report.fmt,
            language=report.language,
            progress=lambda percent: _set_progress(report_id, percent),
        )
    except Exception as exc:  # any failure is stored for the user, then logged
        log.exception("report %s failed", report_id)
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:300],
        )
        return ReportStatus.FAILED
    with transaction.atomic():
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.DONE,
            progress=100,
            finished_at=timezone.now(),
            data=data,
            size=len(data),
        )
        if report.schedule_id is not None:
            from keryx.analytics.domain.mailings import scheduled_report_mail

            report.refresh_from_db()
            scheduled_report_mail(report=report)
    return ReportStatus.DONE


def reports_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Periodic: queue again the reports whose message was lost, fail the stuck ones, drop old
    ones asked for on the page. Safe to run twice."""
    now = now or timezone.now()
    lost = list(
        Report.objects.filter(status=ReportStatus.QUEUED, created_at__lt=now - REQUEUE).values_list(
            "pk", flat=True
        )
    )
    for pk in lost:
        _enqueue(pk)
    stuck = Report.objects.filter(status=ReportStatus.RUNNING, started_at__lt=now - STUCK).update(
        status=ReportStatus.FAILED,
        finished_at=now,
        error="The worker stopped while generating the report.",
    )
    old, _counts = Report.objects.filter(schedule__isnull=True, created_at__lt=now - KEEP).delete()
    return {"requeued": len(lost), "failed": stuck, "deleted": old}


def report_filename(report: Report) -> str:
    day = (report.finished_at or report.created_at).astimezone(report.seminar.tz).date()
    return f"{report.seminar.slug}-report-{report.language}-{day.isoformat()}.{report.fmt}"
