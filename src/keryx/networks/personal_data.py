"""Personal data the networks app holds about people who are not its users: the authors of
comments and mentions read back from the networks (their name, handle and what they wrote).
Found by network handle; erased by anonymising (the item stays, so counts survive).
Connected accounts are the organisation's own, not a person's."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from keryx.core.personal_data import PersonalDataKind, Subject, register
from keryx.networks.models import RemoteItem


def _handles(subject: Subject) -> set[str]:
    found: set[str] = set()
    for handle in subject.network_handles:
        bare = handle.strip().lstrip("@")
        if bare:
            found |= {bare, "@" + bare}
    return found


def _find(subject: Subject) -> models.QuerySet[Any]:
    handles = _handles(subject)
    if not handles:
        return RemoteItem.objects.none()
    return RemoteItem.objects.filter(author_handle__in=handles)


def _erase(records: models.QuerySet[Any]) -> int:
    return records.update(author_name="", author_handle="", text="", url="", raw={})


register(
    PersonalDataKind(
        key="networks.remoteitem",
        model=RemoteItem,
        label=_("Comments and mentions read from the networks"),
        fields=("author_name", "author_handle", "text", "url", "raw"),
        find=_find,
        erase=_erase,
        retention_days=365,
        retention_anchor="created_at",
        notes=_(
            "Public comments and mentions of the workspace's accounts, read back for the inbox; "
            "erasing keeps the row (counts) without the author or the words."
        ),
    )
)
