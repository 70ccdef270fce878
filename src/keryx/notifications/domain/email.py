"""The e-mail that goes with a notification, in the recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from keryx.notifications.models import Notification


def notification_email_send(*, notification: Notification) -> None:
    if notification.emailed_at is not None:
        return  # sent already (a task ran twice)
    user = notification.recipient
    language = user.language or (
        notification.workspace.default_language if notification.workspace else ""
    )
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "notification": notification,
            "link": f"{settings.KERYX_BASE_URL}{notification.url}"
            if notification.url.startswith("/")
            else notification.url,
        }
        body = render_to_string("notifications/email/notification.txt", context)
    send_mail(f"[Keryx] {notification.title}", body, None, [user.email])
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
