"""The demo seminar's surveys: an audience profile answered by most registrants (and some
anonymous visitors), a feedback survey answered by most attendees. Nobody is e-mailed: the
invitations are recorded without outbox messages (decision 0853)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping

from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.accounts.models import User
from keryx.accounts.roles import Perm, Role
from keryx.links.models import TrackedLink
from keryx.registrations.models import Registration
from keryx.seminars.models import Seminar
from keryx.surveys.domain.builder import demographics_add, survey_create
from keryx.surveys.domain.tallies import tallies_rebuild
from keryx.surveys.enums import SurveyKind
from keryx.surveys.models import Answer, Invitation, Question, Response, Survey

# per network: (age bands, sectors) the people it brings lean to
LEANS: dict[str, tuple[list[str], list[str]]] = {
    "linkedin": (
        ["25-34", "35-44", "25-34", "45-54"],
        ["marketing", "marketing", "business", "tech"],
    ),
    "instagram": (["18-24", "18-24", "18-24", "25-34"], ["student", "student", "marketing", "ngo"]),
    "facebook": (["35-44", "45-54", "35-44", "55-64"], ["business", "ngo", "public", "education"]),
}
DEFAULT_LEAN = (["25-34", "35-44", "45-54"], ["education", "public", "marketing", "other"])
IMPROVE = [
    "Περισσότερος χρόνος για ερωτήσεις.",
    "Πιο πολλά πρακτικά παραδείγματα από ελληνικές επιχειρήσεις.",
    "More hands-on exercises, please.",
    "Ο ήχος στη ζωντανή μετάδοση διέκοπτε.",
]
TESTIMONIALS = [
    "Έφυγα με ένα πλάνο περιεχομένου για τρεις μήνες. Το προτείνω ανεπιφύλακτα!",
    "The best day of training I've had this year.",
]


def _answers(
    response: Response, questions: list[Question], rng: random.Random, network: str
) -> list[Answer]:
    ages, sectors = LEANS.get(network, DEFAULT_LEAN)
    out: list[Answer] = []
    for q in questions:
        if q.kind == "age_band":
            out.append(Answer(response=response, question=q, choice=rng.choice(ages)))
        elif q.kind == "gender":
            choice = rng.choices(["female", "male", "non_binary", "undisclosed"], [58, 36, 3, 3])[0]
            out.append(Answer(response=response, question=q, choice=choice))
        elif q.kind == "profession":
            out.append(Answer(response=response, question=q, choice=rng.choice(sectors)))
        elif q.kind == "heard_from":
            out.append(Answer(response=response, question=q, choice=network or "friend"))
        elif q.kind == "city":
            city = rng.choice(["Αθήνα", "Αθήνα", "Θεσσαλονίκη", "Πάτρα", "Ηράκλειο"])
            out.append(Answer(response=response, question=q, text=city))
        elif q.kind == "country":
            out.append(Answer(response=response, question=q, text="Ελλάδα"))
        elif q.kind == "rating5":
            out.append(Answer(response=response, question=q, number=rng.choice([5, 5, 4, 4, 4, 3])))
        elif q.kind == "nps":
            out.append(
                Answer(response=response, question=q, number=rng.choice([10, 10, 9, 9, 8, 7, 6, 9]))
            )
        elif q.kind == "single" and q.options:
            out.append(Answer(response=response, question=q, choice=rng.choice(q.options)["key"]))
        elif q.kind == "multiple" and q.options:
            for option in rng.sample(q.options, k=min(2, len(q.options))):
                out.append(Answer(response=response, question=q, choice=option["key"]))
        elif q.kind == "text" and rng.random() < 0.4:
            out.append(Answer(response=response, question=q, text=rng.choice(IMPROVE)))
        elif q.kind == "testimonial" and rng.random() < 0.15:
            out.append(Answer(response=response, question=q, text=rng.choice(TESTIMONIALS)))
    return out


def _respond(
    survey: Survey,
    registrations: list[Registration],
    codes: dict[str, str],
    rng: random.Random,
    *,
    segment: str,
    share: float,
    anonymous: int = 0,
) -> int:
    questions = list(survey.questions.all())
    now = timezone.now()
    answers: list[Answer] = []
    count = 0
    for reg in registrations:
        invitation = Invitation.objects.create(
            survey=survey, registration=reg, segment=segment, invited_at=now - dt.timedelta(days=3)
        )
        if rng.random() > share:
            continue
        network = codes.get(reg.first_touch_code or reg.last_touch_code, "")
        response = Response.objects.create(
            survey=survey,
            invitation=invitation,
            registration=reg,
            language=reg.language,
            day=(now - dt.timedelta(days=rng.randint(0, 2))).date(),
            submitted=True,
            network=network,
        )
        answers += _answers(response, questions, rng, network)
        count += 1
    for _n in range(anonymous):
        network = rng.choice(["instagram", "instagram", "linkedin", "facebook", ""])
        response = Response.objects.create(
            survey=survey, language="el", day=now.date(), submitted=True, network=network
        )
        answers += _answers(response, questions, rng, network)
        count += 1
    for a in answers:
        if a.question.kind == "testimonial":
            Response.objects.filter(pk=a.response.pk).update(testimonial_consent=True)
    Answer.objects.bulk_create(answers)
    tallies_rebuild(survey)  # written in bulk here, so counted once at the end
    return count


def demo_surveys(seminar: Seminar, users: Mapping[Role, User]) -> int:
    """Returns how many responses were made."""
    rng = random.Random(11)
    access = workspace_access(users[Role.OWNER], seminar.workspace, Perm.SURVEYS_EDIT)
    codes = dict(TrackedLink.objects.filter(seminar=seminar).values_list("code", "network"))
    registrations = list(Registration.objects.filter(seminar=seminar, status="registered"))
    attendees = [r for r in registrations if rng.random() < 0.7]
    Registration.objects.filter(
        pk__in=[r.pk for r in attendees], checked_in_at__isnull=True
    ).update(checked_in_at=seminar.starts_at + dt.timedelta(minutes=10))
    profile = survey_create(access=access, seminar=seminar, kind=SurveyKind.AUDIENCE)
    made = _respond(
        profile, registrations, codes, rng, segment="registered", share=0.85, anonymous=20
    )
    feedback = survey_create(access=access, seminar=seminar, kind=SurveyKind.FEEDBACK)
    demographics_add(access=access, survey=feedback, page=4)
    made += _respond(feedback, attendees, codes, rng, segment="checked_in", share=0.8)
    return made
