"""Personal data of the notifications app: a user's notifications, and any notification whose
text names a person (a registrant's name in "new registration", a colleague's in a mention).
Deleted on erasure; kept 12 months otherwise."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from keryx.core.personal_data import PersonalDataKind, Subject, delete_records, register
from keryx.notifications.models import EmailPreference, Notification


def _find(subject: Subject) -> QuerySet[Notification]:
    return Notification.objects.filter(
        Q(recipient_id__in=subject.user_ids) | subject.mentioned_in("title", "body", "url")
    )


register(
    PersonalDataKind(
        key="notifications.notification",
        model=Notification,
        label=_("Notifications"),
        fields=("kind", "title", "body", "url", "created_at", "read_at", "emailed_at"),
        find=_find,
        erase=delete_records,
        workspace_field="workspace",
        retention_days=365,
        retention_anchor="created_at",
    )
)

register(
    PersonalDataKind(
        key="notifications.emailpreference",
        model=EmailPreference,
        label=_("Notification e-mail preferences"),
        fields=("kind",),
        find=lambda subject: EmailPreference.objects.filter(user_id__in=subject.user_ids),
        erase=delete_records,
    )
)
