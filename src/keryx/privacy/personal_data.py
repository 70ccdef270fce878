"""Personal data kept by the libraries Keryx builds on, declared here (they cannot declare it
themselves): sign-in e-mail addresses and MFA devices (django-allauth), failed and successful
sign-ins (django-axes: the address typed, the IP, the browser), the admin's history, sessions.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from keryx.core.personal_data import (
    PersonalDataKind,
    Subject,
    delete_records,
    register,
    set_fields,
)


def _register_allauth() -> None:
    if not apps.is_installed("allauth.account"):
        return
    from allauth.account.models import EmailAddress

    def find(subject: Subject) -> QuerySet[EmailAddress]:
        q = Q(user_id__in=subject.user_ids)
        if subject.email:
            q |= Q(email__iexact=subject.email.strip())
        return EmailAddress.objects.filter(q)

    register(
        PersonalDataKind(
            key="account.emailaddress",
            model=EmailAddress,
            label=_("Sign-in e-mail addresses"),
            fields=("email", "verified", "primary"),
            find=find,
            erase=delete_records,
        )
    )
    if apps.is_installed("allauth.mfa"):
        from allauth.mfa.models import Authenticator

        register(
            PersonalDataKind(
                key="mfa.authenticator",
                model=Authenticator,
                label=_("Two-factor authentication devices"),
                fields=("type", "created_at", "last_used_at"),
                find=lambda subject: Authenticator.objects.filter(user_id__in=subject.user_ids),
                erase=delete_records,
            )
        )


def _register_axes() -> None:
    if not apps.is_installed("axes"):
        return
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model, label in (
        (AccessAttempt, _("Failed sign-in attempts")),
        (AccessFailureLog, _("Failed sign-in log")),
        (AccessLog, _("Sign-in log")),
    ):

        def find(subject: Subject, model: type[Model] = model) -> QuerySet[Any]:
            if not subject.email:
                return model._default_manager.none()
            return model._default_manager.filter(username__iexact=subject.email.strip())

        register(
            PersonalDataKind(
                key=model._meta.label_lower,
                model=model,
                label=label,
                fields=("username", "ip_address", "user_agent", "attempt_time"),
                find=find,
                erase=delete_records,
                retention_days=90,
                retention_anchor="attempt_time",
            )
        )


def _admin_log(subject: Subject) -> QuerySet[LogEntry]:
    q = Q(user_id__in=subject.user_ids) | subject.mentioned_in("object_repr", "change_message")
    for label, pk in subject.records:
        app_label, model = label.split(".", 1)
        q |= Q(content_type__app_label=app_label, content_type__model=model, object_id=pk)
    return LogEntry.objects.filter(q)


def _sessions(subject: Subject) -> QuerySet[Session]:
    """Sessions of the person's users, or holding their address (decoded one by one)."""
    if not (subject.user_ids or subject.email):
        return Session.objects.none()
    wanted = {str(pk) for pk in subject.user_ids}
    needle = subject.email_folded
    found = []
    for session in Session.objects.all().iterator():
        data = session.get_decoded()
        if str(data.get("_auth_user_id", "")) in wanted or (
            needle and needle in repr(data).casefold()
        ):
            found.append(session.pk)
    return Session.objects.filter(pk__in=found)


register(
    PersonalDataKind(
        key="admin.logentry",
        model=LogEntry,
        label=_("Django admin history"),
        fields=("object_repr", "change_message", "action_time"),
        find=_admin_log,
        erase=set_fields(object_repr="", change_message=""),
    )
)

register(
    PersonalDataKind(
        key="sessions.session",
        model=Session,
        label=_("Signed-in sessions"),
        fields=("expire_date",),
        find=_sessions,
        erase=delete_records,
        export=lambda records: [{"expire_date": s.expire_date.isoformat()} for s in records],
    )
)

_register_allauth()
_register_axes()
