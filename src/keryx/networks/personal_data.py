"""Personal data of the networks app: connected accounts, authorisations under way, and the
comments and mentions read back from the networks (their authors' names, handles and words).

A connected account is usually the organisation's, but it can be a person's own profile (its
name, handle, avatar and the tokens to post as them). Found by network handle; on erasure the
account is disconnected: credentials, name, handle, profile and avatar go, the row stays (posts
published through it keep pointing to it). Authorisations under way are deleted with their user.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from keryx.core.personal_data import (
    ERASED,
    PersonalDataKind,
    Subject,
    delete_records,
    register,
    set_fields,
)
from keryx.networks.models import AccountStatus, NetworkAccount, PendingAuthorization, RemoteItem


def _accounts(subject: Subject) -> QuerySet[NetworkAccount]:
    handles = [h.strip().lstrip("@") for h in subject.network_handles if h.strip()]
    q = Q(pk__in=[])
    for handle in handles:
        q |= Q(handle__iexact=handle) | Q(handle__iexact=f"@{handle}")
    return NetworkAccount.objects.filter(q)


register(
    PersonalDataKind(
        key="networks.networkaccount",
        model=NetworkAccount,
        label=_("Connected network accounts"),
        fields=("network", "name", "handle", "profile_url", "avatar_url", "status"),
        find=_accounts,
        erase=set_fields(
            name=ERASED,
            handle="",
            profile_url="",
            avatar_url="",
            credentials={},
            status=AccountStatus.DISCONNECTED,
            status_message="",
        ),
        workspace_field="workspace",
        notes=_("Found by network handle; disconnected and blanked on erasure."),
    )
)

register(
    PersonalDataKind(
        key="networks.pendingauthorization",
        model=PendingAuthorization,
        label=_("Network authorisations under way"),
        fields=("network", "created_at"),
        find=lambda subject: PendingAuthorization.objects.filter(user_id__in=subject.user_ids),
        erase=delete_records,
        workspace_field="workspace",
        retention_days=1,
        retention_anchor="created_at",
    )
)


def _remote_items(subject: Subject) -> QuerySet[RemoteItem]:
    bare = {h.strip().lstrip("@") for h in subject.network_handles if h.strip()}
    if not bare:
        return RemoteItem.objects.none()
    return RemoteItem.objects.filter(author_handle__in=bare | {f"@{h}" for h in bare})


register(
    PersonalDataKind(
        key="networks.remoteitem",
        model=RemoteItem,
        label=_("Comments and mentions read from the networks"),
        fields=("author_name", "author_handle", "text", "url", "raw"),
        find=_remote_items,
        # The item stays (counts survive) without its author or words.
        erase=set_fields(author_name="", author_handle="", text="", url="", raw={}),
        workspace_field="account__workspace",
        retention_days=365,
        retention_anchor="created_at",
        notes=_(
            "Public comments and mentions of the workspace's accounts, read back for the inbox; "
            "erasing keeps the row (counts) without the author or the words."
        ),
    )
)
