"""Writing and reading the audit log.

The log stores ids, not names or e-mail addresses: the actor is a user id (shown with the user's
current name, so an erased user shows as erased), the object is its type and id, and the object's
text is kept only for models that hold no personal data (see :mod:`keryx.core.personal_data`).
A change to a personal field is recorded as changed, without the old and new values.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models

from keryx.core import personal_data
from keryx.core.models import AuditEntry

SYSTEM = "system"  # actor_label of what Keryx did by itself (a periodic job, the publisher)
CHANGED = "•"  # stands for a personal value in ``changes``: it changed, the log keeps no copy


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields``, for a later :func:`changes_between`."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def personal_fields(model: type[models.Model]) -> frozenset[str]:
    """The fields of ``model`` that its personal-data declarations name."""
    return frozenset(f for kind in personal_data.kinds_for(model) for f in kind.fields)


def _object_repr(obj: models.Model) -> str:
    if personal_data.kinds_for(type(obj)):
        return ""  # shown as "<type> #<id>": its text would be personal data
    return str(obj)[:255]


def _scrubbed(obj: models.Model | None, changes: dict[str, Any]) -> dict[str, Any]:
    if obj is None:
        return changes
    hidden = personal_fields(type(obj))
    return {key: ([CHANGED, CHANGED] if key in hidden else value) for key, value in changes.items()}


def audit_record(
    *,
    action: str,
    actor: models.Model | None,
    workspace: models.Model | None,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. ``action`` is ``<entity>.<verb>``, e.g. ``seminar.update``.

    ``actor`` is a user (``None`` for Keryx itself), ``workspace`` the workspace it happened in.
    """
    return AuditEntry.objects.create(
        workspace_id=workspace.pk if workspace is not None else None,
        actor_id=actor.pk if actor is not None else None,
        actor_label="" if actor is not None else SYSTEM,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=_object_repr(obj) if obj is not None else "",
        changes=_plain(_scrubbed(obj, changes or {})),
    )
