"""Text helpers shared by every app: hashtags in any script, matching keys.

A hashtag keeps the form its author wrote (``#Σεμινάριο2026``); matching uses a key that
ignores case and accents (``σεμιναριο2026``), so ``#Σεμινάριο`` and ``#σεμιναριο`` count
together in analytics.
"""

from __future__ import annotations

import unicodedata

import regex

# Letters, combining marks, decimal digits, underscore and the joiners twitter-text allows.
_TAG_CHAR = r"[\p{L}\p{M}\p{Nd}_\u200c\u200d]"
HASHTAG_BODY = regex.compile(rf"{_TAG_CHAR}*[\p{{L}}\p{{M}}]{_TAG_CHAR}*")


def is_valid_hashtag(value: str) -> bool:
    """``#σεμινάριο`` and ``Σεμινάριο2026`` are valid; ``#2026``, ``#a b`` and ``#`` are not."""
    body = value[1:] if value[:1] in {"#", "＃"} else value
    body = unicodedata.normalize("NFC", body)
    return bool(body) and HASHTAG_BODY.fullmatch(body) is not None


def hashtag_key(value: str) -> str:
    """The case- and accent-insensitive key of a hashtag, without its ``#``."""
    body = value[1:] if value[:1] in {"#", "＃"} else value
    decomposed = unicodedata.normalize("NFD", body.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def normalize_hashtag(value: str) -> str:
    """The written form with exactly one leading ``#`` and NFC normalisation."""
    body = value.strip().lstrip("#＃")
    return "#" + unicodedata.normalize("NFC", body)
