"""The personal-data registry: every app declares the personal data it holds.

Each app that stores anything about a person has a module ``<app>/personal_data.py`` that calls
:func:`register` once per kind of record at import time. Core imports those modules when Django
starts (:func:`autodiscover`, called from ``CoreConfig.ready``), the way ``checks`` are found, so
core never imports another app by name. The privacy app orchestrates export, erasure and retention
from this registry alone; a test fails when a model with personal fields is not covered.

A declaration says, for one model:

* ``fields``: the model's personal fields (names, e-mail addresses, free text about a person,
  network handles, IP-derived data). The coverage test compares them with the model.
* ``find(subject)``: a queryset of the records that belong to the person.
* ``export(records)``: plain JSON-able dicts (defaults to the personal fields plus ``id``).
* ``erase(records)``: delete or anonymise; returns how many records were touched. Aggregates
  (counts) must survive, so anonymising is preferred where a row is counted somewhere.
* ``retention``: the default number of days a record is kept, counted from ``retention_anchor``
  (a datetime field name on the model, or a callable returning a queryset of expired records);
  ``None`` when the record lives as long as its owner (e.g. a user's own account).
* ``workspace_field``: the lookup from the model to its workspace (``"seminar__workspace"``), so
  an export or a retention setting can be scoped to one workspace; ``None`` when the record
  belongs to no workspace (a user's own account): a workspace-scoped export leaves it out.
* ``resolve(subject)``: what this kind knows about the person that other kinds need to find
  theirs: registration ids, user ids, the names the person is known by (free texts are searched
  for the e-mail address and these names). The privacy app calls every ``resolve`` first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.functional import Promise


@dataclass(frozen=True)
class Subject:
    """Who a request is about. Any field may be empty; a kind uses those it understands."""

    email: str = ""
    registration_ids: tuple[int, ...] = ()
    participant_keys: tuple[str, ...] = ()
    network_handles: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    user_ids: tuple[int, ...] = ()
    # (``app_label.model_name``, pk) of every record found for the person, filled in by the
    # privacy app before anything is erased: the audit log finds its entries about them by it.
    records: tuple[tuple[str, str], ...] = ()

    @property
    def email_folded(self) -> str:
        return self.email.strip().casefold()

    def merged(self, **more: tuple[Any, ...]) -> Subject:
        """This subject with more ids/names/handles (duplicates dropped, order kept)."""
        from dataclasses import replace

        values = {
            key: tuple(dict.fromkeys((*getattr(self, key), *extra))) for key, extra in more.items()
        }
        return replace(self, **values)  # type: ignore[arg-type]

    def mentioned_in(self, *fields: str) -> Q:
        """Rows whose ``fields`` contain the e-mail address or one of the names (any case).

        Names shorter than four characters are not searched for: they would match everywhere.
        """
        needles = [n for n in (self.email.strip(), *self.names) if len(n.strip()) >= 4]
        q = Q(pk__in=[])
        for name in fields:
            for needle in needles:
                q |= Q(**{f"{name}__icontains": needle.strip()})
        return q


def erased_email(pk: object) -> str:
    """The placeholder address an anonymised record gets (unique per record, says nothing)."""
    return f"erased-{pk}@erased.invalid"


ERASED = "[erased]"


Finder = Callable[[Subject], "models.QuerySet[Any]"]
Exporter = Callable[["models.QuerySet[Any]"], list[dict[str, Any]]]
Eraser = Callable[["models.QuerySet[Any]"], int]
Expired = Callable[[datetime, int], "models.QuerySet[Any]"]
Resolver = Callable[[Subject], Subject]


@dataclass(frozen=True)
class PersonalDataKind:
    key: str  # "<app_label>.<model_name>", e.g. "registrations.registration"
    model: type[models.Model]
    label: str | Promise  # gettext_lazy: shown to the data protection officer
    fields: tuple[str, ...]
    find: Finder
    erase: Eraser
    export: Exporter | None = None
    retention_days: int | None = None
    retention_anchor: str | Expired | None = None
    notes: str | Promise = ""
    extra: dict[str, Any] = field(default_factory=dict)
    workspace_field: str | None = None
    resolve: Resolver | None = None

    def export_records(self, records: models.QuerySet[Any]) -> list[dict[str, Any]]:
        if self.export is not None:
            return self.export(records)
        return [{"id": row.pop("id"), **row} for row in records.values("id", *self.fields)]

    def expired(self, now: datetime, days: int) -> models.QuerySet[Any]:
        """Records older than ``days`` by the anchor; empty when the kind has no retention."""
        anchor = self.retention_anchor
        if anchor is None:
            return self.model._default_manager.none()
        if callable(anchor):
            return anchor(now, days)
        from datetime import timedelta

        return self.model._default_manager.filter(**{f"{anchor}__lt": now - timedelta(days=days)})


def delete_records(records: models.QuerySet[Any]) -> int:
    """An eraser that deletes the records (and what cascades from them); returns how many."""
    _total, per_model = records.delete()
    return int(per_model.get(records.model._meta.label, 0))


def set_fields(**values: Any) -> Eraser:
    """An eraser that overwrites fields in place (the row stays, so counts survive)."""

    def erase(records: models.QuerySet[Any]) -> int:
        return int(records.update(**values))

    return erase


_REGISTRY: dict[str, PersonalDataKind] = {}


def register(kind: PersonalDataKind) -> PersonalDataKind:
    """Declare one kind of personal data. Registering the same key twice is a bug."""
    existing = _REGISTRY.get(kind.key)
    if existing is not None and existing.model is not kind.model:
        raise ValueError(f"personal data kind {kind.key!r} is registered twice")
    _REGISTRY[kind.key] = kind
    return kind


def kinds() -> list[PersonalDataKind]:
    return sorted(_REGISTRY.values(), key=lambda k: k.key)


def kinds_for(model: type[models.Model]) -> list[PersonalDataKind]:
    return [k for k in _REGISTRY.values() if k.model is model]


def covered_models() -> Iterable[type[models.Model]]:
    return {k.model for k in _REGISTRY.values()}


def autodiscover() -> None:
    """Import ``personal_data`` from every installed app that has one."""
    from django.utils.module_loading import autodiscover_modules

    from keryx.core.audit_data import AUDIT_KIND

    register(AUDIT_KIND)
    autodiscover_modules("personal_data")
