"""Importing registrants from another tool's CSV export (Eventbrite and the like).

Always in two steps: a dry run that reads every row and reports every problem, then the
import itself, which re-reads the file and saves nothing unless every row is good. The column
mapping is in docs/registrations.md; columns it does not know are ignored and not stored.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.errors import ValidationFailed
from keryx.registrations.domain.settings import settings_of
from keryx.registrations.enums import ConsentKind, HeardFrom, RegistrationSource
from keryx.registrations.enums import RegistrationStatus as Status
from keryx.registrations.models import AGE_BANDS, GENDERS, Consent, Registration
from keryx.seminars.models import Seminar

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024

# header (lower case, trimmed) → our field
ALIASES: dict[str, str] = {
    "name": "name",
    "full name": "name",
    "attendee name": "name",
    "first name": "first_name",
    "first_name": "first_name",
    "last name": "last_name",
    "last_name": "last_name",
    "surname": "last_name",
    "email": "email",
    "e-mail": "email",
    "email address": "email",
    "attendee email": "email",
    "job title": "profession",
    "profession": "profession",
    "company": "organisation",
    "organisation": "organisation",
    "organization": "organisation",
    "region": "region",
    "age_band": "age_band",
    "age": "age_band",
    "gender": "gender",
    "interests": "interests",
    "heard_from": "heard_from",
    "language": "language",
    "attendee status": "status",
    "status": "status",
    "checked_in_at": "checked_in",
    "checked in": "checked_in",
}
REGISTERED_WORDS = {"", "attending", "registered", "confirmed", "active"}
CHECKED_IN_WORDS = {"checked in", "checked-in", "attended"}
WAITLIST_WORDS = {"waitlisted", "waitlist", "waiting list"}
SKIP_WORDS = {"not attending", "cancelled", "canceled", "refunded", "deleted", "transferred"}
YES_WORDS = {"yes", "y", "true", "1", "checked in"}


@dataclass
class ImportRow:
    line: int
    values: dict[str, Any]
    status: str
    checked_in: bool


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    over_capacity: int = 0
    imported: int = 0
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "committed": self.committed,
            "rows": len(self.rows),
            "imported": self.imported,
            "errors": [{"line": line, "message": msg} for line, msg in self.errors],
            "skipped": [{"line": line, "message": msg} for line, msg in self.skipped],
            "unknown_columns": self.unknown_columns,
            "over_capacity": self.over_capacity,
        }


def _text(content: bytes | str) -> str:
    if isinstance(content, str):
        return content.lstrip("\ufeff")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            fields={
                "file": [_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")]
            }
        ) from exc


def _reader(text: str) -> csv.DictReader[str]:
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", ",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.DictReader(io.StringIO(text), dialect=dialect)


def _status(raw: str) -> tuple[str | None, bool, str]:
    word = raw.strip().lower()
    if word in REGISTERED_WORDS:
        return Status.REGISTERED, False, ""
    if word in CHECKED_IN_WORDS:
        return Status.REGISTERED, True, ""
    if word in WAITLIST_WORDS:
        return Status.WAITLISTED, False, ""
    if word in SKIP_WORDS:
        return None, False, "skip"
    return None, False, "bad"


def _parse(seminar: Seminar, content: bytes | str) -> ImportReport:
    report = ImportReport()
    if len(content) > MAX_BYTES:
        raise ValidationFailed(fields={"file": [_("The file is larger than 5 MB.")]})
    reader = _reader(_text(content))
    headers = [h or "" for h in (reader.fieldnames or [])]
    mapping = {h: ALIASES[h.strip().lower()] for h in headers if h.strip().lower() in ALIASES}
    report.unknown_columns = [h for h in headers if h not in mapping and h.strip()]
    fields = set(mapping.values())
    if "email" not in fields or not ({"name", "first_name", "last_name"} & fields):
        raise ValidationFailed(
            fields={
                "file": [
                    _("The file needs an e-mail column and a name column (or first and last name).")
                ]
            }
        )
    taken = set(
        Registration.objects.filter(seminar=seminar)
        .exclude(status=Status.CANCELLED)
        .values_list("email", flat=True)
    )
    seen: dict[str, int] = {}
    ages, genders = {v for v, _l in AGE_BANDS}, {v for v, _l in GENDERS}
    for index, raw in enumerate(reader):
        line = index + 2  # the header is line 1
        if index >= MAX_ROWS:
            report.errors.append((line, _("At most %(n)s rows per import.") % {"n": MAX_ROWS}))
            break
        row = {mapping[k]: (v or "").strip() for k, v in raw.items() if k in mapping}
        if not any(row.values()):
            continue
        problems: list[str] = []
        name = row.get("name") or " ".join(
            p for p in (row.get("first_name", ""), row.get("last_name", "")) if p
        )
        name = " ".join(name.split())
        email = row.get("email", "").lower()
        status, checked_in, verdict = _status(row.get("status", ""))
        if verdict == "skip":
            report.skipped.append(
                (line, _("Skipped: status “%(s)s”.") % {"s": row.get("status", "")})
            )
            continue
        if verdict == "bad":
            problems.append(
                _("Unknown status “%(s)s” (use Attending, Checked In, Waitlisted or Cancelled).")
                % {"s": row.get("status", "")}
            )
        if row.get("checked_in", "").lower() in YES_WORDS or (
            row.get("checked_in") and row.get("checked_in", "")[:1].isdigit()
        ):
            checked_in = True
        if not name:
            problems.append(_("The name is empty."))
        elif len(name) > 150:
            problems.append(_("The name is longer than 150 characters."))
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("“%(v)s” is not an e-mail address.") % {"v": email})
        else:
            if email in taken:
                problems.append(_("%(v)s is already registered.") % {"v": email})
            elif email in seen:
                problems.append(
                    _("%(v)s appears twice in the file (also line %(n)s).")
                    % {"v": email, "n": seen[email]}
                )
            seen.setdefault(email, line)
        if row.get("age_band") and row["age_band"] not in ages:
            problems.append(_("Unknown age band “%(v)s”.") % {"v": row["age_band"]})
        if row.get("gender") and row["gender"] not in genders:
            problems.append(_("Unknown gender “%(v)s”.") % {"v": row["gender"]})
        if row.get("heard_from") and row["heard_from"] not in HeardFrom.values:
            problems.append(
                _("Unknown answer “%(v)s” to how they heard.") % {"v": row["heard_from"]}
            )
        language = row.get("language") or seminar.language
        if language not in {"el", "en"}:
            problems.append(_("Unknown language “%(v)s” (use el or en).") % {"v": language})
        for message in problems:
            report.errors.append((line, message))
        if problems or status is None:
            continue
        values = {
            "name": name,
            "email": email,
            "language": language,
            "profession": row.get("profession", "")[:120],
            "organisation": row.get("organisation", "")[:150],
            "region": row.get("region", "")[:120],
            "age_band": row.get("age_band", ""),
            "gender": row.get("gender", ""),
            "heard_from": row.get("heard_from", ""),
            "interests": [i.strip() for i in row.get("interests", "").split(",") if i.strip()],
        }
        report.rows.append(
            ImportRow(line=line, values=values, status=status, checked_in=checked_in)
        )
    if not report.rows and not report.errors:
        report.errors.append((1, _("The file has no registrants.")))
    if seminar.capacity is not None:
        registered = Registration.objects.filter(seminar=seminar, status=Status.REGISTERED).count()
        new = sum(1 for r in report.rows if r.status == Status.REGISTERED)
        report.over_capacity = max(0, registered + new - seminar.capacity)
    return report


def registrations_import(
    *,
    access: Access,
    seminar: Seminar,
    content: bytes | str,
    dry_run: bool,
    filename: str = "",
) -> ImportReport:
    """Dry run: the report only. Otherwise: all rows or nothing (and no e-mails sent)."""
    access.require(Perm.REGISTRATIONS_MANAGE)
    settings_of(seminar)
    if dry_run:
        return _parse(seminar, content)
    with transaction.atomic():
        from keryx.registrations.models import RegistrationSettings

        RegistrationSettings.objects.select_for_update().get(seminar=seminar)
        report = _parse(seminar, content)
        if not report.ok:
            return report
        now = timezone.now()
        note = _(
            "Imported from “%(file)s” by %(user)s on %(date)s; consent was collected by the "
            "tool the file came from."
        ) % {"file": filename or "CSV", "user": access.user.email, "date": f"{now:%Y-%m-%d}"}
        for item in report.rows:
            registration = Registration.objects.create(
                seminar=seminar,
                status=item.status,
                source=RegistrationSource.IMPORT,
                confirmed_at=now,
                checked_in_at=now if item.checked_in else None,
                checked_in_by=access.user if item.checked_in else None,
                **item.values,
            )
            Consent.objects.create(
                registration=registration,
                kind=ConsentKind.PRIVACY,
                version="import",
                text=note,
                language=item.values["language"],
                accepted_at=now,
            )
        report.imported = len(report.rows)
        report.committed = True
        audit_record(
            action="registration.import",
            actor=access.user,
            workspace=access.workspace,
            obj=seminar,
            changes={"rows": [None, report.imported], "file": [None, filename]},
        )
    return report
