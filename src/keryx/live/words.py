"""Greek-aware words for the word cloud and the block list.

Words are compared by :func:`keryx.core.text.text_key` (case, accents and final sigma folded),
so «Σεμινάριο», «σεμιναριο» and «ΣΕΜΙΝΆΡΙΟ» are one word; the cloud shows the form written
most often. Greek and English stop words are dropped from the cloud.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import regex

from keryx.core.text import text_key

_WORD = regex.compile(r"[\p{L}\p{M}\p{Nd}]+(?:['’-][\p{L}\p{M}\p{Nd}]+)*")

_STOP_EL = """
ο η το οι τα του της των τον την τη στο στη στην στον στα στους στις σε με για από απο και
κι ή να θα δεν δε μη μην που πού πως πώς ότι οτι είναι ειναι ήταν ηταν είμαι ειμαι έχει εχει
έχω εχω ένα ενα μια μία ενας ένας αυτό αυτο αυτή αυτη αυτός αυτος αυτά αυτα εγώ εγω εσύ
εσυ εμείς εμεις εσείς εσεις μου σου μας σας τους τις πολύ πολυ πιο όλα ολα όλοι ολοι ως
αλλά αλλα όμως ομως αν ενώ ενω κάτι κατι τι τί ποιος ποια ποιο έτσι ετσι εδώ εδω εκεί εκει
"""
_STOP_EN = """
a an the and or but if of to in on at by for with from as is are was were be been being it its
this that these those i you he she we they me my your our their not no so very too can will
just do does did have has had what which who how than then there here about into out up
"""
STOP_KEYS = frozenset(text_key(w) for w in (_STOP_EL + _STOP_EN).split())

# A small default list (Greek with and without accents is one entry: keys are folded); a room
# adds its own words.
DEFAULT_BLOCKED = (
    "μαλάκας",
    "μαλακία",
    "γαμώ",
    "γαμημένο",
    "πούστης",
    "καριόλης",
    "πουτάνα",
    "σκατά",
    "fuck",
    "fucking",
    "shit",
    "bitch",
    "asshole",
    "cunt",
    "bastard",
)


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def cloud(answers: Iterable[str], *, limit: int = 60) -> list[dict[str, object]]:
    """``[{"word": "Σεμινάριο", "count": 3}, …]``, most frequent first; stop words dropped."""
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for answer in answers:
        for word in words_of(answer):
            key = text_key(word)
            if key in STOP_KEYS or len(key) < 2:
                continue
            counts[key] += 1
            forms[key][word] += 1
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [{"word": forms[key].most_common(1)[0][0], "count": n} for key, n in rows]


def blocked_keys(extra: str) -> frozenset[str]:
    lines = [line.strip() for line in extra.splitlines()]
    return frozenset(text_key(w) for w in (*DEFAULT_BLOCKED, *lines) if w)


def contains_blocked(text: str, blocked: frozenset[str]) -> bool:
    """A blocked word appears as a word (or a blocked phrase as a phrase), any case or accents."""
    keys = [text_key(w) for w in words_of(text)]
    joined = " " + " ".join(keys) + " "
    for entry in blocked:
        if " " in entry:
            if f" {entry} " in joined:
                return True
        elif entry in keys:
            return True
    return False
