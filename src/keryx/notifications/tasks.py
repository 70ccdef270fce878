from __future__ import annotations

from huey.contrib.djhuey import db_task

from keryx.notifications.domain.email import notification_email_send
from keryx.notifications.models import Notification


@db_task(retries=3, retry_delay=120)
def send_notification_email(notification_id: int) -> None:
    notification = (
        Notification.objects.select_related("recipient", "workspace")
        .filter(pk=notification_id)
        .first()
    )
    if notification is not None:
        notification_email_send(notification=notification)
