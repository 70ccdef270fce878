"""Keyword suggestions for the composer: YAKE on the seminar's description (Greek or English,
offline, with YAKE's own stop words), merged with what is trending now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from keryx.insights.domain.trends import Trend


@dataclass(frozen=True)
class Keyword:
    text: str
    source: str  # description | trending
    weight: float  # 0 … 1, higher is more relevant


@lru_cache(maxsize=256)
def _yake(text: str, language: str, limit: int) -> tuple[tuple[str, float], ...]:
    import yake  # imported on first use: it takes a second to load

    extractor = yake.KeywordExtractor(lan=language, n=2, top=limit, dedupLim=0.7)
    return tuple((str(k), float(s)) for k, s in extractor.extract_keywords(text))


def keywords_from_text(text: str, language: str, limit: int = 10) -> list[Keyword]:
    """The key phrases of ``text`` (YAKE: a lower score is more relevant)."""
    if not text.strip():
        return []
    language = "el" if language == "el" else "en"
    found = _yake(text, language, limit)
    return [
        Keyword(text=k, source="description", weight=round(1 / (1 + 50 * s), 3)) for k, s in found
    ]


def keyword_suggestions(
    *, description: str, language: str, trends: Sequence[Trend] = (), limit: int = 10
) -> list[Keyword]:
    """Keywords from the description, then trending hashtags and terms not already there."""
    out = keywords_from_text(description, language, limit)
    seen = {k.text.casefold() for k in out}
    for trend in trends:
        if trend.negative_share >= 0.4 or trend.label.casefold() in seen:
            continue  # do not suggest riding a complaint
        seen.add(trend.label.casefold())
        out.append(
            Keyword(
                text=trend.label, source="trending", weight=round(min(1.0, trend.score / 10), 3)
            )
        )
    return out[: limit + len(trends)]
