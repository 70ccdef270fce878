"""Exports of a room's questions and poll answers, CSV or XLSX, formula-safe."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.errors import Forbidden
from keryx.core.spreadsheet import safe_cell
from keryx.live.models import Question, Room, Vote


def question_rows(room: Room) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Question"),
        _("Name"),
        _("Status"),
        _("Upvotes"),
        _("Answered"),
        _("Pinned"),
        _("Reply"),
        _("Asked at"),
    ]
    rows = [
        [
            q.text,
            q.author_name,
            q.get_status_display(),
            q.upvotes,
            q.answered,
            q.pinned,
            q.reply,
            q.created_at.isoformat(timespec="seconds"),
        ]
        for q in Question.objects.filter(room=room).order_by("created_at")
    ]
    return header, rows


def vote_rows(room: Room) -> tuple[list[str], list[list[Any]]]:
    header = [_("Poll"), _("Kind"), _("Participant"), _("Answer"), _("Correct"), _("Voted at")]
    rows = []
    votes = (
        Vote.objects.filter(poll__room=room)
        .select_related("poll", "option", "participant")
        .order_by("poll__position", "poll_id", "created_at")
    )
    for v in votes:
        answer = v.option.text if v.option else (str(v.value) if v.value is not None else v.text)
        rows.append(
            [
                v.poll.question,
                v.poll.get_kind_display(),
                f"#{v.participant_id}" if v.participant_id else "—",
                answer,
                (v.option.correct if v.option and v.poll.kind == "quiz" else ""),
                v.created_at.isoformat(timespec="seconds"),
            ]
        )
    return header, rows


def room_export(*, access: Access, room: Room, what: str, fmt: str) -> bytes:
    if not access.can(Perm.LIVE_MODERATE) or room.workspace_id != access.workspace.pk:
        raise Forbidden()
    header, rows = question_rows(room) if what == "questions" else vote_rows(room)
    audit_record(
        action=f"live.export.{what}",
        actor=access.user,
        workspace=access.workspace,
        obj=room,
        changes={"format": fmt, "rows": len(rows)},
    )
    return _xlsx(header, rows) if fmt == "xlsx" else _csv(header, rows)


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook  # imported when used: 36 MB no process needs at start

    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append([safe_cell(c) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
