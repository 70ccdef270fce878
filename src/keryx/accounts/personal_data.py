"""Personal data of the accounts app: users, their memberships (and invitations), API tokens.

A user is anonymised, not deleted: posts, reviews, check-ins and audit entries point to users,
and they stay (counted, attributed to "erased user"). Memberships and tokens go: an erased user
can no longer sign in anywhere. An invitation is a membership plus an e-mail task; the privacy app
removes pending task messages that mention the person.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from keryx.accounts.models import ApiToken, Membership, User
from keryx.core.personal_data import (
    PersonalDataKind,
    Subject,
    delete_records,
    erased_email,
    register,
)


def _users(subject: Subject) -> QuerySet[User]:
    q = Q(pk__in=subject.user_ids)
    if subject.email:
        q |= Q(email__iexact=subject.email.strip())
    return User.objects.filter(q)


def _resolve(subject: Subject) -> Subject:
    users = list(_users(subject).values_list("id", "full_name", "first_name", "last_name"))
    names: list[str] = []
    for _pk, full, first, last in users:
        names += [n for n in (full, f"{first} {last}".strip()) if n]
    return subject.merged(user_ids=tuple(u[0] for u in users), names=tuple(names))


def _erase_users(records: QuerySet[User]) -> int:
    touched = 0
    for user in records:
        user.email = erased_email(user.pk)
        user.full_name = user.first_name = user.last_name = ""
        user.password = make_password(None)
        user.is_active = user.is_staff = user.is_superuser = False
        user.save()
        touched += 1
    return touched


def _export_users(records: QuerySet[User]) -> list[dict[str, Any]]:
    return [
        {
            "id": u.pk,
            "email": u.email,
            "full_name": u.full_name,
            "first_name": u.first_name,
            "last_name": u.last_name,
            "language": u.language,
            "time_zone": u.time_zone,
            "date_joined": u.date_joined.isoformat(),
            "last_login": u.last_login.isoformat() if u.last_login else None,
        }
        for u in records
    ]


register(
    PersonalDataKind(
        key="accounts.user",
        model=User,
        label=_("User account"),
        fields=("email", "full_name", "first_name", "last_name", "language", "time_zone"),
        find=_users,
        erase=_erase_users,
        export=_export_users,
        resolve=_resolve,
        workspace_field="memberships__workspace",
        extra={"erase_in_workspace": False},
        notes=_("Anonymised, not deleted: what the user did stays, as an erased user's."),
    )
)

register(
    PersonalDataKind(
        key="accounts.membership",
        model=Membership,
        label=_("Workspace memberships and invitations"),
        fields=("workspace_id", "role", "created_at"),
        find=lambda subject: Membership.objects.filter(user_id__in=subject.user_ids),
        erase=delete_records,
        extra={"erase_in_workspace": False},
        workspace_field="workspace",
    )
)

register(
    PersonalDataKind(
        key="accounts.apitoken",
        model=ApiToken,
        label=_("API tokens"),
        fields=("name", "created_at", "last_used_at", "expires_at", "revoked_at"),
        find=lambda subject: ApiToken.objects.filter(user_id__in=subject.user_ids),
        erase=delete_records,
        workspace_field="user__memberships__workspace",
        extra={"erase_in_workspace": False},
        notes=_("Only a hash of each secret is kept; the tokens are deleted."),
    )
)
