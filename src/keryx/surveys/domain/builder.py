"""Building a survey: create (blank or from a template), add and remove questions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.errors import ValidationFailed
from keryx.seminars.models import Seminar
from keryx.surveys.domain.options import DEMOGRAPHIC_TEXTS, both, built_in_options
from keryx.surveys.enums import CHOICE_KINDS, DEMOGRAPHIC_KINDS, QuestionKind, SurveyKind
from keryx.surveys.models import Question, Survey

Texts = dict[str, str]


def _key_for(survey: Survey, base: str) -> str:
    base = re.sub(r"[^a-z0-9_]+", "_", base.lower()).strip("_")[:30] or "q"
    taken = set(survey.questions.values_list("key", flat=True))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}_{n}"
    return key


def parse_options(text: str) -> list[dict[str, str]]:
    """One option per line, ``Greek | English`` (or one text for both)."""
    options = []
    for n, line in enumerate(x for x in text.splitlines() if x.strip()):
        el, _sep, en = line.partition("|")
        options.append({"key": f"o{n + 1}", "el": el.strip(), "en": (en or el).strip()})
    return options


def question_add(
    *,
    access: Access,
    survey: Survey,
    kind: str,
    text: Texts | None = None,
    required: bool = False,
    page: int | None = None,
    options: list[dict[str, str]] | None = None,
    show_if: Mapping[str, Any] | None = None,
    key: str = "",
    session_id: int | None = None,
) -> Question:
    access.require(Perm.SURVEYS_EDIT)
    if kind not in QuestionKind.values:
        raise ValidationFailed(fields={"kind": [_("Choose a kind of question.")]})
    texts = {k: v.strip() for k, v in (text or {}).items() if v and v.strip()}
    if not texts and kind in DEMOGRAPHIC_TEXTS:
        texts = both(DEMOGRAPHIC_TEXTS[kind])
    if not texts:
        raise ValidationFailed(fields={"text_el": [_("Write the question.")]})
    if kind in DEMOGRAPHIC_KINDS and kind in CHOICE_KINDS:
        options = built_in_options(kind)
    if (kind in {"single", "multiple", "likert"}) and not options:
        raise ValidationFailed(fields={"options": [_("Give at least one option, one per line.")]})
    rule: dict[str, Any] = {}
    if show_if and show_if.get("question"):
        if not survey.questions.filter(key=show_if["question"]).exists():
            raise ValidationFailed(fields={"show_if": [_("Choose an earlier question.")]})
        rule = {"question": str(show_if["question"]), "values": list(show_if.get("values", []))}
    last = survey.questions.aggregate(p=Max("position"), page=Max("page"))
    question = Question.objects.create(
        survey=survey,
        key=_key_for(survey, key or kind),
        kind=kind,
        text=texts,
        required=required,
        page=page or last["page"] or 1,
        position=(last["p"] or 0) + 1,
        options=options or [],
        show_if=rule,
        session_id=session_id,
    )
    audit_record(
        action="survey.question_add",
        actor=access.user,
        workspace=access.workspace,
        obj=survey,
        changes={"question": [None, question.key]},
    )
    return question


def demographics_add(*, access: Access, survey: Survey, page: int | None = None) -> list[Question]:
    """The demographics block: age band, gender, sector, city, country, how they heard."""
    return [
        question_add(access=access, survey=survey, kind=kind, page=page, key=kind)
        for kind in DEMOGRAPHIC_KINDS
    ]


def question_delete(*, access: Access, question: Question) -> None:
    access.require(Perm.SURVEYS_EDIT)
    survey = question.survey
    key = question.key
    question.delete()
    audit_record(
        action="survey.question_delete",
        actor=access.user,
        workspace=access.workspace,
        obj=survey,
        changes={"question": [key, None]},
    )


def survey_update(*, access: Access, survey: Survey, fields: Mapping[str, Any]) -> Survey:
    access.require(Perm.SURVEYS_EDIT)
    allowed = {
        "title",
        "intro",
        "anonymous",
        "public_link",
        "opens_at",
        "closes_at",
        "reminder_after_days",
        "max_reminders",
    }
    for name, value in fields.items():
        if name in allowed:
            setattr(survey, name, value)
    if survey.opens_at and survey.closes_at and survey.closes_at <= survey.opens_at:
        raise ValidationFailed(fields={"closes_at": [_("The survey must close after it opens.")]})
    survey.save()
    audit_record(action="survey.update", actor=access.user, workspace=access.workspace, obj=survey)
    return survey


# --- templates ------------------------------------------------------------------------------

_T: dict[str, str | Promise] = {
    "audience_title": gettext_lazy("Who is coming? A short audience profile"),
    "feedback_title": gettext_lazy("How was the seminar?"),
    "expect": gettext_lazy("What do you most hope to take away from the seminar?"),
    "networks": gettext_lazy("Which social networks do you use for work?"),
    "level": gettext_lazy("How experienced are you with social media management?"),
    "overall": gettext_lazy("Overall, how would you rate the seminar?"),
    "session": gettext_lazy("How would you rate this session: %(title)s"),
    "nps": gettext_lazy("How likely are you to recommend the seminar to a friend or colleague?"),
    "improve": gettext_lazy("What should we improve?"),
    "topics": gettext_lazy("Which topics would you like next time?"),
    "testimonial": gettext_lazy("Would you share a few words about the seminar?"),
}


def _options(*labels: str | Promise) -> list[dict[str, str]]:
    return [{"key": f"o{n + 1}", **both(label)} for n, label in enumerate(labels)]


@transaction.atomic
def survey_create(
    *,
    access: Access,
    seminar: Seminar | None,
    kind: str = SurveyKind.CUSTOM,
    title: Texts | None = None,
    anonymous: bool = False,
) -> Survey:
    access.require(Perm.SURVEYS_EDIT)
    if seminar is not None and seminar.workspace_id != access.workspace.pk:
        raise ValidationFailed(fields={"seminar": [_("Choose a seminar of this workspace.")]})
    if kind not in SurveyKind.values:
        kind = SurveyKind.CUSTOM
    default_title = {
        SurveyKind.AUDIENCE: both(_T["audience_title"]),
        SurveyKind.FEEDBACK: both(_T["feedback_title"]),
    }.get(SurveyKind(kind), {})
    texts = {k: v.strip() for k, v in (title or {}).items() if v and v.strip()} or default_title
    if not texts:
        raise ValidationFailed(fields={"title_el": [_("Give the survey a title.")]})
    survey = Survey.objects.create(
        workspace=access.workspace, seminar=seminar, kind=kind, title=texts, anonymous=anonymous
    )
    audit_record(action="survey.create", actor=access.user, workspace=access.workspace, obj=survey)
    add = question_add
    if kind == SurveyKind.AUDIENCE:
        demographics_add(access=access, survey=survey, page=1)
        add(access=access, survey=survey, kind="text", text=both(_T["expect"]), page=2)
        add(
            access=access,
            survey=survey,
            kind="multiple",
            text=both(_T["networks"]),
            page=2,
            options=[{"key": k, "el": v, "en": v} for k, v in _network_choices()],
        )
        add(
            access=access,
            survey=survey,
            kind="single",
            text=both(_T["level"]),
            page=2,
            options=_options(
                gettext_lazy("Just starting"),
                gettext_lazy("Some experience"),
                gettext_lazy("It is my job"),
            ),
        )
    elif kind == SurveyKind.FEEDBACK:
        add(
            access=access,
            survey=survey,
            kind="rating5",
            text=both(_T["overall"]),
            required=True,
            page=1,
            key="overall",
        )
        if seminar is not None:
            for session in seminar.sessions.order_by("starts_at"):
                texts_s = {
                    lang: text % {"title": session.title}
                    for lang, text in both(_T["session"]).items()
                }
                add(
                    access=access,
                    survey=survey,
                    kind="rating5",
                    text=texts_s,
                    page=1,
                    key=f"session_{session.pk}",
                    session_id=session.pk,
                )
        add(
            access=access,
            survey=survey,
            kind="nps",
            text=both(_T["nps"]),
            required=True,
            page=2,
            key="nps",
        )
        add(access=access, survey=survey, kind="text", text=both(_T["improve"]), page=2)
        add(access=access, survey=survey, kind="text", text=both(_T["topics"]), page=2)
        add(
            access=access,
            survey=survey,
            kind="testimonial",
            text=both(_T["testimonial"]),
            page=3,
            key="testimonial",
        )
    return survey


def _network_choices() -> list[tuple[str, str]]:
    from keryx.surveys.domain.options import NETWORK_CHOICES

    return [(k, str(v)) for k, v in NETWORK_CHOICES]
