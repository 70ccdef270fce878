"""Set phrases whose words mislead a word-by-word scorer, rewritten before scoring.

"mediocre at best" is not praise; "I want my money back" is a complaint without a negative word.
Each phrase is replaced by a word the lexicon scores as the phrase means (or by nothing). Greek
patterns ignore case and accents.
"""

from __future__ import annotations

import re

_ACCENTS = {
    "α": "[αά]",
    "ε": "[εέ]",
    "η": "[ηή]",
    "ι": "[ιίϊΐ]",
    "ο": "[οό]",
    "υ": "[υύϋΰ]",
    "ω": "[ωώ]",
}

ENGLISH = {
    r"at best": "",
    r"(?:could|should) (?:have been|be) better": "mediocre",
    r"needs? (?:a lot of )?(?:work|improvement)": "mediocre",
    r"nothing special": "mediocre",
    r"(?:my|our|the) money back": "refund",
    r"exactly what (?:i|we) needed": "perfect",
    r"last[- ]minute": "rushed",
    r"not (?:bad|too bad) at all": "good",
}

GREEK = {
    "τα λεφτα μου πισω": "αποζημίωση",
    "τα χρηματα μου πισω": "αποζημίωση",
    "ο,τι επρεπε": "τέλειο",
    "οτι επρεπε": "τέλειο",
    "χρειαζεται βελτιωση": "μέτριο",
    "θα μπορουσε να ειναι καλυτερο": "μέτριο",
    "θα μπορουσε να ηταν καλυτερο": "μέτριο",
    "τιποτα το ιδιαιτερο": "μέτριο",
    "στο ποδι": "πρόχειρα",
    "της πλακας": "πρόχειρο",
    "δεν εχω λογια": "συγκινήθηκα",
}


def _greek_pattern(phrase: str) -> str:
    return "".join(_ACCENTS.get(ch, re.escape(ch)) for ch in phrase)


def _compile(table: dict[str, str], greek: bool) -> list[tuple[re.Pattern[str], str]]:
    return [
        (
            re.compile(r"(?<!\w)" + (_greek_pattern(k) if greek else k) + r"(?!\w)", re.IGNORECASE),
            v,
        )
        for k, v in table.items()
    ]


_ENGLISH = _compile(ENGLISH, greek=False)
_GREEK = _compile(GREEK, greek=True)
_ENGLISH_HINT = re.compile(r"best|better|work|improvement|special|back|needed|minute|bad", re.I)


def rewrite_english(text: str) -> str:
    if not _ENGLISH_HINT.search(text):
        return text
    for pattern, replacement in _ENGLISH:
        text = pattern.sub(replacement, text)
    return text


def rewrite_greek(text: str) -> str:
    for pattern, replacement in _GREEK:
        text = pattern.sub(replacement, text)
    return text
