"""The English scorer: VADER's lexicon and word lists, Keryx's rules and seminar words.

VADER's own analyser takes about half a millisecond a text, ten times the budget, so Keryx scores
English with VADER's lexicon (``vader_lexicon.txt`` from vaderSentiment, MIT licence), its
boosters and negations, through the same rules as Greek
(:mod:`~keryx.insights.sentiment.engine`), plus seminar words VADER lacks ("informative",
"laggy", "refund") and the functional words that are complaints only when negated ("the link
doesn't work", "no sound").
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from vaderSentiment import vaderSentiment as vader

from keryx.insights.sentiment.engine import Role, score_with
from keryx.insights.sentiment.idioms import rewrite_english


def _vader_lexicon() -> dict[str, float]:
    path = Path(vader.__file__).with_name("vader_lexicon.txt")
    lexicon: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, rest = line.partition("\t")
        if word and rest:
            lexicon[word] = float(rest.split("\t", 1)[0])
    return lexicon


SEMINAR_WORDS = {
    "informative": 2.2,
    "insightful": 2.4,
    "well-organized": 2.4,
    "well-organised": 2.4,
    "organized": 1.5,
    "organised": 1.5,
    "practical": 1.5,
    "eye-opening": 2.2,
    "hands-on": 1.2,
    "spot-on": 2.2,
    "engaging": 2.0,
    "inspiring": 2.4,
    "thanks": 1.9,
    "thank": 1.5,
    "recommend": 1.8,
    "recommended": 1.8,
    "must-attend": 2.2,
    "refund": -1.6,
    "canceled": -1.4,
    "cancelled": -1.4,
    "postponed": -1.2,
    "late": -1.0,
    "crashed": -2.0,
    "crashes": -2.0,
    "crashing": -2.0,
    "laggy": -1.8,
    "lagging": -1.8,
    "lags": -1.5,
    "glitch": -1.6,
    "glitchy": -1.8,
    "glitches": -1.6,
    "muffled": -1.6,
    "disorganized": -2.0,
    "disorganised": -2.0,
    "unprofessional": -2.2,
    "overpriced": -2.0,
    "expensive": -1.2,
    "crowded": -1.3,
    "freezing": -1.2,
    "freezes": -1.6,
    "froze": -1.6,
    "frozen": -1.2,
    "slow": -1.2,
    "outdated": -1.5,
    "superficial": -1.6,
    "shallow": -1.4,
    "rushed": -1.4,
    "repetitive": -1.4,
    "echo": -0.8,
    "noisy": -1.4,
    "unusable": -2.2,
    "unclear": -1.4,
    "waste": -2.2,
    "wasted": -2.2,
    "scam": -2.8,
    "ripoff": -2.6,
    "rip-off": -2.6,
    "mess": -1.8,
    "chaotic": -1.8,
    "broken": -1.8,
    "dropped": -1.0,
    "worst": -3.1,
    "meh": -1.0,
    "tasteless": -1.6,
    "incredible": 2.6,
    "unforgettable": 2.6,
    "memorable": 2.0,
    "generic": -1.2,
    "pointless": -2.0,
    "underwhelming": -1.8,
    "mediocre": -1.6,
    "overcrowded": -1.8,
    "unreadable": -1.8,
    "illegible": -1.8,
    "inaudible": -1.8,
    "below": -1.2,
    "limited": 0.0,
    "fine": 1.0,
    "question": 0.0,
    "please": 0.0,
    "free": 0.0,
    "share": 0.0,
    "sharing": 0.0,
    "shared": 0.0,
    "join": 0.0,
    "yes": 0.0,
    "no": 0.0,
    "want": 0.0,
    "wants": 0.0,
    "pay": 0.0,
    "parking": 0.0,
    "certificate": 0.0,
    "certain": 0.0,
    "sure": 0.5,
    "hope": 0.8,
    "hoping": 0.8,
    "live": 0.0,
    "stop": 0.0,
    "stops": 0.0,
}

FUNCTIONAL = {
    w: -1.8
    for w in [
        "work",
        "works",
        "worked",
        "working",
        "function",
        "functioning",
        "hear",
        "heard",
        "hearing",
        "see",
        "seeing",
        "load",
        "loads",
        "loading",
        "loaded",
        "open",
        "opens",
        "opened",
        "opening",
        "receive",
        "received",
        "receiving",
        "get",
        "got",
        "getting",
        "access",
        "accessed",
        "connect",
        "connected",
        "connecting",
        "join",
        "joined",
        "find",
        "found",
        "reply",
        "replied",
        "respond",
        "responded",
        "answer",
        "answered",
        "start",
        "started",
        "show",
        "shows",
        "showed",
        "showing",
        "play",
        "plays",
        "playing",
        "sound",
        "audio",
        "video",
        "link",
        "email",
        "e-mail",
        "mail",
        "signal",
        "stream",
        "streaming",
        "wifi",
        "wi-fi",
        "response",
        "reply",
        "answer",
        "certificate",
        "seats",
        "seat",
        "slides",
        "recording",
        "arrived",
        "arrive",
        "came",
        "come",
        "sent",
        "send",
        "update",
        "updated",
        "refunded",
        "help",
        "helped",
        "helping",
        "answers",
        "replies",
        "responds",
        "waiting",
        "air",
        "aircon",
        "conditioning",
        "heating",
        "water",
        "coffee",
        "food",
    ]
}

LEXICON = _vader_lexicon()
LEXICON.update(SEMINAR_WORDS)
NEGATORS = frozenset(w.replace("'", "") for w in vader.NEGATE) | {
    "no",
    "not",
    "never",
    "none",
    "nobody",
    "nothing",
    "without",
    "cant",
    "cannot",
    "wont",
    "didnt",
    "doesnt",
    "dont",
    "isnt",
    "wasnt",
    "arent",
    "werent",
    "havent",
    "hasnt",
    "hadnt",
    "couldnt",
    "shouldnt",
    "wouldnt",
    "still",  # "still no link", "still waiting": the complaint that comes back
    "poorly",  # "poorly organised"
    "badly",
}
# A booster that is also a seminar word ("incredible") is an adjective to us: "an incredible
# speaker" is praise, not an intensified "speaker".
INTENSIFIERS = (
    frozenset(w for w, v in vader.BOOSTER_DICT.items() if v > 0) - {"more"} - set(SEMINAR_WORDS)
)
DIMINISHERS = frozenset(w for w, v in vader.BOOSTER_DICT.items() if v < 0)
CONTRAST = frozenset({"but", "however", "although", "though", "yet"})
_NONE: Role = ("", 0.0)


@lru_cache(maxsize=200_000)
def role(written: str) -> Role:
    """The role of one English word as written."""
    word = written.lower()
    bare = word.replace("'", "").replace("’", "")
    if bare in NEGATORS or (bare.endswith("nt") and word.endswith(("n't", "n’t"))):
        return ("neg", 0.0)
    if word in INTENSIFIERS:
        return ("int", 0.0)
    if word in DIMINISHERS:
        return ("dim", 0.0)
    if word in CONTRAST:
        return ("but", 0.0)
    value = LEXICON.get(word)
    if value:
        return ("lex", value)
    value = FUNCTIONAL.get(word)
    if value:
        return ("fun", value)
    return _NONE


def score(text: str) -> float:
    """The compound score (−1 … 1) of an English text."""
    return score_with(rewrite_english(text), role)
