"""Creating and changing seminars, with their personas, KPI targets and translations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record, changes_between, snapshot
from keryx.core.domain.validation import ErrorCollector
from keryx.core.slugs import unique_slug
from keryx.core.text import normalize_hashtag
from keryx.seminars.domain.children import child_delete, child_save
from keryx.seminars.domain.deletion import seminar_delete as seminar_delete  # re-export
from keryx.seminars.enums import KpiMetric
from keryx.seminars.models import KpiTarget, Persona, Seminar, SeminarTranslation

SEMINAR_FIELDS = (
    "title",
    "summary",
    "description",
    "language",
    "languages",
    "format",
    "time_zone",
    "starts_at",
    "ends_at",
    "venue_name",
    "venue_address",
    "venue_city",
    "venue_country",
    "map_url",
    "online_url",
    "stream_url",
    "capacity",
    "hashtags",
    "currency",
)
PERSONA_FIELDS = (
    "name",
    "age_band",
    "gender",
    "profession",
    "sector",
    "region",
    "interests",
    "preferred_networks",
    "notes",
)


@dataclass
class SeminarData:
    """Everything a seminar form or API request carries, already parsed to Python values."""

    fields: dict[str, Any]
    personas: Sequence[Mapping[str, Any]] | None = None
    kpi_targets: Mapping[str, Any] | None = None
    translations: Sequence[Mapping[str, Any]] | None = field(default=None)


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    clean = {k: v for k, v in fields.items() if k in SEMINAR_FIELDS}
    if isinstance(clean.get("hashtags"), list):
        clean["hashtags"] = [normalize_hashtag(t) for t in clean["hashtags"] if str(t).strip()]
    for key in ("title", "summary", "venue_name", "venue_address", "venue_city"):
        if isinstance(clean.get(key), str):
            clean[key] = clean[key].strip()
    return clean


def _check_kpis(targets: Mapping[str, Any], errors: ErrorCollector) -> dict[str, Decimal | None]:
    parsed: dict[str, Decimal | None] = {}
    for metric, raw in targets.items():
        if metric not in KpiMetric.values:
            errors.add(f"kpi_targets.{metric}", _("Unknown measure."))
            continue
        if raw is None or raw == "":
            parsed[metric] = None
            continue
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            errors.add(f"kpi_targets.{metric}", _("Enter a number."))
            continue
        errors.check(
            KpiTarget(metric=metric, target=value),
            prefix=f"kpi_targets.{metric}.",
            exclude=["seminar"],
        )
        parsed[metric] = value
    return parsed


def _build_personas(
    seminar: Seminar, rows: Sequence[Mapping[str, Any]], errors: ErrorCollector
) -> list[Persona]:
    personas = []
    for index, row in enumerate(rows):
        persona = Persona(seminar=seminar, **{k: v for k, v in row.items() if k in PERSONA_FIELDS})
        errors.check(persona, prefix=f"personas[{index}].", exclude=["seminar"])
        personas.append(persona)
    return personas


def _build_translations(
    seminar: Seminar, rows: Sequence[Mapping[str, Any]], errors: ErrorCollector
) -> list[SeminarTranslation]:
    result = []
    for index, row in enumerate(rows):
        item = SeminarTranslation(
            seminar=seminar,
            **{
                k: v for k, v in row.items() if k in {"language", "title", "summary", "description"}
            },
        )
        errors.check(item, prefix=f"translations[{index}].", exclude=["seminar"])
        if item.language == seminar.language:
            errors.add(
                f"translations[{index}].language", _("This is already the seminar's main language.")
            )
        result.append(item)
    return result


def _save_kpis(seminar: Seminar, kpis: Mapping[str, Decimal | None]) -> None:
    for metric, value in kpis.items():
        if value is None:
            KpiTarget.objects.filter(seminar=seminar, metric=metric).delete()
        else:
            KpiTarget.objects.update_or_create(
                seminar=seminar, metric=metric, defaults={"target": value}
            )


@transaction.atomic
def seminar_create(*, access: Access, data: SeminarData) -> Seminar:
    """Create a seminar and, in the same transaction, its personas, KPIs and translations.

    Everything is validated first; if anything is wrong nothing is saved.
    """
    access.require(Perm.SEMINAR_CREATE)
    seminar = Seminar(workspace=access.workspace, created_by=access.user, **_normalise(data.fields))
    seminar.slug = unique_slug(
        seminar.title or "seminar", lambda s: Seminar.objects.filter(slug=s).exists(), max_length=80
    )
    errors = ErrorCollector()
    errors.check(seminar, exclude=["workspace", "created_by"])
    personas = _build_personas(seminar, data.personas or [], errors)
    kpis = _check_kpis(data.kpi_targets or {}, errors)
    translations = _build_translations(seminar, data.translations or [], errors)
    errors.raise_if_any()

    seminar.save()
    for persona in personas:
        persona.seminar = seminar
        persona.save()
    for item in translations:
        item.seminar = seminar
        item.save()
    _save_kpis(seminar, kpis)
    audit_record(
        action="seminar.create",
        actor=access.user,
        workspace=access.workspace,
        obj=seminar,
        changes={k: [None, v] for k, v in snapshot(seminar, SEMINAR_FIELDS).items()},
    )
    return seminar


@transaction.atomic
def seminar_update(*, access: Access, seminar: Seminar, data: SeminarData) -> Seminar:
    """Change a seminar's fields (and optionally its KPIs and translations), all or nothing."""
    access.require(Perm.SEMINAR_EDIT)
    seminar = Seminar.objects.select_for_update().get(pk=seminar.pk, workspace=access.workspace)
    before = snapshot(seminar, SEMINAR_FIELDS)
    for key, value in _normalise(data.fields).items():
        setattr(seminar, key, value)
    errors = ErrorCollector()
    errors.check(seminar, exclude=["workspace", "created_by", "slug"])
    kpis = _check_kpis(data.kpi_targets or {}, errors)
    translations = (
        _build_translations(seminar, data.translations, errors)
        if data.translations is not None
        else None
    )
    errors.raise_if_any()

    changes = changes_between(before, snapshot(seminar, SEMINAR_FIELDS))
    if changes:
        seminar.save(update_fields=[*changes, "updated_at"])
    kpis_before = _kpi_values(seminar)
    _save_kpis(seminar, kpis)
    kpis_after = _kpi_values(seminar)
    if kpis_before != kpis_after:
        changes["kpi_targets"] = [kpis_before, kpis_after]
    if translations is not None:
        old = _translation_values(list(seminar.translations.all()))
        new = _translation_values(translations)
        if old != new:
            seminar.translations.all().delete()
            SeminarTranslation.objects.bulk_create(translations)
            changes["translations"] = [old, new]
    if changes:
        audit_record(
            action="seminar.update",
            actor=access.user,
            workspace=access.workspace,
            obj=seminar,
            changes=changes,
        )
    return seminar


def _kpi_values(seminar: Seminar) -> dict[str, str]:
    return {
        k.metric: f"{k.target.normalize():f}" for k in KpiTarget.objects.filter(seminar=seminar)
    }


def _translation_values(items: Sequence[SeminarTranslation]) -> list[list[str]]:
    return sorted([t.language, t.title, t.summary, t.description] for t in items)


@transaction.atomic
def persona_save(
    *, access: Access, seminar: Seminar, fields: Mapping[str, Any], persona: Persona | None = None
) -> Persona:
    return child_save(
        access=access,
        target=persona if persona is not None else Persona(seminar=seminar),
        creating=persona is None,
        fields=fields,
        allowed=PERSONA_FIELDS,
        entity="persona",
    )


@transaction.atomic
def persona_delete(*, access: Access, persona: Persona) -> None:
    child_delete(access=access, obj=persona, entity="persona")
