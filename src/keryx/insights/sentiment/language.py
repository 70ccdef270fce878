"""Which language a text is in: Greek (``el``), English (``en``) or Greeklish (``greeklish``).

Generic detectors call Greeklish Croatian or Spanish, so Keryx decides by script and dictionary:

1. Greek letters (the Greek and Coptic and Greek Extended blocks) at least 30 % of the letters,
   after dropping links, @handles and #hashtags: Greek (Greek writers mix in English words).
2. Otherwise each Latin word votes: English when it is in the English word list (VADER's lexicon
   and common English words), Greeklish when one of its phonetic keys
   (:func:`~keryx.insights.sentiment.phonetic.greeklish_keys`) is a word Keryx's Greek lists know.
   A word in both votes for neither, nor do English words Greek writers use as they are
   ("video", "link", "live", "workshop"). The majority wins.
3. A tie (no votes either way, or equal) is settled by the full Greek dictionary that simplemma
   ships (about 250,000 word forms, read offline, loaded once on first need): Greeklish when more
   words are Greek words there than English words were found.

A text with no letters at all (only emoji) is ``en``.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from keryx.insights.sentiment import english, greek
from keryx.insights.sentiment.phonetic import fold, greek_key_uncached, greeklish_keys

_NOISE = re.compile(r"https?://\S+|www\.\S+|[@#＃][\w.]+")
_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
_LATIN = re.compile(r"[A-Za-z]")
GREEK_SHARE = 0.3  # Greek writers mix in English words ("Το workshop ήταν super")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*")

ENGLISH_COMMON = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "thank",
        "thanks",
        "please",
        "hi",
        "hello",
        "hey",
        "session",
        "talk",
        "speaker",
        "speakers",
        "seminar",
        "workshop",
        "event",
        "venue",
        "room",
        "slides",
        "recording",
        "video",
        "link",
        "time",
        "tomorrow",
        "today",
        "tonight",
        "yesterday",
        "ticket",
        "tickets",
        "price",
        "registration",
        "register",
        "registered",
        "question",
        "questions",
        "answer",
        "sound",
        "audio",
        "mic",
        "stream",
        "online",
        "live",
        "parking",
        "coffee",
        "lunch",
        "break",
        "schedule",
        "agenda",
        "start",
        "starts",
        "started",
        "end",
        "ends",
        "day",
        "days",
        "hour",
        "hours",
        "minute",
        "minutes",
        "will",
        "get",
        "got",
        "see",
        "saw",
        "hear",
        "heard",
        "know",
        "think",
        "need",
        "want",
        "where",
        "who",
        "whats",
        "when's",
        "what's",
        "it's",
        "i'm",
        "don't",
        "doesn't",
        "didn't",
        "can't",
        "won't",
        "isn't",
        "wasn't",
        "there's",
        "anyone",
        "someone",
        "everyone",
        "guys",
        "team",
        "organizers",
        "organisers",
        "next",
        "last",
        "first",
        "again",
        "still",
        "yet",
        "email",
        "certificate",
        "attendance",
        "available",
        "access",
        "address",
        "located",
        "location",
        "floor",
        "building",
    ]
)
# English words Greek writers use as they are ("kollaei to video"): no vote for English.
LOANWORDS = frozenset(
    [
        "video",
        "videos",
        "link",
        "links",
        "live",
        "stream",
        "streaming",
        "online",
        "offline",
        "workshop",
        "workshops",
        "email",
        "mail",
        "wifi",
        "site",
        "website",
        "post",
        "posts",
        "chat",
        "zoom",
        "slides",
        "slide",
        "check",
        "checkin",
        "tips",
        "networking",
        "panel",
        "speaker",
        "keynote",
        "like",
        "likes",
        "share",
        "story",
        "stories",
        "reels",
        "feed",
        "hashtag",
        "app",
        "ok",
        "okay",
        "super",
        "top",
        "cool",
        "team",
        "laptop",
        "parking",
        "catering",
        "coffee",
        "break",
        "event",
        "events",
    ]
)
ENGLISH_WORDS = (ENGLISH_COMMON | frozenset(w for w in english.LEXICON if w.isalpha())) - LOANWORDS


class _GreekDictionary:
    """The keys of simplemma's Greek word forms, loaded once, on first need."""

    def __init__(self) -> None:
        self._keys: frozenset[str] | None = None
        self._lock = threading.Lock()

    def keys(self) -> frozenset[str]:
        if self._keys is None:
            with self._lock:
                if self._keys is None:
                    self._keys = self._load()
        return self._keys

    @staticmethod
    def _load() -> frozenset[str]:
        try:
            from simplemma.strategies.dictionaries.dictionary_factory import (
                DefaultDictionaryFactory,
            )
        except ImportError:  # pragma: no cover - simplemma is a dependency
            return frozenset()
        forms = DefaultDictionaryFactory().get_dictionary("el")
        words = " ".join(k.decode() if isinstance(k, bytes) else str(k) for k in forms)
        return frozenset(k for k in greek_key_uncached(fold(words)).split() if len(k) > 2)


GREEK_DICTIONARY = _GreekDictionary()


@lru_cache(maxsize=100_000)
def _vote(word: str) -> int:
    """+1 Greeklish, −1 English, 0 neither or both (small lists only)."""
    is_en = word in ENGLISH_WORDS
    is_gr = any(greek.is_greek_key(key) for key in greeklish_keys(word))
    return 0 if is_en == is_gr else (1 if is_gr else -1)


@lru_cache(maxsize=100_000)
def _in_dictionary(word: str) -> bool:
    if word in ENGLISH_WORDS or len(word) < 3:
        return False
    keys = GREEK_DICTIONARY.keys()
    return any(key in keys for key in greeklish_keys(word, limit=4))


def detect(text: str) -> str:
    """``el``, ``en`` or ``greeklish``."""
    bare = _NOISE.sub(" ", text)
    greek_letters = len(_GREEK.findall(bare))
    latin_letters = len(_LATIN.findall(bare))
    if greek_letters and greek_letters >= GREEK_SHARE * (greek_letters + latin_letters):
        return "el"
    if not latin_letters:
        return "en"
    words = [w.lower() for w in _LATIN_WORD.findall(bare)]
    votes = [_vote(w) for w in words]
    greeklish = votes.count(1)
    english_votes = votes.count(-1)
    if greeklish != english_votes:
        return "greeklish" if greeklish > english_votes else "en"
    in_dictionary = sum(1 for w in words if _in_dictionary(w))
    english_words = sum(1 for w in words if w in ENGLISH_WORDS)
    return "greeklish" if in_dictionary > english_words else "en"
