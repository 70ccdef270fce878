"""Telling people something needs them: one row per recipient, and an e-mail after commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from keryx.accounts.models import User, Workspace
from keryx.core.tasks import enqueue_on_commit
from keryx.notifications.models import EmailPreference, Notification
from keryx.notifications.tasks import send_notification_email


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    workspace: Workspace | None = None,
    send_email: bool = True,
) -> list[Notification]:
    """Notify each recipient once. ``title`` and ``body`` are already in the words to show:
    say what happened and what to do about it. ``url`` is a path inside Keryx."""
    users = {u.pk: u for u in recipients if u.is_active}
    created = Notification.objects.bulk_create(
        Notification(
            workspace=workspace, recipient=user, kind=kind, title=title[:200], body=body, url=url
        )
        for user in users.values()
    )
    if send_email:
        muted = set(
            EmailPreference.objects.filter(user_id__in=users, kind=kind).values_list(
                "user_id", flat=True
            )
        )
        for note in created:
            if note.recipient_id not in muted:
                enqueue_on_commit(send_notification_email, note.pk)
    return created


def unread_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


@transaction.atomic
def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = unread_for(user)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
