"""Thin periodic task: remind non-respondents (safe to run twice)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/15"))
def survey_reminders_periodic() -> None:
    from keryx.surveys.domain.invitations import reminders_send

    reminders_send()
