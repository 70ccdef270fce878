"""The public side, no account needed: seminar page, registration, confirmation, self-service."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keryx.core.errors import Conflict, KeryxError, NotFound, RateLimited
from keryx.core.ratelimit import client_ip, rate_limit_hit
from keryx.registrations import queries
from keryx.registrations.domain import artifacts
from keryx.registrations.domain.registrations import (
    RegistrantData,
    link_code,
    registration_cancel,
    registration_confirm,
    registration_create,
    registration_resend_confirmation,
    registration_update,
    waitlist_position,
)
from keryx.registrations.domain.settings import settings_of
from keryx.registrations.domain.tokens import manage_token_make, manage_token_read
from keryx.registrations.forms import (
    RegistrationForm,
    SelfServiceForm,
    initial_answers,
    started_token,
)
from keryx.registrations.models import Registration
from keryx.registrations.texts import default_privacy_text
from keryx.seminars.models import Seminar
from keryx.web.forms import apply_error

SESSION_KEY = "keryx_registered"


def _limit(request: HttpRequest, what: str) -> None:
    limit, window = getattr(settings, "KERYX_REGISTRATION_RATE_LIMIT", (10, 600))
    rate_limit_hit(f"{what}:{client_ip(request)}", limit=limit, window=window)


def _texts(seminar: Seminar, language: str) -> dict[str, str]:
    """Title, summary and description in the visitor's language when translated."""
    texts = {"title": seminar.title, "summary": seminar.summary, "description": seminar.description}
    if language != seminar.language:
        item = seminar.translations.filter(language=language).first()
        if item is not None:
            texts = {"title": item.title, "summary": item.summary, "description": item.description}
    return texts


def _share_links(url: str, title: str) -> list[tuple[str, str, str]]:
    text = f"{title} {url}"
    return [
        ("x", "X", "https://x.com/intent/tweet?" + urlencode({"text": title, "url": url})),
        ("facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?u=" + quote(url)),
        (
            "linkedin",
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?url=" + quote(url),
        ),
        ("bluesky", "Bluesky", "https://bsky.app/intent/compose?text=" + quote(text)),
        ("threads", "Threads", "https://www.threads.net/intent/post?text=" + quote(text)),
        ("whatsapp", "WhatsApp", "https://wa.me/?text=" + quote(text)),
        (
            "email",
            _("E-mail"),
            "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote),
        ),
    ]


def _og_image(request: HttpRequest, seminar: Seminar, speakers: list[Any]) -> str:
    for speaker in speakers:
        if speaker.photo:
            return request.build_absolute_uri(speaker.photo.url)
    return settings.KERYX_BASE_URL + reverse("registrations:og_image", args=[seminar.slug])


def _map_url(seminar: Seminar) -> str:
    if seminar.map_url:
        return seminar.map_url
    place = ", ".join(
        p for p in (seminar.venue_address, seminar.venue_city, seminar.venue_country) if p
    )
    if not place:
        place = seminar.venue_name
    return "https://www.openstreetmap.org/search?" + urlencode({"query": place}) if place else ""


def seminar_page(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        seminar = queries.public_seminar(slug)
    except NotFound as exc:
        raise Http404 from exc
    row = settings_of(seminar)
    language = get_language() or seminar.language
    notice = row.notice_for(language) or default_privacy_text(seminar)
    form = RegistrationForm(
        request.POST or None,
        row=row,
        notice=notice,
        initial={
            "started": started_token(),
            "kx": link_code(request.GET.get("kx")),
            "places_seen": "1" if queries.counts_of(seminar).places_left else "",
        },
    )
    status = 200
    if request.method == "POST":
        try:
            _limit(request, "register")
            if form.is_valid():
                outcome = _register(request, seminar, form, language)
                request.session[SESSION_KEY] = [
                    str(outcome.registration.public_id),
                    outcome.created,
                ]
                return redirect("registrations:thanks", slug=seminar.slug)
        except RateLimited:
            status = 429
            form.add_error(
                None,
                _(
                    "Too many registrations from your network. Please wait a few minutes and "
                    "send the form again; what you typed is kept."
                ),
            )
        except Conflict as exc:
            status = 409
            if exc.code in {"waitlist_offer", "full"}:
                # Keep what they typed; the next send joins the waiting list (if there is one).
                kept = request.POST.copy()
                kept["places_seen"] = ""
                form.data = kept
            form.add_error(None, exc.message)
        except KeryxError as exc:
            status = 422
            apply_error(form, exc)
        if status == 200:
            status = 422
    return render(
        request,
        "registrations/public/page.html",
        _page_context(request, seminar, row, form, language),
        status=status,
    )


def _register(request: HttpRequest, seminar: Seminar, form: RegistrationForm, language: str) -> Any:
    data = form.cleaned_data
    kx = link_code(data.get("kx"))
    first = (
        link_code(request.COOKIES.get("kx_first"))
        or kx
        or link_code(request.COOKIES.get("kx_last"))
    )
    last = kx or link_code(request.COOKIES.get("kx_last")) or first
    return registration_create(
        seminar=seminar,
        data=RegistrantData(
            name=data["name"],
            email=data["email"],
            language=language,
            answers=form.answers(data),
            consents=form.consents(),
            first_touch_code=first,
            last_touch_code=last,
            accept_waitlist=data.get("places_seen") != "1",
        ),
    )


def _page_context(
    request: HttpRequest, seminar: Seminar, row: Any, form: RegistrationForm, language: str
) -> dict[str, Any]:
    texts = _texts(seminar, language)
    speakers = list(seminar.speakers.all())
    url = artifacts.public_url(seminar)
    return {
        "seminar": seminar,
        "texts": texts,
        "row": row,
        "form": form,
        "notice": form.notice,
        "sessions": seminar.sessions.prefetch_related("speakers"),
        "speakers": speakers,
        "counts": queries.counts_of(seminar),
        "share_links": _share_links(url, texts["title"]),
        "canonical_url": url,
        "og_image": _og_image(request, seminar, speakers),
        "map_url": _map_url(seminar),
        "questions": [
            f
            for f in form.visible_fields()
            if f.name not in {"name", "email", "website"} and not f.name.startswith("consent_")
        ],
    }


def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = _seminar(slug)
    stored = request.session.get(SESSION_KEY) or ["", False]
    registration = (
        Registration.objects.filter(seminar=seminar, public_id=str(stored[0])).first()
        if stored[0]
        else None
    )
    if registration is None:
        return redirect("registrations:page", slug=slug)
    return render(
        request,
        "registrations/public/thanks.html",
        {
            "seminar": seminar,
            "texts": _texts(seminar, get_language() or seminar.language),
            "registration": registration,
            "created": stored[1],
            "position": waitlist_position(registration),
        },
    )


def calendar_ics(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        seminar = queries.public_seminar(slug)
    except NotFound as exc:
        raise Http404 from exc
    texts = _texts(seminar, get_language() or seminar.language)
    response = HttpResponse(
        artifacts.seminar_ics(seminar, title=texts["title"], description=texts["summary"]),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{seminar.slug}.ics"'
    return response


def og_image(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        seminar = queries.public_seminar(slug)
    except NotFound as exc:
        raise Http404 from exc
    from django.utils import formats, timezone

    with timezone.override(seminar.tz):
        when = formats.date_format(timezone.localtime(seminar.starts_at), "DATE_FORMAT")
    response = HttpResponse(
        artifacts.share_image(
            title=seminar.title, subtitle=f"{when} · {seminar.venue_city}".strip(" ·")
        ),
        content_type="image/png",
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


# --- confirmation and self-service -------------------------------------------------------


def _seminar(slug: str) -> Seminar:
    seminar = Seminar.objects.select_related("workspace").filter(slug=slug).first()
    if seminar is None:
        raise Http404
    return seminar


def confirm(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    seminar = _seminar(slug)
    try:
        outcome = registration_confirm(token=token, seminar=seminar)
    except NotFound as exc:
        return render(
            request,
            "registrations/public/message.html",
            {
                "seminar": seminar,
                "texts": _texts(seminar, get_language() or seminar.language),
                "title": _("Link not valid"),
                "text": exc.message,
                "state": "invalid",
            },
            status=404,
        )
    registration = outcome.registration
    return render(
        request,
        "registrations/public/confirmed.html",
        {
            "seminar": seminar,
            "texts": _texts(seminar, get_language() or seminar.language),
            "registration": registration,
            "state": outcome.state,
            "token": token,
            "manage_url": _manage_path(registration),
            "position": waitlist_position(registration),
        },
        status=410 if outcome.state == "expired" else 200,
    )


@require_POST
def confirm_resend(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    from keryx.registrations.domain.tokens import confirm_token_read

    seminar = _seminar(slug)
    try:
        _limit(request, "resend")
    except RateLimited:
        messages.error(request, _("Too many requests. Please wait a few minutes and try again."))
        return redirect("registrations:page", slug=slug)
    parsed = confirm_token_read(token, max_age=dt.timedelta(0))
    registration = (
        Registration.objects.filter(seminar=seminar, public_id=parsed.public_id).first()
        if parsed
        else None
    )
    if registration is None:
        raise Http404
    registration_resend_confirmation(registration=registration)
    return render(
        request,
        "registrations/public/message.html",
        {
            "seminar": seminar,
            "texts": _texts(seminar, get_language() or seminar.language),
            "title": _("A new link is on its way"),
            "text": _(
                "We have sent a new confirmation link to %(email)s. It is valid for %(hours)s hours."
            )
            % {"email": registration.email, "hours": settings_of(seminar).confirm_within_hours},
            "state": "resent",
        },
    )


def _manage_path(registration: Registration) -> str:
    return reverse(
        "registrations:manage",
        args=[registration.seminar.slug, manage_token_make(registration.public_id)],
    )


def _registration(slug: str, token: str) -> Registration:
    public_id = manage_token_read(token)
    registration = (
        Registration.objects.select_related("seminar", "seminar__workspace")
        .filter(seminar__slug=slug, public_id=public_id)
        .first()
        if public_id
        else None
    )
    if registration is None:
        raise Http404
    return registration


def manage(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    registration = _registration(slug, token)
    seminar = registration.seminar
    row = settings_of(seminar)
    form = SelfServiceForm(request.POST or None, row=row, initial=initial_answers(registration))
    if request.method == "POST" and form.is_valid():
        try:
            registration_update(
                registration=registration,
                fields={"name": form.cleaned_data["name"], **form.answers(form.cleaned_data)},
            )
        except KeryxError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(request.path)
    return render(
        request,
        "registrations/public/manage.html",
        {
            "seminar": seminar,
            "texts": _texts(seminar, get_language() or seminar.language),
            "registration": registration,
            "form": form,
            "token": token,
            "position": waitlist_position(registration),
            "show_ticket": registration.has_place and registration.is_confirmed,
            "map_url": _map_url(seminar),
        },
        status=422 if form.errors else 200,
    )


@require_POST
def manage_cancel(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    registration = _registration(slug, token)
    try:
        registration_cancel(registration=registration)
    except KeryxError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your registration is cancelled. We have sent you an e-mail."))
    return redirect("registrations:manage", slug=slug, token=token)


def ticket_image(request: HttpRequest, slug: str, token: str, kind: str) -> HttpResponse:
    registration = _registration(slug, token)
    if not (registration.has_place and registration.is_confirmed):
        raise Http404
    if kind == "svg":
        body, content_type = artifacts.ticket_svg(registration), "image/svg+xml"
    else:
        body, content_type = artifacts.ticket_png(registration), "image/png"
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response
