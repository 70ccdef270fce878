"""Hashtags and terms of a text, as matching keys (Greek-aware, no database).

Hashtags use :func:`keryx.core.text.hashtag_key` (``#Σεμινάριο``, ``#σεμιναριο`` and
``#ΣΕΜΙΝΑΡΙΟ`` are one tag). Terms are words of four letters or more that are not stop words
(YAKE's Greek and English lists, read from its package offline), stemmed with Snowball (Greek or
English by script) and folded, so ``σεμινάριο``/``σεμινάρια`` and ``video``/``videos`` count
together; the key keeps no accents or case.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer

from keryx.core.text import extract_hashtags, hashtag_key, text_key

_WORD = re.compile(r"[^\W\d_]{4,}")
_URL = re.compile(r"https?://\S+|www\.\S+|[@#＃][\w.]+")
_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")


@cache
def stop_words() -> frozenset[str]:
    """YAKE's Greek and English stop words plus a few of our own, as folded keys."""
    words: set[str] = set()
    spec = importlib.util.find_spec("yake")
    if spec is not None and spec.submodule_search_locations:
        folder = Path(next(iter(spec.submodule_search_locations))) / "core" / "StopwordsList"
        for name in ("stopwords_el.txt", "stopwords_en.txt"):
            path = folder / name
            if path.exists():
                text = path.read_text(encoding="utf-8", errors="ignore")
                words |= {text_key(w) for w in text.split()}
    words |= {
        text_key(w)
        for w in [
            "είναι",
            "ήταν",
            "θα",
            "έχει",
            "έχουμε",
            "πολύ",
            "πολλά",
            "όλοι",
            "όλα",
            "μας",
            "σας",
            "τους",
            "αυτό",
            "αυτή",
            "εδώ",
            "εκεί",
            "τώρα",
            "σήμερα",
            "αύριο",
            "παιδιά",
            "ευχαριστώ",
            "ευχαριστούμε",
            "just",
            "really",
            "thanks",
            "thank",
            "will",
            "would",
            "could",
            "should",
            "there",
            "their",
            "about",
            "have",
            "been",
            "this",
            "that",
            "with",
            "from",
            "what",
            "when",
        ]
    }
    return frozenset(words)


_STEMMERS = {"el": snowballstemmer.stemmer("greek"), "en": snowballstemmer.stemmer("english")}


@lru_cache(maxsize=100_000)
def term_key(word: str) -> str:
    """The key of one word: stemmed by its script's Snowball stemmer, folded."""
    lower = word.lower()
    stemmer = _STEMMERS["el" if _GREEK.search(lower) else "en"]
    return text_key(stemmer.stemWord(lower))


def hashtags_of(text: str) -> list[str]:
    """The distinct hashtag keys of ``text``, in order."""
    return list(dict.fromkeys(hashtag_key(tag.tag) for tag in extract_hashtags(text)))


def terms_of(text: str) -> list[str]:
    """The distinct term keys of ``text``, in order."""
    stops = stop_words()
    keys = [term_key(w) for w in _WORD.findall(_URL.sub(" ", text)) if text_key(w) not in stops]
    return list(dict.fromkeys(k for k in keys if len(k) >= 3))


def written_forms(text: str, key: str) -> list[str]:
    """The words of ``text`` whose term key is ``key``, as written."""
    return [w for w in _WORD.findall(_URL.sub(" ", text)) if term_key(w) == key]
