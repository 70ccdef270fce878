"""How the API reads request bodies: JSON, with NUL characters refused everywhere.

PostgreSQL cannot store U+0000 in text, and no person types one; refusing it here, once for
every endpoint, answers 422 naming the field instead of a 500 from the database driver (and
SQLite and PostgreSQL behave the same). A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` raises
``RequestDataTooBig`` when read, which the error handlers answer with 413.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja.parser import Parser

from keryx.core.errors import ValidationFailed

NUL = "\x00"


def _where(path: list[str | int]) -> str:
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "__all__"


def nul_paths(value: Any, path: list[str | int] | None = None) -> list[str]:
    """Where ``value`` (parsed JSON) holds a NUL character: ``["name", "keywords[0]"]``."""
    path = path or []
    if isinstance(value, str):
        return [_where(path)] if NUL in value else []
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            if NUL in str(key):
                found.append(_where(path))
            found += nul_paths(item, [*path, str(key)])
        return found
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in nul_paths(item, [*path, i])]
    return []


def refuse_nul(data: Any) -> None:
    bad = nul_paths(data)
    if bad:
        message = _("Remove the NUL character (\\u0000) from this text.")
        raise ValidationFailed(fields={path: [message] for path in bad})


class KeryxParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        refuse_nul(data)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        parsed = super().parse_querydict(data, list_fields, request)
        refuse_nul(parsed)
        return parsed
