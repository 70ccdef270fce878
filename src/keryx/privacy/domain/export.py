"""Export (GDPR Art. 15 and 20): a ZIP with everything Keryx holds on a person.

One JSON and one CSV file per kind of record (``<kind>.json``, ``<kind>.csv``), and
``manifest.json`` saying what each kind is, how long it is kept, and how many records there are.
CSV cells that a spreadsheet would run as a formula are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from keryx.core.personal_data import Subject
from keryx.privacy.domain.subjects import Found, subject_find

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> str:
    """A CSV cell: JSON for lists and dicts, and a ``'`` before text a spreadsheet would run."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def _csv(rows: list[dict[str, Any]]) -> str:
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_safe(row.get(c)) for c in columns])
    return out.getvalue()


def export_found(found: list[Found], *, email: str) -> tuple[bytes, dict[str, int]]:
    """The ZIP of what was found, and ``{kind key: records}`` for the request log."""
    summary: dict[str, int] = {}
    manifest: list[dict[str, Any]] = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in found:
            if not item.pks:
                continue
            rows = item.kind.export_records(item.records())
            summary[item.kind.key] = len(rows)
            name = item.kind.key.replace(".", "-")
            archive.writestr(
                f"{name}.json",
                json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            )
            archive.writestr(f"{name}.csv", _csv(rows))
            manifest.append(
                {
                    "kind": item.kind.key,
                    "label": str(item.kind.label),
                    "records": len(rows),
                    "files": [f"{name}.json", f"{name}.csv"],
                    "kept_for_days": item.kind.retention_days,
                    "notes": str(item.kind.notes),
                }
            )
        archive.writestr(
            "manifest.json",
            json.dumps(
                {
                    "subject": email,
                    "exported_at": timezone.now().isoformat(),
                    "kinds": manifest,
                },
                ensure_ascii=False,
                indent=2,
            ),
        )
    return buffer.getvalue(), summary


def subject_export(email: str, *, workspace_id: int | None = None) -> tuple[bytes, dict[str, int]]:
    _subject, found = subject_find(Subject(email=email), workspace_id=workspace_id)
    return export_found(found, email=email)
