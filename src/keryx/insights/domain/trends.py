"""Trends: hashtags and terms bursting above their own baseline, and topics to post about.

A key (a hashtag or a term, see :mod:`keryx.insights.terms`) is *trending* when the texts that
carry it in the last ``window`` (one hour) are well above what its own history predicts: the
expected count is its count over the ``baseline`` before the window (seven days) scaled to one
window, smoothed by one (``(n + 1) / windows``), and the burst score is
``(count − expected) / sqrt(expected + 1)``. A key needs at least ``min_count`` texts (3), a
score of 2 and twice its expectation: a tag that is always frequent is not trending, a rare one
that triples is (decision 0904).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from keryx.insights.models import AnalysedText
from keryx.insights.terms import written_forms

WINDOW = dt.timedelta(hours=1)
BASELINE = dt.timedelta(days=7)
MIN_COUNT = 3
MIN_SCORE = 2.0


@dataclass
class Trend:
    kind: str  # hashtag | term
    key: str
    label: str  # as people write it: "#Σεμινάριο2026", "βίντεο"
    count: int
    expected: float
    score: float
    positive: int = 0
    negative: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def negative_share(self) -> float:
        return self.negative / self.count if self.count else 0.0

    @property
    def ratio(self) -> float:
        return self.count / self.expected if self.expected else float(self.count)


@dataclass
class Topic:
    """A topic to post about now, with the evidence behind it."""

    trend: Trend
    advice: str  # "post" (people are enthusiastic or curious) | "answer" (they complain)


def burst_score(count: int, expected: float) -> float:
    return (count - expected) / math.sqrt(expected + 1)


def trending(
    texts: QuerySet[AnalysedText],
    *,
    now: dt.datetime | None = None,
    window: dt.timedelta = WINDOW,
    baseline: dt.timedelta = BASELINE,
    limit: int = 10,
) -> list[Trend]:
    """The trending hashtags and terms among ``texts`` (already scoped to a workspace)."""
    now = now or timezone.now()
    since = now - window
    rows = texts.filter(posted_at__gt=since - baseline, posted_at__lte=now).values_list(
        "posted_at", "hashtags", "terms", "label", "text"
    )
    recent: Counter[tuple[str, str]] = Counter()
    past: Counter[tuple[str, str]] = Counter()
    moods: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    for posted_at, hashtags, terms, label, text in rows.iterator(chunk_size=2000):
        keys = [("hashtag", k) for k in hashtags or ()] + [("term", k) for k in terms or ()]
        if posted_at > since:
            for key in keys:
                recent[key] += 1
                moods[key][label] += 1
                if len(examples[key]) < 3:
                    examples[key].append(text)
        else:
            for key in keys:
                past[key] += 1
    windows = baseline / window
    found: list[Trend] = []
    for key, count in recent.items():
        expected = (past[key] + 1) / windows
        score = burst_score(count, expected)
        if count < MIN_COUNT or score < MIN_SCORE or count < 2 * expected:
            continue
        kind, value = key
        found.append(
            Trend(
                kind=kind,
                key=value,
                label=_label(kind, value, examples[key]),
                count=count,
                expected=round(expected, 2),
                score=round(score, 2),
                positive=moods[key]["positive"],
                negative=moods[key]["negative"],
                examples=examples[key],
            )
        )
    found.sort(key=lambda t: (-t.score, -t.count, t.key))
    return found[:limit]


def _label(kind: str, key: str, texts: list[str]) -> str:
    if kind == "hashtag":
        from keryx.insights.terms import extract_hashtags, hashtag_key

        forms = Counter(
            tag.tag
            for text in texts
            for tag in extract_hashtags(text)
            if hashtag_key(tag.tag) == key
        )
        return "#" + (forms.most_common(1)[0][0] if forms else key)
    forms = Counter(w.lower() for text in texts for w in written_forms(text, key))
    return forms.most_common(1)[0][0] if forms else key


def topic_suggestions(trends: list[Trend], limit: int = 3) -> list[Topic]:
    """Topics worth a post now: trending terms and hashtags people talk about with interest
    ("post"), or with complaints ("answer": address them before posting anything else)."""
    topics = [
        Topic(trend=t, advice="answer" if t.negative_share >= 0.4 else "post") for t in trends
    ]
    topics.sort(key=lambda t: (t.advice != "answer", -t.trend.score))
    return topics[:limit]
