"""docs/networks/README.md's table of reads says what each network's spec declares: a ✓ in a
column exactly where the capability is declared, and a row of the per-read table for each
declared read."""

from __future__ import annotations

import re
from pathlib import Path

from keryx.networks.registry import all_specs

README = Path(__file__).resolve().parents[2] / "docs" / "networks" / "README.md"
COLUMNS = ("comments", "mentions", "hide / delete", "search", "metrics", "audience", "webhooks")


def _rows(heading: str) -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    lines = [line for line in section.splitlines()[1:] if line.startswith("|")]
    table = []
    for line in lines:
        if line.startswith("|---"):
            continue
        table.append([cell.strip() for cell in line.strip("|").split("|")])
        if not section.split(line, 1)[1].lstrip(" ").startswith("\n|"):
            break
    return table


def test_the_overview_table_marks_exactly_the_declared_reads() -> None:
    header, *rows = _rows("### What each network offers")
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    for found in all_specs():
        row = by_name[str(found.name)]
        caps = found.capabilities
        for column in COLUMNS:
            cell = row[column]
            if column == "hide / delete":
                hide, _, delete = cell.partition(" / ")
                assert hide.startswith("✓") is caps.hide, (found.key, column, cell)
                assert (delete or hide).startswith("✓") is caps.delete_comment, (found.key, cell)
                continue
            assert cell.startswith("✓") is getattr(caps, column), (found.key, column, cell)


def test_every_declared_read_has_its_limit_written_down() -> None:
    header, *rows = _rows("### Each read and its limit")
    assert header == ["network", "read", "call", "page", "limit"]
    written = {(row[0], part.strip()) for row in rows for part in re.split(r",|/", row[1])}
    names = {"delete_comment": "delete", "audience": "audience"}
    for found in all_specs():
        for read in found.capabilities.reads():
            assert (str(found.name), names.get(read, read)) in written, (found.key, read)
