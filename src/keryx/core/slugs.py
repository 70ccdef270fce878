"""URL slugs that read well for Greek titles (ELOT 743 transliteration)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from django.utils.text import slugify

_DIGRAPHS = {
    "ου": "ou",
    "αυ": "av",
    "ευ": "ev",
    "ηυ": "iv",
    "γγ": "ng",
    "γκ": "gk",
    "γξ": "nx",
    "γχ": "nch",
    "μπ": "mp",
    "ντ": "nt",
    "τσ": "ts",
    "τζ": "tz",
}
_LETTERS = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψω",
        [
            "a",
            "v",
            "g",
            "d",
            "e",
            "z",
            "i",
            "th",
            "i",
            "k",
            "l",
            "m",
            "n",
            "x",
            "o",
            "p",
            "r",
            "s",
            "s",
            "t",
            "y",
            "f",
            "ch",
            "ps",
            "o",
        ],
        strict=True,
    )
)


def transliterate_greek(value: str) -> str:
    """``Σεμινάριο Διαχείρισης`` → ``seminario diacheirisis`` (lower case, accents dropped)."""
    text = "".join(
        ch for ch in unicodedata.normalize("NFD", value.lower()) if not unicodedata.combining(ch)
    )
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in _DIGRAPHS:
            out.append(_DIGRAPHS[pair])
            i += 2
            continue
        out.append(_LETTERS.get(text[i], text[i]))
        i += 1
    return "".join(out)


def unique_slug(value: str, exists: Callable[[str], bool], *, max_length: int = 60) -> str:
    """A slug for ``value`` that ``exists`` says is free, adding ``-2``, ``-3``… if needed."""
    base = slugify(transliterate_greek(value))[: max_length - 4].strip("-") or "item"
    slug, n = base, 1
    while exists(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug
