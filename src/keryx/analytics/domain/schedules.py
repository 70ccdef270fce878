"""Scheduled reports: every week (ISO week) or month, one report per schedule and period,
generated in the background and e-mailed as a link when ready (decision 0963). The periodic job
runs every hour; the unique (schedule, period) row makes a second run of the period do
nothing, and a period is started by the first run inside it."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.analytics.domain.mailings import week_of
from keryx.analytics.domain.reports import LANGUAGES, _enqueue
from keryx.analytics.report_models import Frequency, Report, ReportFormat, ReportSchedule
from keryx.core.errors import NotFound, ValidationFailed
from keryx.seminars.models import Seminar


def period_of(frequency: str, moment: dt.datetime) -> str:
    if frequency == Frequency.WEEKLY:
        return week_of(moment)
    return f"{moment.year}-{moment.month:02d}"


def schedule_create(
    *, access: Access, seminar: Seminar, frequency: str, fmt: str, language: str
) -> ReportSchedule:
    access.require(Perm.ANALYTICS_EDIT)
    if seminar.workspace_id != access.workspace.pk:
        raise NotFound()
    if (
        frequency not in Frequency.values
        or fmt not in ReportFormat.values
        or language not in LANGUAGES
    ):
        raise ValidationFailed()
    try:
        with transaction.atomic():
            return ReportSchedule.objects.create(
                workspace=access.workspace,
                seminar=seminar,
                frequency=frequency,
                fmt=fmt,
                language=language,
                created_by=access.user,
            )
    except IntegrityError:
        raise ValidationFailed(_("This report is scheduled already.")) from None


def schedule_delete(*, access: Access, schedule_id: int) -> None:
    access.require(Perm.ANALYTICS_EDIT)
    deleted, _counts = ReportSchedule.objects.filter(
        workspace=access.workspace, pk=schedule_id
    ).delete()
    if not deleted:
        raise NotFound()


def schedules_run(*, now: dt.datetime | None = None) -> int:
    """Start this period's report of every schedule that has none yet; returns how many."""
    now = now or timezone.now()
    started = 0
    for schedule in ReportSchedule.objects.select_related("seminar"):
        period = period_of(schedule.frequency, now.astimezone(schedule.seminar.tz))
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    workspace_id=schedule.workspace_id,
                    seminar=schedule.seminar,
                    fmt=schedule.fmt,
                    language=schedule.language,
                    schedule=schedule,
                    period=period,
                )
                transaction.on_commit(partial(_enqueue, report.pk))
        except IntegrityError:
            continue
        started += 1
    return started
