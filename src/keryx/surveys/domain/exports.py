"""Export the submitted responses: CSV and XLSX (XlsxWriter in constant-memory mode).

One row per response, one column per question (a Likert matrix: one per statement; a multiple
choice: the options ticked, joined by "; "). Cells that a spreadsheet would read as a formula
get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from keryx.core.spreadsheet import safe_cell
from keryx.surveys.domain.options import NETWORK_NAMES
from keryx.surveys.domain.results import submitted_answers
from keryx.surveys.enums import CHOICE_KINDS
from keryx.surveys.models import Question, Response, Survey, text_in


def _columns(questions: list[Question]) -> list[tuple[int, str, str]]:
    """(question id, statement key or "", header)."""
    cols = []
    for q in questions:
        if q.kind == "likert":
            cols += [(q.pk, o["key"], f"{q.label} — {text_in(o)}") for o in q.options]
        else:
            cols.append((q.pk, "", q.label))
            if q.kind == "gender":
                cols.append((q.pk, "self", f"{q.label} — {_('self-described')}"))
    return cols


def header(survey: Survey) -> list[str]:
    questions = list(survey.questions.all())
    return [
        _("Response"),
        _("Day"),
        _("Language"),
        _("Network"),
        *[h for *_k, h in _columns(questions)],
    ]


def rows(survey: Survey) -> Iterator[list[Any]]:
    """The answers, streamed in response order (one pass over the answer table)."""
    questions = list(survey.questions.all())
    columns = _columns(questions)
    index = {(qid, key): n for n, (qid, key, _h) in enumerate(columns)}
    labels = {q.pk: {o["key"]: text_in(o) for o in q.options} for q in questions}
    meta = {
        r["id"]: r
        for r in Response.objects.filter(survey=survey, submitted=True).values(
            "id", "day", "language", "network"
        )
    }
    answers = (
        submitted_answers(survey, [q.pk for q in questions])
        .order_by("response_id", "id")
        .values_list("response_id", "question_id", "choice", "number", "text")
    )
    current: int | None = None
    cells: list[Any] = []

    def emit(response_id: int) -> list[Any]:
        m = meta[response_id]
        return [
            response_id,
            m["day"].isoformat(),
            m["language"],
            NETWORK_NAMES.get(m["network"], m["network"]),
            *[safe_cell(c) for c in cells],
        ]

    # per question, decided once: (kind of cell, its column, option labels, self-text column)
    LIKERT, CHOICE, VALUE = 0, 1, 2
    plan = {
        q.pk: (
            LIKERT if q.kind == "likert" else CHOICE if q.kind in CHOICE_KINDS else VALUE,
            index.get((q.pk, ""), -1),
            labels[q.pk],
            index.get((q.pk, "self"), -1),
        )
        for q in questions
    }
    width = len(columns)
    for response_id, qid, choice, number, text in answers.iterator(chunk_size=5000):
        if response_id != current:
            if current is not None:
                yield emit(current)
            current = response_id
            cells = [""] * width
        how, n, options, self_col = plan[qid]
        if how == LIKERT:
            col = index.get((qid, choice))
            if col is not None:
                cells[col] = int(number or 0)
        elif how == CHOICE:
            label = options.get(choice, choice)
            cells[n] = f"{cells[n]}; {label}" if cells[n] else label
            if choice == "self" and text and self_col >= 0:
                cells[self_col] = text
        elif number is not None:
            cells[n] = int(number) if number == int(number) else number
        else:
            cells[n] = text
    if current is not None:
        yield emit(current)


def export_csv(survey: Survey) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header(survey))
    for row in rows(survey):
        writer.writerow(row)
    return out.getvalue()


def export_xlsx(survey: Survey, path: str | None = None) -> bytes:
    """The workbook's bytes (or written to ``path``, returning b"")."""
    import xlsxwriter

    target: Any = path or io.BytesIO()
    book = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "in_memory": path is None,
        },
    )
    sheet = book.add_worksheet(_("Responses")[:31])
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, header(survey), bold)
    write_string, write_number = sheet.write_string, sheet.write_number
    for n, row in enumerate(rows(survey), start=1):
        # typed writes: no per-cell type sniffing; empty cells are simply not written
        for col, value in enumerate(row):
            if isinstance(value, str):
                if value:
                    write_string(n, col, value)
            elif value is not None:
                write_number(n, col, value)
    book.close()
    return b"" if path else target.getvalue()
