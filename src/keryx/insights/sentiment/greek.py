"""The Greek scorer: Greek script and Greeklish, on Keryx's own lexicon and rules.

Each word is folded (case, accents) and reduced to its phonetic key
(:mod:`~keryx.insights.sentiment.phonetic`); a Greeklish word tries its few possible keys in
order. A key is looked up as written, then through a light stemmer: inflectional endings
(``-ος -ου -ες -ουμε -ηκα -μενο`` …, as keys) are stripped when at least five letters remain,
and the stem is compared with the stems of the lexicon's own words made the same way. A stem that
two entries of opposite sign share is dropped.

The rules (negation and its scope, intensifiers, capitals, contrast, exclamation, emoji) are
:mod:`~keryx.insights.sentiment.engine`'s, shared with English; here are the Greek words that
drive them: negators δεν, μη/μην, καθόλου, ούτε, όχι, χωρίς …; intensifiers πολύ, τρομερά …;
diminishers λίγο, κάπως …; contrast αλλά, όμως …; and "functional" words ("λειτουργεί",
"ακούγεται", "ήρθε", "ήχος") that count as a complaint only when negated.
"""

from __future__ import annotations

from functools import lru_cache

from keryx.insights.sentiment import lexicon_el as lx
from keryx.insights.sentiment.engine import Role, score_with
from keryx.insights.sentiment.idioms import rewrite_greek
from keryx.insights.sentiment.phonetic import fold, greek_key, greeklish_keys

MIN_STEM = 5
SUFFIXES = frozenset(
    [
        "a",
        "e",
        "i",
        "o",
        "u",
        "s",
        "as",
        "es",
        "is",
        "os",
        "us",
        "on",
        "an",
        "in",
        "un",
        "ia",
        "ies",
        "ion",
        "io",
        "ios",
        "ias",
        "iu",
        "ata",
        "atos",
        "aton",
        "ma",
        "mata",
        "matos",
        "ume",
        "ete",
        "ame",
        "ate",
        "ise",
        "isa",
        "ises",
        "isame",
        "isan",
        "ika",
        "ike",
        "ikes",
        "ikame",
        "ikan",
        "ikate",
        "ontas",
        "menos",
        "meni",
        "meno",
        "mena",
        "menes",
        "menus",
        "menon",
        "ome",
        "ese",
        "omaste",
        "ode",
        "otan",
        "ote",
        "use",
        "usa",
        "usan",
        "ite",
        "ste",
        "oteros",
        "otero",
        "oteri",
        "otera",
        "oteres",
        "oterus",
        "otati",
        "otata",
        "otatos",
        "ia",
        "ikos",
        "iki",
        "iko",
        "ika",
    ],
)
MAX_SUFFIX = max(len(s) for s in SUFFIXES)


def _entries(block: str) -> list[tuple[float, str]]:
    out: list[tuple[float, str]] = []
    for line in block.strip().splitlines():
        weight, _, words = line.partition(":")
        out += [(float(weight), w) for w in words.split()]
    return out


def _key(word: str) -> str:
    return greek_key(fold(word))


def _stems(key: str) -> list[str]:
    return [
        key[: -len(s)]
        for s in SUFFIXES
        if key.endswith(s) and len(key) - len(s) >= MIN_STEM and len(s) < len(key)
    ]


def _table(block: str) -> tuple[dict[str, float], dict[str, float]]:
    exact: dict[str, float] = {}
    stems: dict[str, float | None] = {}
    for weight, word in _entries(block):
        key = _key(word)
        exact.setdefault(key, weight)
        for stem in [key, *_stems(key)]:
            if len(stem) < MIN_STEM:
                continue
            old = stems.get(stem, weight)
            stems[stem] = weight if old is not None and (old > 0) == (weight > 0) else None
    return exact, {k: v for k, v in stems.items() if v is not None}


LEXICON, LEXICON_STEMS = _table(lx.LEXICON)
FUNCTIONAL, FUNCTIONAL_STEMS = _table(lx.FUNCTIONAL)
NEGATORS = frozenset(_key(w) for w in lx.NEGATORS.split())
INTENSIFIERS = frozenset(_key(w) for w in lx.INTENSIFIERS.split())
DIMINISHERS = frozenset(_key(w) for w in lx.DIMINISHERS.split())
CONTRAST = frozenset(_key(w) for w in lx.CONTRAST.split())
COMMON = frozenset(_key(w) for w in lx.COMMON.split())


def lookup(key: str, exact: dict[str, float], stems: dict[str, float]) -> float | None:
    """The weight of a key as written, else of its stem."""
    value = exact.get(key)
    if value is not None:
        return value
    n = len(key)
    for cut in range(1, min(MAX_SUFFIX, n - MIN_STEM) + 1):
        if key[-cut:] in SUFFIXES:
            value = stems.get(key[:-cut])
            if value is not None:
                return value
    return None


def is_greek_key(key: str) -> bool:
    """A key Keryx's own lists know: a common word, a rule word or a lexicon word."""
    return (
        key in COMMON
        or key in NEGATORS
        or key in INTENSIFIERS
        or key in DIMINISHERS
        or key in CONTRAST
        or lookup(key, LEXICON, LEXICON_STEMS) is not None
        or lookup(key, FUNCTIONAL, FUNCTIONAL_STEMS) is not None
    )


_NONE: Role = ("", 0.0)


def _role_of_key(key: str) -> Role | None:
    if key in NEGATORS:
        return ("neg", 0.0)
    if key in INTENSIFIERS:
        return ("int", 0.0)
    if key in DIMINISHERS:
        return ("dim", 0.0)
    if key in CONTRAST:
        return ("but", 0.0)
    value = lookup(key, LEXICON, LEXICON_STEMS)
    if value is not None:
        return ("lex", value)
    value = lookup(key, FUNCTIONAL, FUNCTIONAL_STEMS)
    if value is not None:
        return ("fun", value)
    return None


@lru_cache(maxsize=200_000)
def role(word: str) -> Role:
    """The role of one word as written, Greek or Greeklish."""
    folded = fold(word)
    if folded.isascii():
        latin = lx.LATIN.get(folded)
        if latin is not None:
            return ("lex", latin)
        keys: tuple[str, ...] = greeklish_keys(folded)
    else:
        keys = (greek_key(folded),)
    for key in keys:
        found = _role_of_key(key)
        if found is not None:
            return found
    return _NONE


def score(text: str) -> float:
    """The compound score (−1 … 1) of a Greek or Greeklish text."""
    return score_with(rewrite_greek(text), role)
