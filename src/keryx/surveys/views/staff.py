"""Staff pages: the list, the builder and distribution, results and exports, interviews."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.errors import KeryxError, ValidationFailed
from keryx.core.models import OutboxStatus
from keryx.links.qr import FORMATS, qr_image
from keryx.seminars import queries as seminar_queries
from keryx.surveys import queries
from keryx.surveys.domain import builder, exports, interviews, invitations, results
from keryx.surveys.domain.answering import survey_state
from keryx.surveys.domain.testimonials import testimonial_to_library
from keryx.surveys.enums import QuestionKind, Segment, SurveyKind
from keryx.surveys.models import Survey
from keryx.web.access import area

KEY = "surveys"


def _public_url(request: HttpRequest, survey: Survey) -> str:
    from django.conf import settings

    return f"{settings.KERYX_BASE_URL}/q/{survey.public_code}/"


def _errors(request: HttpRequest, exc: KeryxError) -> None:
    if isinstance(exc, ValidationFailed):
        for problems in exc.fields.values():
            for problem in problems:
                messages.error(request, str(problem))
    else:
        messages.error(request, exc.message)


@area(Perm.SURVEYS_EDIT, key=KEY)
def survey_list(request: HttpRequest, access: Access) -> HttpResponse:
    if request.method == "POST":
        seminar_id = request.POST.get("seminar") or ""
        seminar = (
            seminar_queries.seminar_in(access, int(seminar_id)) if seminar_id.isdigit() else None
        )
        try:
            survey = builder.survey_create(
                access=access,
                seminar=seminar,
                kind=request.POST.get("kind", "custom"),
                title={
                    "el": request.POST.get("title_el", ""),
                    "en": request.POST.get("title_en", ""),
                },
                anonymous=bool(request.POST.get("anonymous")),
            )
        except KeryxError as exc:
            _errors(request, exc)
        else:
            return redirect("surveys:detail", workspace=access.workspace.slug, survey_id=survey.pk)
    return render(
        request,
        "surveys/list.html",
        {
            "access": access,
            "surveys": queries.surveys_in(access),
            "seminars": seminar_queries.seminars_in(access),
            "kinds": SurveyKind.choices,
        },
    )


@area(Perm.SURVEYS_EDIT, key=KEY)
def survey_detail(request: HttpRequest, access: Access, survey_id: int) -> HttpResponse:
    survey = queries.survey_in(access, survey_id)
    questions = list(survey.questions.all())
    return render(
        request,
        "surveys/detail.html",
        {
            "access": access,
            "survey": survey,
            "questions": questions,
            "kinds": QuestionKind.choices,
            "segments": Segment.choices,
            "public_url": _public_url(request, survey),
            "state": survey_state(survey),
            "mail_status": [
                (status, OutboxStatus(status).label, n)
                for status, n in invitations.invitation_status(survey).items()
            ],
            "invited": survey.invitations.count(),
            "next_page": max([q.page for q in questions], default=1),
        },
    )


@require_POST
@area(Perm.SURVEYS_EDIT, key=KEY)
def question_add(request: HttpRequest, access: Access, survey_id: int) -> HttpResponse:
    survey = queries.survey_in(access, survey_id)
    post = request.POST
    try:
        if post.get("demographics"):
            page = int(post.get("page") or 0) or None
            builder.demographics_add(access=access, survey=survey, page=page)
        else:
            show_if = {}
            if post.get("show_if_question"):
                show_if = {
                    "question": post["show_if_question"],
                    "values": [
                        v.strip() for v in post.get("show_if_values", "").split(",") if v.strip()
                    ],
                }
            builder.question_add(
                access=access,
                survey=survey,
                kind=post.get("kind", ""),
                text={"el": post.get("text_el", ""), "en": post.get("text_en", "")},
                required=bool(post.get("required")),
                page=int(post.get("page") or 0) or None,
                options=builder.parse_options(post.get("options", "")),
                show_if=show_if,
            )
    except (KeryxError, ValueError) as exc:
        if isinstance(exc, KeryxError):
            _errors(request, exc)
        else:
            messages.error(request, _("Enter a page number."))
    else:
        messages.success(request, _("Question added."))
    return redirect("surveys:detail", workspace=access.workspace.slug, survey_id=survey.pk)


@require_POST
@area(Perm.SURVEYS_EDIT, key=KEY)
def question_delete(
    request: HttpRequest, access: Access, survey_id: int, question_id: int
) -> HttpResponse:
    survey = queries.survey_in(access, survey_id)
    builder.question_delete(access=access, question=queries.question_in(survey, question_id))
    return redirect("surveys:detail", workspace=access.workspace.slug, survey_id=survey.pk)


def _when(value: str) -> dt.datetime | None:
    parsed = parse_datetime(value) if value else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@require_POST
@area(Perm.SURVEYS_EDIT, key=KEY)
def survey_settings(request: HttpRequest, access: Access, survey_id: int) -> HttpResponse:
    survey = queries.survey_in(access, survey_id)
    post = request.POST
    try:
        builder.survey_update(
            access=access,
            survey=survey,
            fields={
                "anonymous": bool(post.get("anonymous")),
                "public_link": bool(post.get("public_link")),
                "opens_at": _when(post.get("opens_at", "")),
                "closes_at": _when(post.get("closes_at", "")),
                "reminder_after_days": max(1, int(post.get("reminder_after_days") or 3)),
                "max_reminders": max(0, int(post.get("max_reminders") or 0)),
            },
        )
    except (KeryxError, ValueError) as exc:
        if isinstance(exc, KeryxError):
            _errors(request, exc)
    else:
        messages.success(request, _("Settings saved."))
    return redirect("surveys:detail", workspace=access.workspace.slug, survey_id=survey.pk)


@require_POST
@area(Perm.SURVEYS_EDIT, key=KEY)
def survey_invite(request: HttpRequest, access: Access, survey_id: int) -> HttpResponse:
    survey = queries.survey_in(access, survey_id)
    try:
        count = invitations.survey_invite(
            access=access, survey=survey, segment=request.POST.get("segment", "")
        )
    except KeryxError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s invitation is on its way.", "%(n)s invitations are on their way.", count
            )
            % {"n": count},
        )
    return redirect("surveys:detail", workspace=access.workspace.slug, survey_id=survey.pk)


@area(Perm.SURVEYS_EDIT, key=KEY)
def survey_qr(request: HttpRequest, access: Access, survey_id: int, fmt: str) -> HttpResponse:
    survey = queries.survey_in(access, survey_id)
    if fmt not in FORMATS:
        fmt = "svg"
    return HttpResponse(qr_image(_public_url(request, survey), fmt), content_type=FORMATS[fmt])


@area(Perm.ANALYTICS_VIEW, key=KEY)
def survey_results(request: HttpRequest, access: Access, survey_id: int) -> HttpResponse:
    survey = queries.survey_in(access, survey_id)
    questions = list(survey.questions.all())
    per_question = results.cached(survey, "questions", lambda: results.question_results(survey))
    crosstab = None
    target_key = request.GET.get("target", "")
    dimension = request.GET.get("by", "")
    target = next((q for q in questions if q.key == target_key), None)
    if (
        target is not None
        and dimension
        and (dimension == "network" or any(q.key == dimension for q in questions))
    ):
        crosstab = results.cached(
            survey,
            f"crosstab:{target.key}:{dimension}",
            lambda: results.crosstab(survey, target=target, dimension=dimension),
        )
    filters = {
        "question_key": request.GET.get("question", "")[:40],
        "search": request.GET.get("q", "")[:100],
        "network": request.GET.get("network", "")[:16],
        "language": request.GET.get("lang", "")[:8],
    }
    answers = results.cached(
        survey,
        "open:" + ":".join(filters.values()),
        lambda: results.open_answers(
            survey,
            question_key=filters["question_key"],
            search=filters["search"],
            network=filters["network"],
            language=filters["language"],
        ),
    )
    return render(
        request,
        "surveys/results.html",
        {
            "access": access,
            "survey": survey,
            "results": per_question,
            "n_responses": results.cached(
                survey, "n", lambda: survey.responses.filter(submitted=True).count()
            ),
            "rates": results.cached(survey, "rates", lambda: results.response_rates(survey)),
            "crosstab": crosstab,
            "targets": [
                (q.key, q.label)
                for q in questions
                if q.kind
                not in ("text", "testimonial", "city", "country", "multiple", "likert", "number")
            ],
            "dimensions": results.dimensions(questions),
            "open_answers": answers,
            "text_questions": [
                (q.key, q.label)
                for q in questions
                if q.kind in ("text", "testimonial", "city", "country")
            ],
            "filters": request.GET,
            "can_edit": access.can(Perm.CONTENT_EDIT),
        },
    )


@area(Perm.ANALYTICS_VIEW, key=KEY)
def survey_export(request: HttpRequest, access: Access, survey_id: int, fmt: str) -> HttpResponse:
    survey = queries.survey_in(access, survey_id)
    name = f"survey-{survey.pk}-{timezone.localdate():%Y%m%d}"
    if fmt == "xlsx":
        response = HttpResponse(
            exports.export_xlsx(survey),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse(exports.export_csv(survey), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@require_POST
@area(Perm.CONTENT_EDIT, key=KEY)
def testimonial_library(
    request: HttpRequest, access: Access, survey_id: int, response_id: int
) -> HttpResponse:
    survey = queries.survey_in(access, survey_id)
    try:
        testimonial_to_library(access=access, response=queries.response_in(survey, response_id))
    except KeryxError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("The testimonial is in the content library as a success story.")
        )
    return redirect("surveys:results", workspace=access.workspace.slug, survey_id=survey.pk)


@area(Perm.SURVEYS_EDIT, key=KEY)
def interview_list(request: HttpRequest, access: Access) -> HttpResponse:
    if request.method == "POST":
        post = request.POST
        seminar_id = post.get("seminar") or ""
        try:
            interviews.interview_save(
                access=access,
                fields={
                    "person": post.get("person", ""),
                    "role": post.get("role", "attendee"),
                    "held_on": post.get("held_on") or None,
                    "seminar": seminar_queries.seminar_in(access, int(seminar_id))
                    if seminar_id.isdigit()
                    else None,
                    **{f: post.get(f, "") for f in interviews.NOTE_FIELDS},
                    "tags": post.get("tags", ""),
                },
            )
        except KeryxError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Interview notes saved."))
            return redirect("surveys:interviews", workspace=access.workspace.slug)
    found = interviews.interviews_search(
        access, query=request.GET.get("q", ""), tag=request.GET.get("tag", "")
    )
    return render(
        request,
        "surveys/interviews.html",
        {
            "access": access,
            "interviews": found[:200],
            "seminars": seminar_queries.seminars_in(access),
            "q": request.GET.get("q", ""),
        },
    )


@area(Perm.ANALYTICS_VIEW, key=KEY)
def seminar_audience(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    from keryx.surveys.domain import personas

    seminar = seminar_queries.seminar_in(access, seminar_id)
    people = personas.audience_of(seminar)
    persona_list = list(seminar_queries.personas_of(seminar))
    return render(
        request,
        "surveys/audience.html",
        {
            "access": access,
            "seminar": seminar,
            "people": len(people),
            "matches": [personas.persona_match(p, people) for p in persona_list],
            "charts": personas.distributions(people, persona_list),
            "segments": personas.segment_networks(people)[:12],
        },
    )
