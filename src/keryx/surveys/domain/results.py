"""Results: a distribution per question, averages with n, NPS, CSAT, response rates,
cross-tabs with small cells suppressed, open answers.

Everything is a few grouped SQL queries over the submitted responses, whatever their number.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from keryx.core.text import text_key
from keryx.surveys.domain.options import NETWORK_NAMES
from keryx.surveys.domain.tallies import tallies_of
from keryx.surveys.enums import CHOICE_KINDS, LIKERT_SCALE, SCALES, TEXT_KINDS, Segment
from keryx.surveys.models import Answer, Invitation, Question, Response, Survey, text_in

MIN_CELL = 5  # a cross-tab cell with fewer respondents is not shown


@dataclass
class Nps:
    score: int
    promoters: int
    passives: int
    detractors: int
    n: int


def nps_of(counts: dict[int, int]) -> Nps | None:
    """% promoters (9–10) − % detractors (0–6), rounded to a whole number."""
    n = sum(counts.values())
    if not n:
        return None
    promoters = sum(c for v, c in counts.items() if v >= 9)
    detractors = sum(c for v, c in counts.items() if v <= 6)
    passives = n - promoters - detractors
    return Nps(round(100 * (promoters - detractors) / n), promoters, passives, detractors, n)


@dataclass
class QuestionResult:
    question: Question
    n: int = 0
    rows: list[tuple[str, str, int]] = field(default_factory=list)  # (key, label, count)
    average: float | None = None
    nps: Nps | None = None
    csat: int | None = None  # % answering 4 or 5 on a 1–5 rating
    likert: list[tuple[str, float, int]] = field(default_factory=list)  # (statement, avg, n)

    @property
    def chart(self) -> dict[str, Any]:
        if self.likert:
            return {
                "labels": [label for label, _avg, _n in self.likert],
                "datasets": [{"label": _("Average"), "data": [a for _l, a, _n in self.likert]}],
            }
        return {
            "labels": [label for _k, label, _c in self.rows],
            "datasets": [{"label": _("Answers"), "data": [c for _k, _l, c in self.rows]}],
        }

    @property
    def percent_rows(self) -> list[tuple[str, int, int]]:
        base = self.n or 1
        return [(label, count, round(100 * count / base)) for _k, label, count in self.rows]


def _fmt(number: float) -> str:
    return str(int(number)) if number == int(number) else f"{number:g}"


def submitted_answers(survey: Survey, question_ids: Sequence[int]) -> QuerySet[Answer]:
    """The answers of submitted responses to these questions. Drafts are few, so they are
    excluded by id rather than joining every answer to its response (decision 0852)."""
    drafts = Response.objects.filter(survey=survey, submitted=False).values("pk")
    return Answer.objects.filter(question_id__in=list(question_ids)).exclude(response_id__in=drafts)


def question_results(survey: Survey) -> list[QuestionResult]:
    questions = list(survey.questions.all())
    # the per-value counts kept with every submission (decision 0867), not the answers
    by_q, respondents = tallies_of(survey)
    out = []
    for q in questions:
        result = QuestionResult(question=q, n=respondents.get(q.pk, 0))
        cells = by_q.get(q.pk, [])
        if q.kind in CHOICE_KINDS:
            counts: dict[str, int] = defaultdict(int)
            for choice, _num, n in cells:
                counts[choice] += n
            result.rows = [(o["key"], text_in(o), counts.get(o["key"], 0)) for o in q.options]
        elif q.kind in SCALES:
            low, high = SCALES[q.kind]
            counts_n: dict[int, int] = defaultdict(int)
            for _c, num, n in cells:
                if num is not None:
                    counts_n[int(num)] += n
            total = sum(counts_n.values())
            result.rows = [(str(v), str(v), counts_n.get(v, 0)) for v in range(low, high + 1)]
            if total:
                result.average = round(sum(v * c for v, c in counts_n.items()) / total, 2)
            if q.kind == "nps":
                result.nps = nps_of(dict(counts_n))
            if q.kind == "rating5" and total:
                result.csat = round(100 * (counts_n[4] + counts_n[5]) / total)
        elif q.kind == "likert":
            sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
            for choice, num, n in cells:
                if num is not None:
                    sums[choice][0] += num * n
                    sums[choice][1] += n
            result.likert = [
                (
                    text_in(o),
                    round(sums[o["key"]][0] / sums[o["key"]][1], 2) if sums[o["key"]][1] else 0,
                    int(sums[o["key"]][1]),
                )
                for o in q.options
            ]
        elif q.kind == "number":
            total_n = sum(n for _c, num, n in cells if num is not None)
            if total_n:
                result.average = round(sum((num or 0) * n for _c, num, n in cells) / total_n, 2)
            result.rows = sorted(
                ((_fmt(num), _fmt(num), n) for _c, num, n in cells if num is not None),
                key=lambda r: float(r[0]),
            )
        out.append(result)
    return out


# --- cross-tabs -----------------------------------------------------------------------------


@dataclass
class CrossTab:
    target: Question
    dimension: str  # a question key, or "network"
    dimension_label: str
    columns: list[tuple[str, str]]  # (key, label) of the target's values; empty for a scale
    rows: list[dict[str, Any]]  # {"label", "n", "cells": [count|None], "average": float|None}
    suppressed: int = 0


def crosstab(survey: Survey, *, target: Question, dimension: str) -> CrossTab:
    """The target's answers split by a demographic question or by the network that brought
    the respondent; a group (or cell) with fewer than 5 respondents is shown as suppressed."""
    value_of: dict[int, list[Any]] = defaultdict(list)
    value_field = "number" if target.kind in SCALES else "choice"
    for response_id, value in submitted_answers(survey, [target.pk]).values_list(
        "response_id", value_field
    ):
        value_of[response_id].append(value)
    if dimension == "network":
        labels = {k: str(v) for k, v in NETWORK_NAMES.items()}
        labels[""] = _("No tracked link")
        dimension_label = _("Network that brought them")
        order: list[str] | None = None
        group_of: dict[int, str] = dict(
            Response.objects.filter(survey=survey, submitted=True).values_list("pk", "network")
        )
    else:
        dim_q = survey.questions.get(key=dimension)
        labels = {o["key"]: text_in(o) for o in dim_q.options}
        dimension_label = dim_q.label
        order = [o["key"] for o in dim_q.options]
        group_of = dict(submitted_answers(survey, [dim_q.pk]).values_list("response_id", "choice"))
    cells: dict[str, dict[Any, int]] = defaultdict(lambda: defaultdict(int))
    group_n: dict[str, int] = defaultdict(int)
    for response_id, values in value_of.items():
        if response_id not in group_of:
            continue
        key = group_of[response_id] or ""
        group_n[key] += 1
        for value in set(values):
            cells[key][value] += 1
    keys = order if order is not None else sorted(cells, key=lambda k: labels.get(k, k))
    columns = [] if target.kind in SCALES else [(o["key"], text_in(o)) for o in target.options]
    table = CrossTab(target, dimension, dimension_label, columns, [])
    for key in keys:
        n = group_n.get(key, 0)
        if not n:
            continue
        line: dict[str, Any] = {"label": labels.get(key, key), "n": n, "suppressed": n < MIN_CELL}
        if target.kind in SCALES:
            counts = cells[key]
            total = sum(counts.values())
            avg = sum((v or 0) * c for v, c in counts.items()) / total if total else None
            line["average"] = None if n < MIN_CELL or avg is None else round(avg, 2)
            if target.kind == "nps":
                score = nps_of({int(v): c for v, c in counts.items() if v is not None})
                line["nps"] = None if n < MIN_CELL or score is None else score.score
            line["cells"] = []
        else:
            line["cells"] = [
                None if cells[key].get(col, 0) < MIN_CELL else cells[key].get(col, 0)
                for col, _label in columns
            ]
            table.suppressed += sum(
                1 for col, _label in columns if 0 < cells[key].get(col, 0) < MIN_CELL
            )
        if n < MIN_CELL:
            table.suppressed += 1
        table.rows.append(line)
    return table


# --- response rate per segment, open answers --------------------------------------------------


def response_rates(survey: Survey) -> list[dict[str, Any]]:
    rows = (
        Invitation.objects.filter(survey=survey)
        .values("segment")
        .annotate(invited=Count("id"), answered=Count("id", filter=Q(response__submitted=True)))
        .order_by("segment")
    )
    labels = dict(Segment.choices)
    return [
        {
            "segment": str(labels.get(r["segment"], r["segment"])),
            "invited": r["invited"],
            "answered": r["answered"],
            "rate": round(100 * r["answered"] / r["invited"]) if r["invited"] else 0,
        }
        for r in rows
    ]


def open_answers(
    survey: Survey,
    *,
    question_key: str = "",
    search: str = "",
    network: str = "",
    language: str = "",
    limit: int = 200,
) -> list[dict[str, Any]]:
    texts = survey.questions.filter(kind__in=TEXT_KINDS)
    if question_key:
        texts = texts.filter(key=question_key)
    qs = (
        submitted_answers(survey, list(texts.values_list("pk", flat=True)))
        .exclude(text="")
        .select_related("question", "response")
        .order_by("-id")
    )
    if network:
        qs = qs.filter(response__network=network)
    if language:
        qs = qs.filter(response__language=language)
    needle = text_key(search.strip())
    if not needle:
        qs = qs[:limit]  # the newest answers: the database stops at the limit
    out = []
    for a in qs.iterator(chunk_size=500):
        if needle and needle not in text_key(a.text):
            continue
        out.append(
            {
                "question": a.question.label,
                "text": a.text,
                "day": a.response.day,
                "network": NETWORK_NAMES.get(a.response.network, ""),
                "language": a.response.language,
                "consent": a.response.testimonial_consent,
                "response_id": a.response_id,
                "kind": a.question.kind,
                "in_library": a.response.testimonial_in_library,
            }
        )
        if len(out) >= limit:
            break
    return out


def dimensions(questions: Sequence[Question]) -> list[tuple[str, str]]:
    """What a cross-tab can split by: choice questions, and the network."""
    out = [(q.key, q.label) for q in questions if q.kind in CHOICE_KINDS and q.kind != "multiple"]
    return [*out, ("network", _("Network that brought them"))]


LIKERT = LIKERT_SCALE


# --- cached reads ---------------------------------------------------------------------------
# A results page reads the same aggregates until someone answers: they are cached under the
# survey's version, which every saved answer, submission and invitation bumps (so the page is
# never stale), with a ten-minute lifetime as a floor for changes made behind Keryx's back.

CACHE_SECONDS = 600


def _version_key(survey_id: int) -> str:
    return f"surveys:results-version:{survey_id}"


def results_changed(survey_id: int) -> None:
    from django.core.cache import cache

    key = _version_key(survey_id)
    if not cache.add(key, 1, timeout=None):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=None)


def cached(survey: Survey, name: str, compute: Any) -> Any:
    from django.core.cache import cache
    from django.utils import translation

    version = cache.get(_version_key(survey.pk), 0)
    language = translation.get_language() or ""
    digest = hashlib.sha256(name.encode()).hexdigest()[:24]
    # The survey's random public code too: a key never outlives its survey, even where ids
    # are used again (a test database rolled back, a restored backup).
    key = f"surveys:results:{survey.pk}:{survey.public_code}:{version}:{language}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=CACHE_SECONDS)
    return value
