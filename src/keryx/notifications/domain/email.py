"""The e-mail that goes with a notification, in the recipient's language, through the outbox."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from keryx.core.domain.outbox import outbox_queue
from keryx.notifications.models import Notification

KIND = "notifications.notice"


def notification_email_queue(*, notification: Notification) -> bool:
    """Queue the notification's e-mail in the outbox (once: a second call does nothing).
    Staff notices are service mail about their own work: no list, muted by kind instead."""
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    user = notification.recipient
    language = (
        user.language
        or (notification.workspace.default_language if notification.workspace else "")
        or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        context = {
            "notification": notification,
            "link": f"{settings.KERYX_BASE_URL}{notification.url}"
            if notification.url.startswith("/")
            else notification.url,
        }
        body = render_to_string("notifications/email/notification.txt", context)
    outbox_queue(
        to=user.email,
        language=language,
        kind=KIND,
        ref=f"notification:{notification.pk}",
        subject=f"[Keryx] {notification.title}",
        text=body,
        workspace_id=notification.workspace_id,
    )
    return True


def notification_email_send(*, notification: Notification) -> None:
    """Kept for task messages queued before the outbox: queue it there."""
    notification_email_queue(notification=notification)
