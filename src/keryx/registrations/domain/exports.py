"""Exports of a seminar's registrants: CSV (UTF-8 with BOM, so Excel reads Greek) and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.registrations.models import Registration
from keryx.seminars.models import Seminar

COLUMNS = (
    "name",
    "email",
    "status",
    "confirmed_at",
    "checked_in_at",
    "language",
    "profession",
    "organisation",
    "age_band",
    "gender",
    "region",
    "interests",
    "heard_from",
    "first_touch_code",
    "last_touch_code",
    "privacy_version",
    "marketing_consent",
    "source",
    "created_at",
    "ticket_code",
)


def _rows(registrations: QuerySet[Registration], seminar: Seminar) -> Iterable[list[Any]]:
    zone = seminar.tz
    for r in registrations.prefetch_related("consents"):
        consents = {c.kind: c for c in r.consents.all()}
        values: dict[str, Any] = {
            "name": r.name,
            "email": r.email,
            "status": r.status,
            "confirmed_at": r.confirmed_at,
            "checked_in_at": r.checked_in_at,
            "language": r.language,
            "profession": r.profession,
            "organisation": r.organisation,
            "age_band": r.age_band,
            "gender": r.gender,
            "region": r.region,
            "interests": ", ".join(r.interests or []),
            "heard_from": r.heard_from,
            "first_touch_code": r.first_touch_code,
            "last_touch_code": r.last_touch_code,
            "privacy_version": consents["privacy"].version if "privacy" in consents else "",
            "marketing_consent": "yes" if "marketing" in consents else "no",
            "source": r.source,
            "created_at": r.created_at,
            "ticket_code": r.ticket_code,
        }
        row = []
        for key in COLUMNS:
            value = values[key]
            if hasattr(value, "astimezone"):
                value = value.astimezone(zone).strftime("%Y-%m-%d %H:%M")
            row.append(value if value is not None else "")
        yield row


def _audit(access: Access, seminar: Seminar, kind: str, count: int) -> None:
    audit_record(
        action="registration.export",
        actor=access.user,
        workspace=access.workspace,
        obj=seminar,
        changes={"format": [None, kind], "rows": [None, count]},
    )


def registrations_export_csv(
    *, access: Access, seminar: Seminar, registrations: QuerySet[Registration]
) -> bytes:
    access.require(Perm.REGISTRATIONS_MANAGE)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for row in _rows(registrations, seminar):
        writer.writerow(row)
        count += 1
    _audit(access, seminar, "csv", count)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def registrations_export_xlsx(
    *, access: Access, seminar: Seminar, registrations: QuerySet[Registration]
) -> bytes:
    access.require(Perm.REGISTRATIONS_MANAGE)
    from openpyxl import Workbook  # imported here: 36 MB that most processes never need

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "registrations"
    sheet.append(list(COLUMNS))
    count = 0
    for row in _rows(registrations, seminar):
        sheet.append(row)
        count += 1
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    _audit(access, seminar, "xlsx", count)
    return out.getvalue()


def export_filename(seminar: Seminar, ext: str) -> str:
    return f"{seminar.slug}-registrations-{timezone.now():%Y%m%d}.{ext}"
