"""Cells for spreadsheets (CSV and XLSX exports): text that a spreadsheet would run as a
formula gets a leading apostrophe (OWASP "CSV injection"). Every export goes through
:func:`safe_cell` / :func:`safe_row`; imports undo it with :func:`unsafe_cell`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` unchanged unless it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


def unsafe_cell(value: str) -> str:
    """The text a :func:`safe_cell` wrote (for re-importing an export)."""
    return value[1:] if value[:1] == "'" and value[1:2] in FORMULA_STARTS else value
