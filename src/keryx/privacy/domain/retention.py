"""Retention: each kind of personal data is kept for a number of days (the kind's default, or
what a workspace set), then erased the kind's way (deleted, or anonymised so counts survive).

Run every night by a periodic task and by ``keryx privacy retention [--dry-run]``; each run is
recorded with what it removed per kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.core.errors import ValidationFailed
from keryx.core.personal_data import PersonalDataKind, kinds
from keryx.privacy.models import RetentionRun, RetentionSetting

MAX_DAYS = 36500


def retention_kinds() -> list[PersonalDataKind]:
    """The kinds that have a retention period (the others live as long as their owner)."""
    return [k for k in kinds() if k.retention_days is not None and k.retention_anchor]


def _expired(kind: PersonalDataKind, now: datetime) -> list[QuerySet[Any]]:
    """The expired records of ``kind``, per workspace setting, as querysets."""
    assert kind.retention_days is not None
    default = kind.expired(now, kind.retention_days)
    if kind.workspace_field is None:
        return [default]
    overrides = dict(
        RetentionSetting.objects.filter(kind=kind.key).values_list("workspace_id", "days")
    )
    if not overrides:
        return [default]
    parts = [default.exclude(**{f"{kind.workspace_field}__in": list(overrides)})]
    for workspace_id, days in overrides.items():
        parts.append(kind.expired(now, days).filter(**{kind.workspace_field: workspace_id}))
    return parts


@dataclass
class RetentionReport:
    run: RetentionRun
    removed: dict[str, int]


def retention_enforce(*, dry_run: bool = False, now: datetime | None = None) -> RetentionReport:
    """Erase every expired record; with ``dry_run`` only count them. Safe to run twice."""
    now = now or timezone.now()
    removed: dict[str, int] = {}
    for kind in retention_kinds():
        count = 0
        for records in _expired(kind, now):
            pks = list(records.values_list("pk", flat=True))
            if not pks:
                continue
            if dry_run:
                count += len(pks)
            else:
                with transaction.atomic():
                    count += kind.erase(kind.model._default_manager.filter(pk__in=pks))
        if count:
            removed[kind.key] = count
    run = RetentionRun.objects.create(dry_run=dry_run, removed=removed, finished_at=timezone.now())
    return RetentionReport(run=run, removed=removed)


def retention_table(workspace_id: int) -> list[tuple[PersonalDataKind, int, bool]]:
    """(kind, days in force, whether the workspace changed it) for the settings page."""
    overrides = dict(
        RetentionSetting.objects.filter(workspace_id=workspace_id).values_list("kind", "days")
    )
    rows = []
    for kind in retention_kinds():
        if kind.workspace_field is None:
            continue
        assert kind.retention_days is not None
        days = overrides.get(kind.key, kind.retention_days)
        rows.append((kind, days, kind.key in overrides))
    return rows


def retention_set(*, workspace_id: int, kind_key: str, days: int | None) -> None:
    """Set (or, with ``None``, reset to the default) how long a kind is kept in a workspace."""
    known = {k.key: k for k in retention_kinds() if k.workspace_field is not None}
    if kind_key not in known:
        raise ValidationFailed(fields={"kind": [_("Unknown kind of data.")]})
    if days is None or days == known[kind_key].retention_days:
        RetentionSetting.objects.filter(workspace_id=workspace_id, kind=kind_key).delete()
        return
    if not 1 <= days <= MAX_DAYS:
        raise ValidationFailed(fields={"days": [_("Between 1 and 36500 days.")]})
    RetentionSetting.objects.update_or_create(
        workspace_id=workspace_id, kind=kind_key, defaults={"days": days}
    )
