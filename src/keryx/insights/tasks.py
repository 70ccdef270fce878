"""Jobs of the insights app (thin: the domain does the work)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from keryx.accounts.models import Workspace
from keryx.insights.domain.alerts import alert_webhook_send, alerts_scan
from keryx.insights.models import AnalysedText, CrisisAlert


@db_periodic_task(crontab(minute="*"))
def scan_for_crises() -> None:
    """Every minute: the workspaces with texts in the last quarter hour are scanned."""
    since = timezone.now() - dt.timedelta(minutes=15)
    ids = set(
        AnalysedText.objects.filter(posted_at__gt=since).values_list("workspace_id", flat=True)
    )
    for workspace in Workspace.objects.filter(pk__in=ids):
        alerts_scan(workspace)


@db_task(retries=3, retry_delay=30)
def send_alert_webhook(alert_id: int) -> None:
    alert = CrisisAlert.objects.select_related("workspace").filter(pk=alert_id).first()
    if alert is not None:
        alert_webhook_send(alert)
