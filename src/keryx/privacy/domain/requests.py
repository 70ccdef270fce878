"""Export requests: logged like erasures, without the address."""

from __future__ import annotations

from django.utils import timezone

from keryx.accounts.models import User
from keryx.core.personal_data import Subject
from keryx.privacy.domain.export import export_found
from keryx.privacy.domain.subjects import clean_email, email_hash, subject_find
from keryx.privacy.models import PrivacyRequest, RequestChannel, RequestKind


def subject_export_logged(
    email: str,
    *,
    channel: str = RequestChannel.CLI,
    workspace_id: int | None = None,
    requested_by: User | None = None,
) -> tuple[bytes, PrivacyRequest]:
    """The ZIP of everything held on ``email`` and the logged request (with its counts)."""
    email = clean_email(email)
    _subject, found = subject_find(Subject(email=email), workspace_id=workspace_id)
    data, summary = export_found(found, email=email)
    request = PrivacyRequest.objects.create(
        kind=RequestKind.EXPORT,
        channel=channel,
        email_hash=email_hash(email),
        workspace_id=workspace_id,
        requested_by=requested_by,
        summary=summary,
        completed_at=timezone.now(),
    )
    return data, request
