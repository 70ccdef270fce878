"""Answering a survey: which questions show, what an answer is, saving a page, submitting.

A page is saved with every answer given, even when a required one is missing: the missing ones
are named and the rest stays filled in. Submitting checks every visible question on every page.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.core.errors import Conflict
from keryx.surveys.domain.tallies import counts_of, tallies_apply
from keryx.surveys.enums import CHOICE_KINDS, LIKERT_SCALE, SCALES
from keryx.surveys.models import Answer, Invitation, Question, Response, Survey

Values = dict[str, list[str]]  # question key -> raw values (option keys, numbers, text)


@dataclass
class SurveyState:
    open: bool
    reason: str = ""  # "not_yet" | "closed"
    at: dt.datetime | None = None


def survey_state(survey: Survey, now: dt.datetime | None = None) -> SurveyState:
    now = now or timezone.now()
    if survey.opens_at and now < survey.opens_at:
        return SurveyState(False, "not_yet", survey.opens_at)
    if survey.closes_at and now >= survey.closes_at:
        return SurveyState(False, "closed", survey.closes_at)
    return SurveyState(True)


def pages_of(questions: Sequence[Question]) -> list[int]:
    return sorted({q.page for q in questions}) or [1]


def is_shown(question: Question, values: Values) -> bool:
    rule = question.show_if or {}
    if not rule.get("question"):
        return True
    given = set(values.get(str(rule["question"]), []))
    return bool(given & {str(v) for v in rule.get("values", [])})


# --- reading answers from a form and from the database ---------------------------------------


def values_from_form(questions: Sequence[Question], data: Mapping[str, Any]) -> Values:
    """The raw values of the questions in a POST (a QueryDict or a dict of lists)."""

    def getlist(name: str) -> list[str]:
        if hasattr(data, "getlist"):
            return [str(v) for v in data.getlist(name)]
        value = data.get(name)
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]

    values: Values = {}
    for q in questions:
        name = f"q_{q.key}"
        if q.kind == "likert":
            for option in q.options:
                got = [v for v in getlist(f"{name}__{option['key']}") if v.strip()]
                if got:
                    values[f"{q.key}__{option['key']}"] = got[:1]
            continue
        got = [v.strip() for v in getlist(name) if v.strip()]
        if q.kind == "gender" and got == ["self"]:
            described = [v.strip() for v in getlist(f"{name}_self") if v.strip()]
            values[f"{q.key}_self"] = described[:1]
        if q.kind == "testimonial":
            values[f"{q.key}_consent"] = ["1"] if getlist(f"{name}_consent") else []
        if got:
            values[q.key] = got if q.kind == "multiple" else got[:1]
    return values


def values_of(response: Response) -> Values:
    values: Values = {}
    for a in response.answers.select_related("question"):
        q = a.question
        if q.kind == "likert":
            values[f"{q.key}__{a.choice}"] = [str(int(a.number or 0))]
        elif q.kind in CHOICE_KINDS:
            values.setdefault(q.key, []).append(a.choice)
            if a.choice == "self" and a.text:
                values[f"{q.key}_self"] = [a.text]
        elif a.number is not None:
            number = a.number
            values[q.key] = [str(int(number)) if number == int(number) else str(number)]
        else:
            values[q.key] = [a.text]
    if response.testimonial_consent:
        for q in response.survey.questions.filter(kind="testimonial"):
            values[f"{q.key}_consent"] = ["1"]
    return values


# --- checking -------------------------------------------------------------------------------


@dataclass
class Checked:
    answers: list[Answer] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def _check(q: Question, values: Values, out: Checked) -> None:
    raw = values.get(q.key, [])
    missing = _("This question needs an answer: %(question)s") % {"question": q.label}
    if q.kind == "likert":
        rows = 0
        low, high = LIKERT_SCALE
        for option in q.options:
            got = values.get(f"{q.key}__{option['key']}", [])
            if not got:
                continue
            try:
                point = int(got[0])
            except ValueError:
                point = -1
            if not low <= point <= high:
                out.errors[q.key] = _("Choose a value from %(low)s to %(high)s.") % {
                    "low": low,
                    "high": high,
                }
                return
            rows += 1
            out.answers.append(Answer(question=q, choice=option["key"], number=point))
        if q.required and rows < len(q.options):
            out.errors[q.key] = missing
        return
    if not raw:
        if q.required:
            out.errors[q.key] = missing
        return
    if q.kind in CHOICE_KINDS:
        allowed = {o["key"] for o in q.options}
        chosen = [v for v in dict.fromkeys(raw) if v in allowed]
        if len(chosen) != len(set(raw)):
            out.errors[q.key] = _("Choose one of the options shown.")
            return
        for key in chosen:
            text = ""
            if q.kind == "gender" and key == "self":
                text = (values.get(f"{q.key}_self") or [""])[0][:200]
            out.answers.append(Answer(question=q, choice=key, text=text))
        return
    if q.kind in SCALES or q.kind == "number":
        try:
            number = float(raw[0].replace(",", "."))
        except ValueError:
            out.errors[q.key] = _("Enter a number.")
            return
        if q.kind in SCALES:
            low, high = SCALES[q.kind]
            if number != int(number) or not low <= number <= high:
                out.errors[q.key] = _("Choose a value from %(low)s to %(high)s.") % {
                    "low": low,
                    "high": high,
                }
                return
        out.answers.append(Answer(question=q, number=number))
        return
    out.answers.append(Answer(question=q, text=raw[0][:5000]))


def check(questions: Sequence[Question], values: Values) -> Checked:
    out = Checked()
    for q in questions:
        if is_shown(q, values):
            _check(q, values, out)
    return out


# --- responses ------------------------------------------------------------------------------


def response_for_invitation(invitation: Invitation, *, language: str) -> Response:
    """The one response of a personal link (made on first use; a second use edits it)."""
    response = Response.objects.filter(invitation=invitation).first()
    if response is not None:
        return response
    registration = invitation.registration
    network = network_of(registration)
    try:
        with transaction.atomic():
            return Response.objects.create(
                survey=invitation.survey,
                invitation=invitation,
                registration=None if invitation.survey.anonymous else registration,
                language=language,
                day=timezone.localdate(),
                network=network,
            )
    except Exception:
        existing = Response.objects.filter(invitation=invitation).first()
        if existing is None:
            raise
        return existing


def response_start_anonymous(survey: Survey, *, language: str, network: str = "") -> Response:
    return Response.objects.create(
        survey=survey, language=language, day=timezone.localdate(), network=network[:16]
    )


def network_of(registration: Any) -> str:
    """The network of the tracked link that brought a registrant ("" if none)."""
    from keryx.links.models import TrackedLink

    code = registration.first_touch_code or registration.last_touch_code
    if not code:
        return ""
    link = TrackedLink.objects.filter(code=code).only("network").first()
    return link.network if link is not None else ""


def prefill(survey: Survey, response: Response) -> Values:
    """What a personal link already knows: "how did you hear about us" from the tracked link."""
    values: Values = {}
    if response.network:
        for q in survey.questions.filter(kind="heard_from"):
            if any(o["key"] == response.network for o in q.options):
                values[q.key] = [response.network]
    return values


@dataclass
class Saved:
    errors: dict[str, str]
    values: Values
    submitted: bool = False


def response_save(
    *,
    response: Response,
    data: Mapping[str, Any],
    page: int | None,
    submit: bool,
    now: dt.datetime | None = None,
) -> Saved:
    """Save the answers of one page (``page``), or of every page (``page=None``). Every valid
    answer is kept; ``submit`` also checks that every visible required question is answered
    and marks the response submitted (it stays editable until the survey closes)."""
    survey = response.survey
    state = survey_state(survey, now)
    if not state.open:
        raise Conflict(_("This survey is closed."))
    questions = list(survey.questions.all())
    on_page = [q for q in questions if page is None or q.page == page]
    current = values_of(response)
    for q in on_page:  # the page's questions take the form's values (absent = cleared)
        for key in list(current):
            if key == q.key or key.startswith(f"{q.key}__") or key.startswith(f"{q.key}_"):
                del current[key]
    current.update(values_from_form(on_page, data))
    checked = check(questions, current)
    errors = {k: v for k, v in checked.errors.items() if submit or k in {q.key for q in on_page}}
    # keep every valid answer (including those on other pages), drop the invalid ones
    with transaction.atomic():
        # The row lock orders two saves of the same response (a personal link in two tabs),
        # so the tallies take away exactly what the previous save counted.
        was_submitted = (
            Response.objects.select_for_update()
            .filter(pk=response.pk)
            .values_list("submitted", flat=True)
            .first()
        )
        old = Answer.objects.filter(response=response)
        before = (
            counts_of(old.values_list("question_id", "choice", "number"))
            if was_submitted
            else Counter()
        )
        old.delete()
        for answer in checked.answers:
            answer.response = response
        Answer.objects.bulk_create(checked.answers)
        consent = any(
            values.startswith("1")
            for key, vs in current.items()
            if key.endswith("_consent")
            for values in vs
        )
        fields: dict[str, Any] = {"testimonial_consent": consent}
        if page is not None:
            fields["page"] = page
        if submit and not errors:
            fields["submitted"] = True
            fields["day"] = timezone.localdate(now)
        Response.objects.filter(pk=response.pk).update(**fields)
        if was_submitted or fields.get("submitted"):
            after = counts_of((a.question_id, a.choice, a.number) for a in checked.answers)
        else:
            after = Counter()
        tallies_apply(survey.pk, before, after)
    for key, value in fields.items():
        setattr(response, key, value)
    from keryx.surveys.domain.results import results_changed

    transaction.on_commit(lambda: results_changed(survey.pk))
    return Saved(errors=errors, values=current, submitted=bool(submit and not errors))
