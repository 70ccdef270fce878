"""CSV import of posts (all or nothing, with a dry run) and CSV/JSON export of the calendar.

Import columns (header row, any order, case-insensitive): ``scheduled_at`` (or ``date`` and
``time``), ``account`` (``@handle``, ``network:@handle`` or the account's number), ``text``,
and optionally ``link``, ``first_comment``, ``phase``, ``theme``. Times are read in the
seminar's time zone. Every row is checked before anything is saved; one bad row and nothing
is imported, and the answer lists every bad row with what to change. Posts are created as
drafts by the composer, with their planned time, and go through review like any other.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.content.enums import CampaignPhase, Theme, VariantStatus
from keryx.content.models import Variant
from keryx.core.domain.audit import audit_record
from keryx.core.errors import ValidationFailed
from keryx.core.spreadsheet import safe_cell, unsafe_cell
from keryx.networks.models import NetworkAccount
from keryx.publishing.domain.quota import quota_problem
from keryx.publishing.limits import network_label
from keryx.seminars.models import Seminar

S = VariantStatus
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
COLUMNS = ["scheduled_at", "account", "text", "link", "first_comment", "phase", "theme"]
_TIME_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M",
]


@dataclass
class ImportRow:
    line: int
    when: dt.datetime
    account: NetworkAccount
    text: str
    link: str
    first_comment: str
    phase: str
    theme: str


@dataclass
class ImportResult:
    rows: int
    created: int = 0
    dry_run: bool = True
    preview: list[dict[str, Any]] = field(default_factory=list)


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    if len(data) > MAX_BYTES:
        raise ValidationFailed(
            fields={"file": [_("The file is larger than 2 MB. Split it into smaller files.")]}
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            fields={
                "file": [_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")]
            }
        ) from exc


def _reader(text: str) -> csv.DictReader[str]:
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.DictReader(io.StringIO(text), dialect=dialect)


def _unquote(value: str) -> str:
    """Undo the spreadsheet-safety quote that the export puts before = + - @."""
    return unsafe_cell(value)


def _account_index(accounts: Iterable[NetworkAccount]) -> dict[str, NetworkAccount]:
    index: dict[str, NetworkAccount] = {}
    for account in accounts:
        handle = (account.handle or account.name).lstrip("@").lower()
        index[str(account.pk)] = account
        index[f"{account.network}:{handle}"] = account
        index.setdefault(handle, account)
    return index


def _find_account(raw: str, index: dict[str, NetworkAccount]) -> NetworkAccount | None:
    key = raw.strip().lower().replace(":@", ":").lstrip("@")
    return index.get(key)


def _parse_time(row: dict[str, str], zone: zoneinfo.ZoneInfo) -> dt.datetime | None:
    raw = (row.get("scheduled_at") or "").strip()
    if not raw and (row.get("date") or "").strip():
        raw = f"{row['date'].strip()} {(row.get('time') or '').strip()}".strip()
    for fmt in _TIME_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).replace(tzinfo=zone)
        except ValueError:
            continue
    try:
        parsed = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def _check_rows(
    access: Access, seminar: Seminar, text: str
) -> tuple[list[ImportRow], dict[str, list[str]], int]:
    reader = _reader(text)
    headers = {h.strip().lower() for h in (reader.fieldnames or []) if h}
    errors: dict[str, list[str]] = defaultdict(list)
    missing = [c for c in ("account", "text") if c not in headers]
    if "scheduled_at" not in headers and "date" not in headers:
        missing.insert(0, "scheduled_at")
    if missing:
        raise ValidationFailed(
            _("The file has no %(columns)s column. The first row must name the columns: %(all)s.")
            % {"columns": ", ".join(missing), "all": ", ".join(COLUMNS)},
            fields={"file": [_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}]},
        )
    zone = zoneinfo.ZoneInfo(seminar.time_zone)
    index = _account_index(NetworkAccount.objects.filter(workspace=access.workspace))
    url = URLValidator(schemes=["http", "https"])
    now = timezone.now()
    rows: list[ImportRow] = []
    total = 0
    seen: set[tuple[int, dt.datetime, str]] = set()
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            raise ValidationFailed(
                fields={
                    "file": [_("At most %(n)d rows per file. Split the file.") % {"n": MAX_ROWS}]
                }
            )
        row = {(k or "").strip().lower(): _unquote((v or "").strip()) for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        total += 1
        key = f"rows[{number}]"
        when = _parse_time(row, zone)
        if when is None:
            errors[f"{key}.scheduled_at"].append(
                _("Write the date and time as 2026-12-05 10:00 (in the seminar's time zone).")
            )
        elif when < now:
            errors[f"{key}.scheduled_at"].append(
                _("This time has passed. Give a time from now on.")
            )
        account = _find_account(row.get("account", ""), index)
        if account is None:
            errors[f"{key}.account"].append(
                _(
                    "No connected account “%(value)s”. Use @handle or network:@handle of an account of this workspace."
                )
                % {"value": row.get("account", "")}
            )
        body = row.get("text", "")
        if not body:
            errors[f"{key}.text"].append(_("The text is empty."))
        link = row.get("link", "")
        if link:
            try:
                url(link)
            except ValidationError:
                errors[f"{key}.link"].append(
                    _("The link must be a full address starting with https://.")
                )
        phase = row.get("phase", "")
        if phase and phase not in CampaignPhase.values:
            errors[f"{key}.phase"].append(
                _("Unknown phase. Use one of: %(values)s.")
                % {"values": ", ".join(CampaignPhase.values)}
            )
        theme = row.get("theme", "")
        if theme and theme not in Theme.values:
            errors[f"{key}.theme"].append(
                _("Unknown theme. Use one of: %(values)s.") % {"values": ", ".join(Theme.values)}
            )
        if when is not None and account is not None and body:
            marker = (account.pk, when, body)
            if marker in seen:
                errors[f"{key}.text"].append(
                    _("The same post for the same account and time is already in the file.")
                )
            seen.add(marker)
            rows.append(
                ImportRow(
                    number, when, account, body, link, row.get("first_comment", ""), phase, theme
                )
            )
    if not total:
        raise ValidationFailed(fields={"file": [_("The file has no rows to import.")]})
    by_account: dict[int, list[ImportRow]] = defaultdict(list)
    for item in rows:
        by_account[item.account.pk].append(item)
    for items in by_account.values():
        problem = quota_problem(items[0].account, [i.when for i in items])
        if problem is not None:
            culprit = next(
                (i for i in sorted(items, key=lambda i: i.when) if i.when >= problem.at), items[-1]
            )
            errors[f"rows[{culprit.line}].scheduled_at"].append(
                problem.message(items[0].account, seminar.time_zone)
            )
    return rows, dict(errors), total


class _DryRun(Exception):
    """Rolls a complete trial import back."""


def posts_import(
    *, access: Access, seminar: Seminar, data: bytes | str, dry_run: bool
) -> ImportResult:
    """Check every row, then create one draft post per row through the composer
    (``post_create``), each network version carrying its planned time. All or nothing: any
    bad row and nothing is imported. A dry run does the whole import and rolls it back.

    Imported posts go through review like any other; once approved, "Schedule at the planned
    times" (:func:`keryx.publishing.domain.schedule.planned_schedule`) puts them on the
    schedule.
    """
    access.require(Perm.PUBLISH_SCHEDULE)
    access.require(Perm.CONTENT_EDIT)
    rows, errors, total = _check_rows(access, seminar, _decode(data))
    result = ImportResult(rows=len(rows), dry_run=dry_run)
    if not errors:
        try:
            with transaction.atomic():
                result.created = _create(access, seminar, rows, errors)
                if errors or dry_run:
                    raise _DryRun
        except _DryRun:
            result.created = 0
    if errors:
        bad = len({k.split("]")[0] for k in errors})
        raise ValidationFailed(
            _(
                "%(bad)d of %(all)d rows have problems; nothing was imported. Fix them and try again."
            )
            % {"bad": bad, "all": total},
            fields=errors,
        )
    result.preview = [
        {
            "row": r.line,
            "scheduled_at": r.when.isoformat(),
            "network": network_label(r.account.network),
            "account": r.account.handle or r.account.name,
            "text": r.text[:120],
        }
        for r in rows
    ]
    return result


def _create(
    access: Access, seminar: Seminar, rows: list[ImportRow], errors: dict[str, list[str]]
) -> int:
    from keryx.content.domain.posts import PostInput, VariantInput, post_create

    created = 0
    for r in rows:
        data = PostInput(
            fields={
                "master_text": r.text,
                "link_url": r.link,
                "campaign_phase": r.phase,
                "theme": r.theme,
            },
            account_ids=[r.account.pk],
            variants=[VariantInput(account_id=r.account.pk, first_comment=r.first_comment)],
        )
        try:
            post = post_create(access=access, seminar=seminar, data=data)
        except ValidationFailed as exc:
            for key, messages in (exc.fields or {"__all__": [exc.message]}).items():
                column = key.rsplit(".", 1)[-1].replace("master_text", "text")
                errors.setdefault(f"rows[{r.line}].{column}", []).extend(messages)
            continue
        Variant.objects.filter(post=post).update(scheduled_at=r.when)
        created += 1
    if not errors:
        audit_record(
            action="posts.import",
            actor=access.user,
            workspace=access.workspace,
            obj=seminar,
            changes={"posts": [0, created]},
        )
    return created


EXPORT_COLUMNS = [
    "variant_id",
    "post_id",
    "network",
    "account",
    "status",
    "scheduled_at",
    "scheduled_at_utc",
    "published_at_utc",
    "remote_url",
    "text",
    "link",
    "first_comment",
    "phase",
    "theme",
    "error",
]


def _safe(value: str) -> str:
    """Keep spreadsheets from running a cell as a formula (OWASP CSV injection)."""
    return str(safe_cell(value))


def export_rows(variants: Iterable[Variant], seminar: Seminar) -> list[dict[str, Any]]:
    zone = zoneinfo.ZoneInfo(seminar.time_zone)
    rows = []
    for v in variants:
        account = v.account
        rows.append(
            {
                "variant_id": v.pk,
                "post_id": v.post_id,
                "network": v.network,
                "account": f"{account.network}:{account.handle or account.name}",
                "status": v.status,
                "scheduled_at": v.scheduled_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
                if v.scheduled_at
                else "",
                "scheduled_at_utc": v.scheduled_at.isoformat() if v.scheduled_at else "",
                "published_at_utc": v.published_at.isoformat() if v.published_at else "",
                "remote_url": v.remote_url,
                "text": v.source_text or v.post.master_text,
                "link": v.source_link_url or v.post.link_url,
                "first_comment": v.source_first_comment,
                "phase": v.post.campaign_phase,
                "theme": v.post.theme,
                "error": v.error_message,
            }
        )
    return rows


def export_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _safe(v) if isinstance(v, str) else v for k, v in row.items()})
    return "\ufeff" + out.getvalue()  # the BOM makes Excel read UTF-8 (Greek) correctly


def export_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)
