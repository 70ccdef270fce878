"""Personal data in surveys: personal invitations, identified responses, interview notes.

Anonymous responses hold nothing about a person (no registration, no IP, only the day)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from keryx.core.personal_data import PersonalDataKind, Subject, register
from keryx.surveys.models import Answer, Interview, Invitation, Response


def _registration_q(subject: Subject, prefix: str) -> Q:
    q = Q(pk__in=[])
    if subject.email:
        q |= Q(**{f"{prefix}email__iexact": subject.email_folded})
    if subject.registration_ids:
        q |= Q(**{f"{prefix}id__in": list(subject.registration_ids)})
    return q


def _find_responses(subject: Subject) -> QuerySet[Any]:
    return Response.objects.filter(
        _registration_q(subject, "registration__")
        | _registration_q(subject, "invitation__registration__")
    )


def _erase_responses(records: QuerySet[Any]) -> int:
    """Keep the answers (they are counted) but cut every tie to the person; open texts and
    testimonials may name them, so those are blanked."""
    ids = list(records.values_list("pk", flat=True))
    Answer.objects.filter(response_id__in=ids).exclude(text="").update(text="")
    return Response.objects.filter(pk__in=ids).update(
        registration=None, invitation=None, testimonial_consent=False
    )


def _find_invitations(subject: Subject) -> QuerySet[Any]:
    return Invitation.objects.filter(_registration_q(subject, "registration__"))


def _erase_invitations(records: QuerySet[Any]) -> int:
    deleted, _by_model = records.delete()
    return deleted


def _find_interviews(subject: Subject) -> QuerySet[Any]:
    # Interviews name people by name only; the privacy officer finds them by a name search.
    return Interview.objects.none()


def _erase_interviews(records: QuerySet[Any]) -> int:
    deleted, _by_model = records.delete()
    return deleted


register(
    PersonalDataKind(
        key="surveys.response",
        model=Response,
        label=_("Survey responses"),
        fields=("registration", "language", "network"),
        find=_find_responses,
        erase=_erase_responses,
        export=lambda records: [
            {
                "id": r.pk,
                "survey": r.survey.name,
                "day": r.day.isoformat(),
                "answers": [
                    {
                        "question": a.question.label,
                        "choice": a.choice,
                        "number": a.number,
                        "text": a.text,
                    }
                    for a in r.answers.select_related("question")
                ],
            }
            for r in records.select_related("survey")
        ],
    )
)
register(
    PersonalDataKind(
        key="surveys.answer",
        model=Answer,
        label=_("Survey answers (open texts)"),
        fields=("text",),
        find=lambda subject: Answer.objects.filter(response__in=_find_responses(subject)),
        erase=lambda records: records.update(text=""),
    )
)
register(
    PersonalDataKind(
        key="surveys.invitation",
        model=Invitation,
        label=_("Survey invitations"),
        fields=("registration",),
        find=_find_invitations,
        erase=_erase_invitations,
    )
)
register(
    PersonalDataKind(
        key="surveys.interview",
        model=Interview,
        label=_("Interview notes"),
        fields=("person", "context", "highlights", "pain_points", "quotes", "follow_up"),
        find=_find_interviews,
        erase=_erase_interviews,
        notes=_("Found by searching the interviews for the person's name."),
    )
)
