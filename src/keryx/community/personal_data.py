"""Personal data of the community: members (a name shown, the registration behind them) and
what they wrote (threads and replies). Found by the registration or its e-mail address;
members are deleted on erasure (their links stop working), what they wrote is blanked so a
discussion keeps its shape (decision 0866)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from keryx.community.models import Member, Reply, Thread
from keryx.core.personal_data import ERASED, PersonalDataKind, Subject, delete_records, register

TWO_YEARS = 730


def _members(subject: Subject) -> QuerySet[Member]:
    match = Q(pk__in=[])
    if subject.registration_ids:
        match |= Q(registration_id__in=subject.registration_ids)
    if subject.email_folded:
        match |= Q(registration__email__iexact=subject.email_folded)
    return Member.objects.filter(match)


def _erase_threads(records: QuerySet[Any]) -> int:
    return int(records.update(title=ERASED, body=ERASED, member=None))


def _erase_replies(records: QuerySet[Any]) -> int:
    return int(records.update(body=ERASED, member=None))


register(
    PersonalDataKind(
        key="community.member",
        model=Member,
        label=_("Community members"),
        fields=("display_name", "language", "joined_at", "last_seen_at"),
        find=_members,
        erase=delete_records,
        workspace_field="community__workspace",
        retention_days=TWO_YEARS,
        retention_anchor="created_at",
        notes=_("Deleted on erasure: the person's links to the community stop working."),
    )
)
register(
    PersonalDataKind(
        key="community.thread",
        model=Thread,
        label=_("Community discussions started"),
        fields=("title", "body"),
        find=lambda subject: Thread.objects.filter(member__in=_members(subject)),
        erase=_erase_threads,
        workspace_field="community__workspace",
        retention_days=TWO_YEARS,
        retention_anchor="created_at",
        export=lambda records: [
            {"id": t.pk, "title": t.title, "body": t.body, "created_at": t.created_at.isoformat()}
            for t in records
        ],
    )
)
register(
    PersonalDataKind(
        key="community.reply",
        model=Reply,
        label=_("Community replies"),
        fields=("body",),
        find=lambda subject: Reply.objects.filter(member__in=_members(subject)),
        erase=_erase_replies,
        workspace_field="thread__community__workspace",
        retention_days=TWO_YEARS,
        retention_anchor="created_at",
        export=lambda records: [
            {
                "id": r.pk,
                "thread": r.thread_id,
                "body": r.body,
                "created_at": r.created_at.isoformat(),
            }
            for r in records
        ],
    )
)
