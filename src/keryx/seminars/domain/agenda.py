"""The agenda: sessions and speakers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.core.domain.validation import ErrorCollector
from keryx.seminars.domain.children import child_delete, child_save
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
    target = session if session is not None else Session(seminar=seminar)
    speakers: list[Speaker] = []

    def check(errors: ErrorCollector) -> None:
        if speaker_ids is not None:
            speakers.extend(Speaker.objects.filter(seminar=seminar, pk__in=speaker_ids))
            if len(speakers) != len(set(speaker_ids)):
                errors.add("speakers", _("Choose speakers of this seminar."))

    def link_speakers() -> dict[str, Any]:
        if speaker_ids is None:
            return {}
        old = sorted(target.speakers.values_list("pk", flat=True)) if session is not None else []
        target.speakers.set(speakers)
        new = sorted(s.pk for s in speakers)
        return {"speakers": [old, new]} if old != new else {}

    return child_save(
        access=access,
        target=target,
        creating=session is None,
        fields=fields,
        allowed=SESSION_FIELDS,
        entity="session",
        check=check,
        after_save=link_speakers,
    )


@transaction.atomic
def session_delete(*, access: Access, session: Session) -> None:
    child_delete(access=access, obj=session, entity="session")


@transaction.atomic
def speaker_save(
    *, access: Access, seminar: Seminar, fields: Mapping[str, Any], speaker: Speaker | None = None
) -> Speaker:
    return child_save(
        access=access,
        target=speaker if speaker is not None else Speaker(seminar=seminar),
        creating=speaker is None,
        fields=fields,
        allowed=SPEAKER_FIELDS,
        entity="speaker",
    )


@transaction.atomic
def speaker_delete(*, access: Access, speaker: Speaker) -> None:
    child_delete(access=access, obj=speaker, entity="speaker")
