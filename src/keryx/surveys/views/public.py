"""Answering: the public (anonymous) link and the personal links, page by page."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache

from keryx.core.errors import Conflict, RateLimited
from keryx.core.ratelimit import client_ip, rate_limit_hit
from keryx.surveys.domain.answering import (
    Values,
    is_shown,
    pages_of,
    prefill,
    response_for_invitation,
    response_save,
    response_start_anonymous,
    survey_state,
    values_of,
)
from keryx.surveys.models import Invitation, Question, Response, Survey, text_in

COOKIE = "kx_survey_"


def _language(request: HttpRequest, fallback: str = "") -> str:
    lang = request.GET.get("lang") or request.POST.get("lang") or fallback
    if lang not in ("el", "en"):
        lang = (translation.get_language() or "el")[:2]
    translation.activate(lang)
    request.LANGUAGE_CODE = lang
    return lang


def _rate_limited(exc: RateLimited) -> HttpResponse:
    response = HttpResponse(
        translation.gettext("Too many answers from your network. Try again in a few minutes."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


def _render_question(q: Question, values: Values, errors: dict[str, str]) -> dict[str, Any]:
    low_high = {"rating5": (1, 5), "rating10": (1, 10), "nps": (0, 10)}.get(q.kind)
    return {
        "q": q,
        "label": q.label,
        "help": text_in(q.help),
        "options": [{"key": o["key"], "label": text_in(o)} for o in q.options],
        "scale": [str(v) for v in range(low_high[0], low_high[1] + 1)] if low_high else [],
        "likert": [str(v) for v in range(1, 6)],
        "values": values.get(q.key, []),
        "rows": {o["key"]: (values.get(f"{q.key}__{o['key']}") or [""])[0] for o in q.options},
        "self_text": (values.get(f"{q.key}_self") or [""])[0],
        "consent": bool(values.get(f"{q.key}_consent")),
        "error": errors.get(q.key, ""),
        "show_if": q.show_if or {},
    }


def _page(
    request: HttpRequest,
    survey: Survey,
    *,
    page: int,
    values: Values,
    errors: dict[str, str],
    action_url: str,
    resume_url: str = "",
    saved: bool = False,
    status: int = 200,
) -> HttpResponse:
    questions = list(survey.questions.all())
    pages = pages_of(questions)
    page = page if page in pages else pages[0]
    shown = [q for q in questions if q.page == page and is_shown(q, values)]
    # questions on this page that depend on an answer on this page: rendered, toggled by JS
    hidden_here = [
        q
        for q in questions
        if q.page == page
        and not is_shown(q, values)
        and any(p.key == (q.show_if or {}).get("question") and p.page == page for p in questions)
    ]
    items = [
        _render_question(q, values, errors) for q in questions if q in shown or q in hidden_here
    ]
    for item in items:
        item["hidden"] = item["q"] in hidden_here
    index = pages.index(page)
    return render(
        request,
        "surveys/public/survey.html",
        {
            "survey": survey,
            "title": text_in(survey.title),
            "intro": text_in(survey.intro),
            "items": items,
            "page": page,
            "page_number": index + 1,
            "pages": len(pages),
            "progress": round(100 * index / len(pages)),
            "is_last": index == len(pages) - 1,
            "is_first": index == 0,
            "errors": errors,
            "action_url": action_url,
            "resume_url": resume_url,
            "saved": saved,
            "other_errors": [
                msg for key, msg in errors.items() if key not in {i["q"].key for i in items}
            ],
        },
        status=status,
    )


def _closed(request: HttpRequest, survey: Survey, reason: str, at: Any) -> HttpResponse:
    return render(
        request,
        "surveys/public/closed.html",
        {"survey": survey, "title": text_in(survey.title), "reason": reason, "at": at},
        status=410 if reason == "closed" else 200,
    )


def _next_page(survey: Survey, page: int, step: int, values: Values) -> int:
    questions = list(survey.questions.all())
    pages = pages_of(questions)
    index = pages.index(page) if page in pages else 0
    while 0 <= index + step < len(pages):
        index += step
        if any(q.page == pages[index] and is_shown(q, values) for q in questions):
            return pages[index]
    return pages[max(0, min(index, len(pages) - 1))]


def _handle(
    request: HttpRequest,
    survey: Survey,
    response: Response | None,
    *,
    action_url: str,
    make: Any,
    resume_url: Any,
) -> HttpResponse:
    state = survey_state(survey)
    if not state.open:
        return _closed(request, survey, state.reason, state.at)
    if request.method != "POST":
        values = values_of(response) if response is not None else {}
        if response is not None and not values:
            values = prefill(survey, response)
        page = response.page if response is not None else 1
        if request.GET.get("done") and response is not None and response.submitted:
            return render(
                request,
                "surveys/public/thanks.html",
                {"survey": survey, "title": text_in(survey.title), "edit_url": action_url},
            )
        return _page(
            request,
            survey,
            page=page,
            values=values,
            errors={},
            action_url=action_url,
            resume_url=resume_url(response) if response is not None else "",
        )
    if response is None:
        response = make()
    try:
        page = int(request.POST.get("page") or 1)
    except ValueError:
        page = 1
    action = request.POST.get("action", "next")
    try:
        saved = response_save(
            response=response, data=request.POST, page=page, submit=action == "submit"
        )
    except Conflict:
        survey.refresh_from_db()
        state = survey_state(survey)
        return _closed(request, survey, state.reason or "closed", state.at)
    if saved.errors and action in ("next", "submit"):
        first = min((q.page for q in survey.questions.all() if q.key in saved.errors), default=page)
        return _page(
            request,
            survey,
            page=first,
            values=saved.values,
            errors=saved.errors,
            action_url=action_url,
            resume_url=resume_url(response),
            status=400,
        )
    if saved.submitted:
        return render(
            request,
            "surveys/public/thanks.html",
            {"survey": survey, "title": text_in(survey.title), "edit_url": resume_url(response)},
        )
    step = {"next": 1, "back": -1}.get(action, 0)
    target = _next_page(survey, page, step, saved.values) if step else page
    Response.objects.filter(pk=response.pk).update(page=target)
    return _page(
        request,
        survey,
        page=target,
        values=saved.values,
        errors={},
        action_url=action_url,
        resume_url=resume_url(response),
        saved=action == "save",
    )


@never_cache
def personal(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        Invitation.objects.select_related("survey", "registration").filter(token=token).first()
    )
    if invitation is None or invitation.registration.status == "cancelled":
        raise Http404()
    survey = invitation.survey
    lang = _language(request, invitation.registration.language)
    response = Response.objects.filter(invitation=invitation).first()
    url = f"/q/p/{token}/?lang={lang}"
    if response is None and request.method == "POST":
        response = response_for_invitation(invitation, language=lang)
    if response is not None and response.language != lang:
        Response.objects.filter(pk=response.pk).update(language=lang)
    if response is None:
        response = response_for_invitation(invitation, language=lang)
    return _handle(
        request,
        survey,
        response,
        action_url=url,
        make=lambda: response,
        resume_url=lambda r: f"{url}",
    )


@never_cache
def public(request: HttpRequest, code: str) -> HttpResponse:
    survey = Survey.objects.filter(public_code=code, public_link=True).first()
    if survey is None:
        raise Http404()
    lang = _language(request)
    cookie = COOKIE + code
    key = request.GET.get("resume") or request.COOKIES.get(cookie, "")
    response = (
        Response.objects.filter(survey=survey, resume_key=key, submitted=False).first()
        if key
        else None
    )
    network = ""
    src = request.GET.get("src", "")
    if src:
        from keryx.links.models import TrackedLink

        link = TrackedLink.objects.filter(code=src, workspace_id=survey.workspace_id).first()
        network = link.network if link is not None else ""
    if request.method == "POST":
        ip = client_ip(request)
        try:
            rate_limit_hit(f"survey-post:{ip}", limit=120, window=600)
            if response is None:
                rate_limit_hit(f"survey-new:{code}:{ip}", limit=20, window=3600)
        except RateLimited as exc:
            return _rate_limited(exc)
    url = f"/q/{code}/?lang={lang}" + (f"&src={src}" if src else "")

    def make() -> Response:
        return response_start_anonymous(survey, language=lang, network=network)

    made: list[Response] = []

    def make_and_remember() -> Response:
        made.append(make())
        return made[-1]

    answer = _handle(
        request,
        survey,
        response,
        action_url=url,
        make=make_and_remember,
        resume_url=lambda r: f"/q/{code}/?lang={lang}&resume={r.resume_key}",
    )
    current = made[-1] if made else response
    if current is not None:
        current.refresh_from_db(fields=["submitted"])
        if current.submitted:
            answer.delete_cookie(cookie)
        else:
            answer.set_cookie(
                cookie, current.resume_key, max_age=60 * 60 * 24 * 60, httponly=True, samesite="Lax"
            )
    return answer
