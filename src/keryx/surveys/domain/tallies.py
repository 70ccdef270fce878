"""Per-question answer counts, kept in step with the answers (decision 0867).

:func:`tallies_apply` is called inside the transaction that replaces a response's answers: it
takes away what the response counted before (when it was submitted) and adds what it counts now
(when it is submitted now). Each change is an ``UPDATE … SET n = n + d`` on rows made first with
``INSERT … ON CONFLICT DO NOTHING``, so two respondents saving at once both count.
:func:`tallies_rebuild` recounts a survey from its answers (a repair, the migration, the bench).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Count, F, Q

from keryx.surveys.models import Answer, AnswerTally, Response, Survey

Key = tuple[int, str, str]  # (question id, choice, number key)
Row = tuple[int, str, float | None]  # (question id, choice, number)


def number_key(number: float | None) -> str:
    return "" if number is None else repr(float(number))


def counts_of(rows: Iterable[Row]) -> Counter[Key]:
    """The tallies of one response's answers, respondents markers included."""
    counts: Counter[Key] = Counter()
    questions: set[int] = set()
    for question_id, choice, number in rows:
        counts[(question_id, choice or "", number_key(number))] += 1
        questions.add(question_id)
    for question_id in questions:
        counts[(question_id, "", AnswerTally.RESPONDENTS)] += 1
    return counts


def tallies_apply(survey_id: int, before: Counter[Key], after: Counter[Key]) -> None:
    delta: Counter[Key] = Counter(after)
    delta.subtract(before)
    changes = {key: d for key, d in delta.items() if d}
    if not changes:
        return
    AnswerTally.objects.bulk_create(
        [
            AnswerTally(
                survey_id=survey_id,
                question_id=qid,
                choice=choice,
                number_key=nkey,
                number=None if nkey in ("", AnswerTally.RESPONDENTS) else float(nkey),
            )
            for (qid, choice, nkey) in changes
        ],
        ignore_conflicts=True,
    )
    by_delta: dict[int, list[Key]] = defaultdict(list)
    for key, d in changes.items():
        by_delta[d].append(key)
    for d, keys in by_delta.items():
        match = Q(pk__in=[])
        for qid, choice, nkey in keys:
            match |= Q(question_id=qid, choice=choice, number_key=nkey)
        AnswerTally.objects.filter(match).update(n=F("n") + d)


def tallies_rebuild(survey: Survey) -> int:
    """Recount the survey's tallies from its submitted answers; returns the rows written."""
    AnswerTally.objects.filter(survey=survey).delete()
    submitted = Response.objects.filter(survey=survey, submitted=True).values("pk")
    answers = Answer.objects.filter(response_id__in=submitted)
    rows = [
        AnswerTally(
            survey=survey,
            question_id=r["question_id"],
            choice=r["choice"] or "",
            number_key=number_key(r["number"]),
            number=r["number"],
            n=r["n"],
        )
        for r in answers.values("question_id", "choice", "number")
        .annotate(n=Count("id"))
        .order_by()
    ]
    rows += [
        AnswerTally(
            survey=survey,
            question_id=r["question_id"],
            choice="",
            number_key=AnswerTally.RESPONDENTS,
            n=r["n"],
        )
        for r in answers.values("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    ]
    AnswerTally.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def tallies_of(
    survey: Survey,
) -> tuple[dict[int, list[tuple[str, float | None, int]]], dict[int, int]]:
    """(value rows per question id, respondents per question id), from the tallies."""
    cells: dict[int, list[tuple[str, float | None, int]]] = defaultdict(list)
    respondents: dict[int, int] = {}
    for qid, choice, nkey, number, n in AnswerTally.objects.filter(
        survey=survey, n__gt=0
    ).values_list("question_id", "choice", "number_key", "number", "n"):
        if nkey == AnswerTally.RESPONDENTS:
            respondents[qid] = n
        else:
            cells[qid].append((choice, number, n))
    return cells, respondents
