"""One phonetic key for Greek and Greeklish words, so both meet the same lexicon.

Greek is folded (case, accents, final sigma) and reduced to a coarse Latin skeleton of how it
sounds: ``η ι υ ει οι υι`` → ``i``, ``ε αι`` → ``e``, ``ο ω`` → ``o``, ``ου`` → ``u``,
``θ`` → ``8``, ``χ`` → ``x``, ``ξ`` → ``ks``, ``ψ`` → ``ps``, ``β μπ`` → ``b``, ``δ`` → ``d``,
``γγ γκ`` → ``g``, ``αυ αφ αβ`` → ``av``, ``ευ εφ εβ`` → ``ev``, doubled letters once. Greeklish
("poli kalo", "xalia", "8elw", "kal;h") is reduced by the same table from its Latin spellings
(``th 8`` → ``8``, ``ch x`` → ``x``, ``3 ks`` → ``ks``, ``w o`` → ``o``, ``h i y ei oi`` →
``i``, ``ou`` → ``u``, ``b v mp`` → ``b``, ``d dh`` → ``d``). Letters that Greeklish writers
use two ways (``h`` for η or χ, ``u`` for υ or ου, ``x`` for χ or ξ) give a few
:func:`greeklish_keys` alternatives, tried in order against a dictionary.

The key is coarse on purpose (β and μπ share ``b``); it is only ever compared with other keys.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import product

_GREEK_DIGRAPHS = {
    "ου": "u",
    "ει": "i",
    "οι": "i",
    "υι": "i",
    "αι": "e",
    "αυ": "av",
    "αφ": "av",
    "αβ": "av",
    "ευ": "ev",
    "εφ": "ev",
    "εβ": "ev",
    "μπ": "b",
    "γγ": "g",
    "γκ": "g",
    "τσ": "ts",
    "τζ": "tz",
}
_GREEK_LETTERS = {
    "α": "a",
    "β": "b",
    "γ": "g",
    "δ": "d",
    "ε": "e",
    "ζ": "z",
    "η": "i",
    "θ": "8",
    "ι": "i",
    "κ": "k",
    "λ": "l",
    "μ": "m",
    "ν": "n",
    "ξ": "ks",
    "ο": "o",
    "π": "p",
    "ρ": "r",
    "σ": "s",
    "ς": "s",
    "τ": "t",
    "υ": "i",
    "φ": "f",
    "χ": "x",
    "ψ": "ps",
    "ω": "o",
}

# Latin spellings, longest first. A value that is a tuple is ambiguous: alternatives in order.
_LATIN_DIGRAPHS: dict[str, str | tuple[str, ...]] = {
    "ou": "u",
    "oy": "u",
    "ei": "i",
    "oi": ("i", "oi"),
    "ui": "i",
    "yi": "i",
    "ai": "e",
    "au": "av",
    "ay": "av",
    "af": "av",
    "av": "av",
    "eu": "ev",
    "ey": "ev",
    "ef": "ev",
    "ev": "ev",
    "mp": "b",
    "gg": "g",
    "gk": "g",
    "nk": "g",
    "th": ("8", "ti"),
    "ch": "x",
    "dh": "d",
    "ps": "ps",
    "ks": "ks",
    "ts": "ts",
    "tz": "tz",
}
_LATIN_LETTERS: dict[str, str | tuple[str, ...]] = {
    "a": "a",
    "b": "b",
    "v": "b",
    "g": "g",
    "d": "d",
    "e": "e",
    "z": "z",
    "h": ("i", "x"),
    "8": "8",
    "9": "8",
    "i": "i",
    "y": "i",
    "k": "k",
    "c": "k",
    "q": "k",
    "l": "l",
    "m": "m",
    "n": "n",
    "3": "ks",
    "x": ("x", "ks"),
    "o": "o",
    "w": "o",
    "p": "p",
    "r": "r",
    "s": "s",
    "t": "t",
    "u": ("i", "u"),
    "f": "f",
    "j": "tz",
}


_MARKS = re.compile(r"[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff]+")


def fold(text: str) -> str:
    """Lower case without accents or breathings; final sigma folded to sigma."""
    return _MARKS.sub("", unicodedata.normalize("NFD", text)).lower().replace("ς", "σ")


def _dedupe(key: str) -> str:
    return _DOUBLED.sub(r"\1", key)


_GREEK_REPLACEMENTS = [
    *sorted(_GREEK_DIGRAPHS.items(), key=lambda item: -len(item[0])),
    ("ξ", "ks"),
    ("ψ", "ps"),
]
# The single letters left after the replacements map one to one: translate them as bytes of the
# Greek code page (ISO 8859-7), which is many times faster than str.translate on Greek text.
_GREEK_BYTES = bytes.maketrans(
    "".join(k for k, v in _GREEK_LETTERS.items() if len(v) == 1).encode("iso8859_7"),
    "".join(v for v in _GREEK_LETTERS.values() if len(v) == 1).encode("ascii"),
)
_DOUBLED = re.compile(r"([^aeiou\d\s])\1+")


def greek_key_uncached(word: str) -> str:
    """The key of a folded Greek word (or of many, separated by spaces): ``καλύτερα`` →
    ``kalitera``."""
    for greek, latin in _GREEK_REPLACEMENTS:
        if greek in word:
            word = word.replace(greek, latin)
    key = word.encode("iso8859_7", "ignore").translate(_GREEK_BYTES).decode("ascii", "ignore")
    return _DOUBLED.sub(r"\1", key)


greek_key = lru_cache(maxsize=200_000)(greek_key_uncached)


@lru_cache(maxsize=200_000)
def greeklish_keys(word: str, limit: int = 8) -> tuple[str, ...]:
    """The keys a folded Latin word may stand for, the likeliest first (at most ``limit``)."""
    parts: list[tuple[str, ...]] = []
    i, n = 0, len(word)
    while i < n:
        pair = word[i : i + 2]
        if len(pair) == 2 and pair in _LATIN_DIGRAPHS:
            value = _LATIN_DIGRAPHS[pair]
            i += 2
        else:
            value = _LATIN_LETTERS.get(word[i], word[i])
            i += 1
        parts.append(value if isinstance(value, tuple) else (value,))
    keys: list[str] = []
    for combo in product(*parts):
        key = _dedupe("".join(combo))
        if key not in keys:
            keys.append(key)
        if len(keys) >= limit:
            break
    return tuple(keys)
