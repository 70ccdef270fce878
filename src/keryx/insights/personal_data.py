"""Personal data of the insights app: analysed texts carry their author's network handle and
what they wrote. Found by network handle; erased by blanking both (the text's sentiment and
time stay, so counts and trends survive)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from keryx.core.personal_data import PersonalDataKind, Subject, register
from keryx.insights.models import AnalysedText


def _find(subject: Subject) -> QuerySet[AnalysedText]:
    handles = [h.strip().lstrip("@") for h in subject.network_handles if h.strip()]
    if not handles:
        return AnalysedText.objects.none()
    query = Q()
    for handle in handles:
        query |= Q(author_handle__iexact=handle) | Q(author_handle__iexact="@" + handle)
    return AnalysedText.objects.filter(query)


def _erase(records: QuerySet[AnalysedText]) -> int:
    return records.update(author_handle="", text="", external_id="")


register(
    PersonalDataKind(
        key="insights.analysedtext",
        model=AnalysedText,
        label=_("Analysed comments and mentions"),
        fields=("author_handle", "text"),
        find=_find,
        erase=_erase,
        retention_days=365,
        retention_anchor="posted_at",
        notes=_("Erasing blanks the author and the words; the sentiment and time stay for counts."),
    )
)
