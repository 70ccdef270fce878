"""Erasure (GDPR Art. 17): everything about a person, in every registered app.

Each kind erases its own records (deleting them or anonymising them so that counts survive).
Then the task queue loses any message naming the person, the SQLite files are compacted, and
the request is logged without the address. Files a kind owns (a speaker's photo) are deleted by
that kind's eraser.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from keryx.accounts.models import User
from keryx.core.domain.audit import audit_record
from keryx.core.personal_data import Subject
from keryx.privacy.domain.storage import queue_scrub, sqlite_compact
from keryx.privacy.domain.subjects import clean_email, email_hash, subject_find
from keryx.privacy.models import PrivacyRequest, RequestChannel, RequestKind


@dataclass
class ErasureResult:
    request: PrivacyRequest
    summary: dict[str, int] = field(default_factory=dict)
    compacted: list[str] = field(default_factory=list)

    @property
    def found_anything(self) -> bool:
        return any(v for k, v in self.summary.items() if k != "queue")


def subject_erase(
    email: str,
    *,
    channel: str = RequestChannel.CLI,
    workspace_id: int | None = None,
    requested_by: User | None = None,
) -> ErasureResult:
    """Erase what Keryx holds on ``email`` (in one workspace only, when ``workspace_id``)."""
    email = clean_email(email)
    with transaction.atomic():
        subject, found = subject_find(Subject(email=email), workspace_id=workspace_id)
        summary: dict[str, int] = {}
        for item in found:
            if workspace_id is not None and item.kind.extra.get("erase_in_workspace") is False:
                continue  # a user's account is erased by an operator, not by one workspace
            if item.pks:
                summary[item.kind.key] = item.kind.erase(item.records())
        request = PrivacyRequest.objects.create(
            kind=RequestKind.ERASURE,
            channel=channel,
            email_hash=email_hash(email),
            workspace_id=workspace_id,
            requested_by=requested_by,
        )
    summary["queue"] = queue_scrub([email, *subject.names])
    request.summary = summary
    request.completed_at = timezone.now()
    request.save(update_fields=["summary", "completed_at"])
    if workspace_id is not None:
        audit_record(
            action="privacy.erase",
            actor=requested_by,
            workspace=request.workspace,
            obj=request,
            changes={"records": [None, sum(summary.values())]},
        )
    return ErasureResult(request=request, summary=summary, compacted=sqlite_compact())
