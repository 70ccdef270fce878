"""Core's own personal data: the audit log.

Core's ``personal_data`` module is the registry itself, so the audit log's declaration lives
here and :func:`keryx.core.personal_data.autodiscover` registers it first.

Entries store ids, not names or e-mail addresses, since decision 0761; what older entries or a
free-text change may still hold about a person is blanked on erasure. The entry itself stays
(who did what and when is counted and kept), its actor pointing to the anonymised user.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from keryx.core.models import AuditEntry
from keryx.core.personal_data import PersonalDataKind, Subject

SYSTEM = "system"


def _find(subject: Subject) -> QuerySet[AuditEntry]:
    q = subject.mentioned_in("actor_label", "object_repr", "changes")
    if subject.user_ids:
        q |= Q(actor_id__in=subject.user_ids)
    by_type: dict[str, list[str]] = {}
    for label, pk in subject.records:
        by_type.setdefault(label, []).append(pk)
    for label, pks in by_type.items():
        q |= Q(object_type=label, object_id__in=pks)
    return AuditEntry.objects.filter(q)


def _erase(records: QuerySet[AuditEntry]) -> int:
    touched = 0
    for entry in records.only("id", "actor_label", "changes"):
        entry.actor_label = SYSTEM if entry.actor_label == SYSTEM else ""
        entry.object_repr = ""
        entry.changes = {key: ["•", "•"] for key in entry.changes} if entry.changes else {}
        entry.save(update_fields=["actor_label", "object_repr", "changes"])
        touched += 1
    return touched


def _export(records: QuerySet[AuditEntry]) -> list[dict[str, Any]]:
    return [
        {
            "id": e.pk,
            "created_at": e.created_at.isoformat(),
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "changes": e.changes,
        }
        for e in records
    ]


AUDIT_KIND = PersonalDataKind(
    key="core.auditentry",
    model=AuditEntry,
    label=_("Audit log entries"),
    fields=("actor_label", "object_repr", "changes"),
    find=_find,
    erase=_erase,
    export=_export,
    workspace_field="workspace",
    notes=_(
        "What a person did in Keryx and what was done to their records. On erasure the entry "
        "stays (the action, the time, the ids) and any text about the person is blanked."
    ),
)
