"""Jobs of the analytics app (thin: the domain does the work; each is safe to run twice)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=0)
def generate_report(report_id: int) -> None:
    from keryx.analytics.domain.reports import report_generate

    report_generate(report_id=report_id)


@db_periodic_task(crontab(minute="*/5"))
def reports_sweep_periodic() -> None:
    from keryx.analytics.domain.reports import reports_sweep

    reports_sweep()


@db_periodic_task(crontab(minute="7"))
def scheduled_reports_periodic() -> None:
    from keryx.analytics.domain.schedules import schedules_run

    schedules_run()


@db_periodic_task(crontab(day_of_week="1", minute="17"))
def weekly_digest_periodic() -> None:
    """Mondays, every hour from 00:17 UTC: the first run of the week sends, the others find the
    week sent already (and catch up if the first was missed)."""
    from django.utils import timezone

    from keryx.analytics.domain.mailings import digest_send

    now = timezone.now()
    if now.hour >= 6:
        digest_send(now=now)
