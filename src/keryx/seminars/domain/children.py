"""What a seminar's personas, sessions and speakers have in common: validated, saved and
audited the same way."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import models

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record, changes_between, snapshot
from keryx.core.domain.validation import ErrorCollector

M = TypeVar("M", bound=models.Model)


def child_save(
    *,
    access: Access,
    target: M,
    creating: bool,
    fields: Mapping[str, Any],
    allowed: Sequence[str],
    entity: str,
    check: Callable[[ErrorCollector], None] | None = None,
    after_save: Callable[[], dict[str, Any]] | None = None,
) -> M:
    """Set the ``allowed`` fields, validate (plus ``check``), save, then ``after_save`` (which
    returns further changes, e.g. of many-to-many links), and write one audit entry."""
    access.require(Perm.SEMINAR_EDIT)
    before = snapshot(target, allowed)
    for key, value in fields.items():
        if key in allowed:
            setattr(target, key, value)
    errors = ErrorCollector()
    errors.check(target, exclude=["seminar"])
    if check is not None:
        check(errors)
    errors.raise_if_any()
    target.save()
    changes = changes_between(before, snapshot(target, allowed))
    if after_save is not None:
        changes.update(after_save())
    audit_record(
        action=f"{entity}.{'create' if creating else 'update'}",
        actor=access.user,
        workspace=access.workspace,
        obj=target,
        changes=changes,
    )
    return target


def child_delete(*, access: Access, obj: models.Model, entity: str) -> None:
    access.require(Perm.SEMINAR_EDIT)
    audit_record(action=f"{entity}.delete", actor=access.user, workspace=access.workspace, obj=obj)
    obj.delete()
