"""KPIs from what people said: the average rating (live rating polls and the feedback
surveys' 1–5 ratings), the Net Promoter Score and the survey response rate (decision 0954).

Only feedback surveys count for ratings and NPS: an audience survey's "how interested are you,
1–5" is not a rating of the seminar. The response rate counts every survey of the seminar that
sent personal invitations."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from keryx.analytics.kpis import NotMeasured, Value

if TYPE_CHECKING:
    from keryx.seminars.models import Seminar

TWO = Decimal("0.01")


def rating_totals(seminar: Seminar) -> tuple[int, int]:
    """(sum, count) of every 1–5 rating of the seminar."""
    from keryx.live.models import Vote
    from keryx.surveys.enums import SurveyKind
    from keryx.surveys.models import Answer

    votes = Vote.objects.filter(
        poll__room__seminar=seminar, poll__kind="rating", value__isnull=False
    ).aggregate(total=Sum("value"), n=Count("pk"))
    answers = Answer.objects.filter(
        response__survey__seminar=seminar,
        response__survey__kind=SurveyKind.FEEDBACK,
        response__submitted=True,
        question__kind="rating5",
        number__isnull=False,
    ).aggregate(total=Sum("number"), n=Count("pk"))
    total = (votes["total"] or 0) + (answers["total"] or 0)
    return round(total), votes["n"] + answers["n"]


def average_rating(seminar: Seminar) -> Value:
    total, n = rating_totals(seminar)
    if not n:
        return NotMeasured(_("Nobody has rated yet (live rating polls, feedback surveys)."))
    return (Decimal(total) / n).quantize(TWO, ROUND_HALF_UP)


def nps(seminar: Seminar) -> Value:
    """% promoters (9–10) − % detractors (0–6) over the feedback surveys' 0–10 answers,
    rounded to a whole number (as the surveys app shows it)."""
    from keryx.surveys.enums import SurveyKind
    from keryx.surveys.models import Answer

    counts = Answer.objects.filter(
        response__survey__seminar=seminar,
        response__survey__kind=SurveyKind.FEEDBACK,
        response__submitted=True,
        question__kind="nps",
        number__isnull=False,
    ).aggregate(
        n=Count("pk"),
        promoters=Count("pk", filter=Q(number__gte=9)),
        detractors=Count("pk", filter=Q(number__lte=6)),
    )
    if not counts["n"]:
        return NotMeasured(_("No answers yet to the feedback survey's recommendation question."))
    score = Decimal(100 * (counts["promoters"] - counts["detractors"])) / counts["n"]
    return score.quantize(Decimal(1), ROUND_HALF_UP)


def survey_response_rate(seminar: Seminar) -> Value:
    """Submitted responses per 100 invitations sent (personal links only: a public link has
    no denominator)."""
    from keryx.surveys.models import Invitation

    counts = Invitation.objects.filter(survey__seminar=seminar, invited_at__isnull=False).aggregate(
        sent=Count("pk"), answered=Count("pk", filter=Q(response__submitted=True))
    )
    if not counts["sent"]:
        return NotMeasured(_("No survey invitations have been sent yet."))
    return (Decimal(100 * counts["answered"]) / counts["sent"]).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )
