"""Sentiment of one text: label, score (−1 … 1) and language, cached per normalised text."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from keryx.insights.sentiment import english, greek
from keryx.insights.sentiment.engine import question
from keryx.insights.sentiment.language import detect

# A score at or beyond these is positive / negative (VADER's own thresholds). A question needs
# more: most questions a seminar gets are logistics ("Are seats limited?"), neutral.
POSITIVE = 0.05
NEGATIVE = -0.05
QUESTION_BAND = 0.15


@dataclass(frozen=True, slots=True)
class Sentiment:
    label: str  # positive | negative | neutral
    score: float  # −1 … 1, rounded to 4 places
    language: str  # el | en   (Greeklish is el)
    form: str  # el | en | greeklish: how it was written


def label_for(score: float, *, is_question: bool = False) -> str:
    band = QUESTION_BAND if is_question else POSITIVE
    if score >= band:
        return "positive"
    if score <= -band:
        return "negative"
    return "neutral"


@lru_cache(maxsize=50_000)
def _analyse(text: str) -> Sentiment:
    form = detect(text)
    value = english.score(text) if form == "en" else greek.score(text)
    value = round(max(-1.0, min(1.0, value)), 4) + 0.0  # never -0.0
    label = label_for(value, is_question=question(text))
    return Sentiment(label, value, "en" if form == "en" else "el", form)


def analyse(text: str) -> Sentiment:
    """The sentiment of ``text`` (Greek, English or Greeklish)."""
    normalised = " ".join(unicodedata.normalize("NFC", text).split())
    return _analyse(normalised)
