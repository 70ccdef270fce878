"""The agenda: sessions and speakers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record, changes_between, snapshot
from keryx.core.domain.validation import ErrorCollector
from keryx.seminars.models import Seminar, Session, Speaker

SESSION_FIELDS = ("title", "kind", "description", "starts_at", "ends_at", "room")
SPEAKER_FIELDS = (
    "name",
    "job_title",
    "organisation",
    "bio",
    "photo",
    "handles",
    "website",
    "position",
)


@transaction.atomic
def session_save(
    *,
    access: Access,
    seminar: Seminar,
    fields: Mapping[str, Any],
    speaker_ids: Sequence[int] | None = None,
    session: Session | None = None,
) -> Session:
    access.require(Perm.SEMINAR_EDIT)
    creating = session is None
    target = session if session is not None else Session(seminar=seminar)
    before = snapshot(target, SESSION_FIELDS)
    for key, value in fields.items():
        if key in SESSION_FIELDS:
            setattr(target, key, value)
    errors = ErrorCollector()
    errors.check(target, exclude=["seminar"])
    speakers: list[Speaker] = []
    if speaker_ids is not None:
        speakers = list(Speaker.objects.filter(seminar=seminar, pk__in=speaker_ids))
        if len(speakers) != len(set(speaker_ids)):
            errors.add("speakers", _("Choose speakers of this seminar."))
    errors.raise_if_any()
    target.save()
    changes = changes_between(before, snapshot(target, SESSION_FIELDS))
    if speaker_ids is not None:
        old = sorted(target.speakers.values_list("pk", flat=True)) if not creating else []
        target.speakers.set(speakers)
        new = sorted(s.pk for s in speakers)
        if old != new:
            changes["speakers"] = [old, new]
    audit_record(
        action="session.create" if creating else "session.update",
        actor=access.user,
        workspace=access.workspace,
        obj=target,
        changes=changes,
    )
    return target


@transaction.atomic
def session_delete(*, access: Access, session: Session) -> None:
    access.require(Perm.SEMINAR_EDIT)
    audit_record(
        action="session.delete", actor=access.user, workspace=access.workspace, obj=session
    )
    session.delete()


@transaction.atomic
def speaker_save(
    *, access: Access, seminar: Seminar, fields: Mapping[str, Any], speaker: Speaker | None = None
) -> Speaker:
    access.require(Perm.SEMINAR_EDIT)
    creating = speaker is None
    target = speaker if speaker is not None else Speaker(seminar=seminar)
    before = snapshot(target, SPEAKER_FIELDS)
    for key, value in fields.items():
        if key in SPEAKER_FIELDS:
            setattr(target, key, value)
    errors = ErrorCollector()
    errors.check(target, exclude=["seminar"])
    errors.raise_if_any()
    target.save()
    audit_record(
        action="speaker.create" if creating else "speaker.update",
        actor=access.user,
        workspace=access.workspace,
        obj=target,
        changes=changes_between(before, snapshot(target, SPEAKER_FIELDS)),
    )
    return target


@transaction.atomic
def speaker_delete(*, access: Access, speaker: Speaker) -> None:
    access.require(Perm.SEMINAR_EDIT)
    audit_record(
        action="speaker.delete", actor=access.user, workspace=access.workspace, obj=speaker
    )
    speaker.delete()
