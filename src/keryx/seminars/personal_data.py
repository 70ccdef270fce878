"""Personal data of the seminars app: speakers.

A speaker is a real person: name, job title, organisation, bio, photo, social handles, website.
There is no e-mail address to find them by, so a request finds a speaker by the exact name or a
social handle. On erasure the speaker stays on the agenda as "[erased]" and everything else about
them goes, the photo file included. Personas are made-up people (no entry needed).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from keryx.core.personal_data import ERASED, PersonalDataKind, Subject, register
from keryx.seminars.models import Speaker


def _speakers(subject: Subject) -> QuerySet[Speaker]:
    q = Q(pk__in=[])
    for name in subject.names:
        if name.strip():
            q |= Q(name__iexact=name.strip())
    speakers = Speaker.objects.filter(q).exclude(name=ERASED)
    handles = {h.strip().lstrip("@").casefold() for h in subject.network_handles if h.strip()}
    if not handles:
        return speakers
    by_handle = [
        s.pk
        for s in Speaker.objects.exclude(handles={}).only("id", "handles")
        if isinstance(s.handles, dict)
        and handles & {str(v).strip().lstrip("@").casefold() for v in s.handles.values()}
    ]
    return Speaker.objects.filter(Q(pk__in=speakers.values("pk")) | Q(pk__in=by_handle))


def _resolve(subject: Subject) -> Subject:
    """A speaker found by name brings their social handles (their accounts are found by them)."""
    handles: list[str] = []
    for found in _speakers(subject).only("handles"):
        if isinstance(found.handles, dict):
            handles += [str(v).strip() for v in found.handles.values() if str(v).strip()]
    return subject.merged(network_handles=tuple(handles))


def _erase(records: QuerySet[Speaker]) -> int:
    touched = 0
    for speaker in records:
        if speaker.photo:
            speaker.photo.delete(save=False)
        speaker.name = ERASED
        speaker.job_title = speaker.organisation = speaker.bio = speaker.website = ""
        speaker.handles = {}
        speaker.save()
        touched += 1
    return touched


def _export(records: QuerySet[Speaker]) -> list[dict[str, Any]]:
    return [
        {
            "id": s.pk,
            "seminar": s.seminar.title,
            "name": s.name,
            "job_title": s.job_title,
            "organisation": s.organisation,
            "bio": s.bio,
            "photo": s.photo.name if s.photo else "",
            "handles": s.handles,
            "website": s.website,
        }
        for s in records.select_related("seminar")
    ]


register(
    PersonalDataKind(
        key="seminars.speaker",
        model=Speaker,
        label=_("Speakers"),
        fields=("name", "job_title", "organisation", "bio", "photo", "handles", "website"),
        find=_speakers,
        erase=_erase,
        export=_export,
        resolve=_resolve,
        workspace_field="seminar__workspace",
    )
)
