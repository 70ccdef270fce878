"""The scoring rules shared by the Greek and the English scorers (after VADER, Hutto & Gilbert 2014).

A language gives a ``role`` function that tells what a (folded) word is: a negator, an
intensifier, a diminisher, a contrast word, a lexicon word with its valence, or a "functional"
word that is a complaint only when negated ("doesn't work", "δεν ακούγεται").

* negation flips and dampens (×−0.74) the sentiment words among the next three words, up to a
  punctuation mark; the first functional word in that scope counts with its (negative) weight;
* an intensifier multiplies the next sentiment word (within two words) by 1.3, a diminisher by
  0.6;
* a word in capitals inside a text that is not all capitals gains 0.733;
* after a contrast word ("but", "αλλά") the words before count half, the words after 1.5 times;
* a question (ending in ``?`` or the Greek ``;``, without ``!``) counts half;
* each ``!`` (up to four) adds 0.292 in the direction of the sum;
* emoji and emoticons add their own valence (:mod:`~keryx.insights.sentiment.signs`);
* the sum is normalised to −1 … 1 as VADER's compound: ``s / sqrt(s² + 15)``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from keryx.insights.sentiment.signs import EMOJI, EMOTICON_PATTERN, EMOTICONS

# What a word is to the scorer: ("neg"|"int"|"dim"|"but"|"lex"|"fun"|"", weight).
Role = tuple[str, float]

NEGATION_SCALAR = -0.74
NEGATION_SCOPE = 3
INTENSIFY = 1.3
DIMINISH = 0.6
CAPS_INCREMENT = 0.733
EXCLAMATION = 0.292
QUESTION = 0.5  # a question holds back judgement: "Is the speaker any good?"


def question(text: str) -> bool:
    """Ends with a question mark (Latin ``?``, Greek ``;``), with no ``!`` anywhere."""
    end = text.rstrip(" )\n\t")[-1:]
    return end in ("?", ";", "\u037e") and "!" not in text


_TOKEN = re.compile(
    r"(?P<word>[^\W_]+(?:['’][^\W_]+)?)"
    rf"|(?P<emo>(?<![^\s(\[])(?:{EMOTICON_PATTERN})(?=$|[\s.,!?;]))"
    r"|(?P<stop>[.,;:!?…·\n]+)"
    r"|(?P<other>\S)",
    re.IGNORECASE,
)


def score_with(text: str, role: Callable[[str], Role]) -> float:
    """The compound score (−1 … 1) of ``text`` with a language's ``role`` of words as written."""
    text = text.replace("\ufe0f", "")
    all_caps = text.isupper()
    sentiments: list[float] = []
    contrast_at = -1
    negation = 0
    functional_used = False
    scale = 1.0
    scale_left = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        value = match.group()
        if kind == "emo":
            sentiments.append(EMOTICONS.get(value.lower(), 0.0))
            continue
        if kind == "other":
            if value in EMOJI:
                sentiments.append(EMOJI[value])
            continue
        if kind == "stop":
            negation = 0
            scale_left = 0
            continue
        what, weight = role(value)
        if what == "neg":
            negation = NEGATION_SCOPE
            functional_used = False
            continue
        if what in ("int", "dim"):
            scale = INTENSIFY if what == "int" else DIMINISH
            scale_left = 2
            continue
        if what == "but":
            contrast_at = len(sentiments)
            negation = 0
            continue
        valence = 0.0
        if what == "lex":
            valence = weight
            if negation:
                valence *= NEGATION_SCALAR
        elif what == "fun" and negation and not functional_used:
            valence = weight
            functional_used = True
        if valence:
            if scale_left:
                valence *= scale
                scale_left = 0
            if not all_caps and len(value) > 1 and value.isupper():
                valence += CAPS_INCREMENT if valence > 0 else -CAPS_INCREMENT
            sentiments.append(valence)
        elif scale_left:
            scale_left -= 1
        if negation:
            negation -= 1
    if contrast_at >= 0:
        sentiments = [v * 0.5 for v in sentiments[:contrast_at]] + [
            v * 1.5 for v in sentiments[contrast_at:]
        ]
    total = sum(sentiments)
    if question(text):
        total *= QUESTION
    if total:
        bangs = min(text.count("!"), 4) * EXCLAMATION
        total += bangs if total > 0 else -bangs
    return total / math.sqrt(total * total + 15) if total else 0.0
