"""Reads of the insights app, scoped to the workspace and the reader's role."""

from __future__ import annotations

from django.db.models import QuerySet

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.insights.models import AnalysedText, CrisisAlert
from keryx.seminars.models import Seminar


def texts_of(access: Access, seminar: Seminar | None = None) -> QuerySet[AnalysedText]:
    access.require(Perm.INBOX_VIEW)
    texts = AnalysedText.objects.filter(workspace=access.workspace)
    if seminar is not None:
        texts = texts.filter(seminar=seminar)
    return texts


def alerts_of(access: Access) -> QuerySet[CrisisAlert]:
    access.require(Perm.INBOX_VIEW)
    return CrisisAlert.objects.filter(workspace=access.workspace).order_by("-detected_at")


def mood_of(texts: QuerySet[AnalysedText]) -> dict[str, int]:
    """How many texts are positive, negative and neutral."""
    counts = {"positive": 0, "negative": 0, "neutral": 0}
    for label in texts.values_list("label", flat=True).iterator(chunk_size=5000):
        counts[label] = counts.get(label, 0) + 1
    return counts
