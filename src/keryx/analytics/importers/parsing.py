"""Reading the ad platforms' CSV exports: encodings, delimiters, preamble rows, numbers and
dates written the Greek way ("1.234,56", "02/11/2026", "2 Νοε 2026") or the English way."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from keryx.core.text import text_key

_NUMBER_JUNK = re.compile(r"[^\d,.\-]")
_MONTHS = {
    text_key(name): number
    for number, names in enumerate(
        (
            ("jan", "january", "ιαν", "ιανουαριου", "ιανουαριος"),
            ("feb", "february", "φεβ", "φεβρουαριου", "φεβρουαριος"),
            ("mar", "march", "μαρ", "μαρτιου", "μαρτιος"),
            ("apr", "april", "απρ", "απριλιου", "απριλιος"),
            ("may", "μαΐ", "μαϊ", "μαι", "μαιου", "μαιος"),
            ("jun", "june", "ιουν", "ιουνιου", "ιουνιος"),
            ("jul", "july", "ιουλ", "ιουλιου", "ιουλιος"),
            ("aug", "august", "αυγ", "αυγουστου", "αυγουστος"),
            ("sep", "sept", "september", "σεπ", "σεπτ", "σεπτεμβριου", "σεπτεμβριος"),
            ("oct", "october", "οκτ", "οκτωβριου", "οκτωβριος"),
            ("nov", "november", "νοε", "νοεμβριου", "νοεμβριος"),
            ("dec", "december", "δεκ", "δεκεμβριου", "δεκεμβριος"),
        ),
        start=1,
    )
    for name in names
}


class ParseError(ValueError):
    pass


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 (Google Ads' "Excel CSV"), else Windows-1253."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1253", errors="replace")


def rows_of(text: str) -> list[list[str]]:
    """Every row, with the delimiter (comma, semicolon or tab) the file uses most."""
    lines = text.splitlines()
    sample = "\n".join(lines[:30])
    delimiter = max((",", ";", "\t"), key=sample.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [[cell.strip() for cell in row] for row in reader]


def comma_is_decimal(cells: list[str]) -> bool:
    """Whether the file writes numbers the Greek way: decided on all its number cells."""
    comma = dot = 0
    for cell in cells:
        value = _NUMBER_JUNK.sub("", cell)
        if "," in value and "." in value:
            if value.rfind(",") > value.rfind("."):
                comma += 1
            else:
                dot += 1
        elif re.fullmatch(r"-?\d+,\d{1,2}|-?\d+,\d{4,}", value):
            comma += 1
        elif re.fullmatch(r"-?\d+\.\d{1,2}|-?\d+\.\d{4,}", value):
            dot += 1
        elif re.fullmatch(r"-?\d{1,3}(\.\d{3}){2,}", value):
            comma += 1
        elif re.fullmatch(r"-?\d{1,3}(,\d{3}){2,}", value):
            dot += 1
    return comma > dot


def parse_number(cell: str, *, comma_decimal: bool) -> Decimal | None:
    """``"1.234,56"`` → 1234.56 (Greek), ``"1,234.56"`` → 1234.56; empty or "--" → None."""
    value = _NUMBER_JUNK.sub("", cell.replace("\u2212", "-"))
    if not any(ch.isdigit() for ch in value):
        return None
    thousands, decimal = (".", ",") if comma_decimal else (",", ".")
    value = value.replace(thousands, "").replace(decimal, ".")
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise ParseError(cell) from exc


def parse_date(cell: str, *, day_first: bool) -> date:
    """ISO (2026-11-02), numeric (02/11/2026, 11/2/2026 by ``day_first``), or with a month name
    in English or Greek (Nov 2, 2026; 2 Νοε 2026)."""
    text = cell.strip()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?: .*)?", text):
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        day, month = (first, second) if day_first else (second, first)
        return date(year, month, day)
    words = re.findall(r"\w+", text_key(text))
    numbers = [int(w) for w in words if w.isdigit()]
    months = [_MONTHS[w] for w in words if w in _MONTHS]
    years = [n for n in numbers if n > 31]
    days = [n for n in numbers if n <= 31]
    if months and years and days:
        return date(years[0], months[0], days[0])
    raise ParseError(cell)


def day_first_from(cells: list[str], *, default: bool) -> bool:
    """Numeric dates: a first part over 12 means day first; a second part over 12, month first."""
    for cell in cells:
        if m := re.match(r"(\d{1,2})[/.](\d{1,2})[/.]\d{4}", cell.strip()):
            if int(m[1]) > 12:
                return True
            if int(m[2]) > 12:
                return False
    return default
