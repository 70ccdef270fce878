"""Interview notes: structured, tagged, searchable with case and accents folded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.errors import ValidationFailed
from keryx.core.text import text_key
from keryx.surveys.models import Interview

NOTE_FIELDS = ("context", "highlights", "pain_points", "quotes", "follow_up")


def _search_key(interview: Interview) -> str:
    parts = [interview.person, *interview.tags, *(getattr(interview, f) for f in NOTE_FIELDS)]
    return text_key(" ".join(parts))


def interview_save(
    *, access: Access, fields: Mapping[str, Any], interview: Interview | None = None
) -> Interview:
    access.require(Perm.SURVEYS_EDIT)
    target = interview or Interview(workspace=access.workspace)
    person = str(fields.get("person", target.person or "")).strip()
    if not person:
        raise ValidationFailed(fields={"person": [_("Say who was interviewed.")]})
    target.person = person[:150]
    target.role = str(fields.get("role") or target.role or "attendee")
    target.held_on = fields.get("held_on") or target.held_on or timezone.localdate()
    if "seminar" in fields:
        target.seminar = fields["seminar"]
    for name in NOTE_FIELDS:
        if name in fields:
            setattr(target, name, str(fields[name] or "").strip())
    if "tags" in fields:
        raw = fields["tags"]
        tags = raw.split(",") if isinstance(raw, str) else list(raw)
        target.tags = sorted({t.strip().lstrip("#") for t in tags if t.strip()}, key=text_key)
    target.search_key = _search_key(target)
    target.save()
    audit_record(action="interview.save", actor=access.user, workspace=access.workspace, obj=target)
    return target


def interviews_search(access: Access, *, query: str = "", tag: str = "") -> QuerySet[Interview]:
    access.require(Perm.SURVEYS_EDIT)
    qs = Interview.objects.filter(workspace=access.workspace).select_related("seminar")
    for word in text_key(query).split():
        qs = qs.filter(search_key__contains=word)
    if tag:
        qs = qs.filter(search_key__contains=text_key(tag))
    return qs
