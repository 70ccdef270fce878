"""The Plan area: seminars, their personas, agenda and speakers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.errors import KeryxError
from keryx.seminars import queries
from keryx.seminars.domain import agenda
from keryx.seminars.domain.seminars import (
    SeminarData,
    persona_delete,
    persona_save,
    seminar_create,
    seminar_delete,
    seminar_update,
)
from keryx.seminars.forms import (
    PersonaForm,
    PersonaFormSet,
    SeminarForm,
    SessionForm,
    SpeakerForm,
    form_field_of,
)
from keryx.seminars.models import Persona, Seminar, Session, Speaker
from keryx.web.access import area
from keryx.web.forms import apply_error


def _apply_to_formset(formset: Any, exc: KeryxError) -> None:
    """Put ``personas[i].field`` errors on the i-th form of the formset."""
    forms_list = [f for f in formset.forms if f.has_changed()]
    for key, messages_ in list(exc.fields.items()):
        if not key.startswith("personas["):
            continue
        index_text, _sep, field = key[len("personas[") :].partition("].")
        index = int(index_text)
        if index < len(forms_list):
            target = field if field in forms_list[index].fields else None
            for message in messages_:
                forms_list[index].add_error(target, message)
        del exc.fields[key]


@area(Perm.SEMINAR_VIEW, key="plan")
def seminar_list(request: HttpRequest, access: Access) -> HttpResponse:
    seminars = queries.seminars_in(access).annotate(
        persona_count=Count("personas", distinct=True),
        session_count=Count("sessions", distinct=True),
    )
    return render(request, "seminars/list.html", {"access": access, "seminars": seminars})


@area(Perm.SEMINAR_CREATE, key="plan")
def seminar_new(request: HttpRequest, access: Access) -> HttpResponse:
    initial = {
        "language": access.workspace.default_language,
        "languages": [access.workspace.default_language],
        "time_zone": access.workspace.default_time_zone,
        "format": "in_person",
        "currency": "EUR",
    }
    form = SeminarForm(request.POST or None, initial=initial)
    personas = PersonaFormSet(request.POST or None, prefix="personas")
    if request.method == "POST" and form.is_valid() and personas.is_valid():
        data = SeminarData(
            fields=form.seminar_fields(),
            personas=[f.cleaned_data for f in personas.forms if f.has_changed()],
            kpi_targets=form.kpi_targets(),
            translations=form.translations(),
        )
        try:
            seminar = seminar_create(access=access, data=data)
        except KeryxError as exc:
            _apply_to_formset(personas, exc)
            apply_error(form, exc, field_of=form_field_of)
        else:
            messages.success(request, _("Seminar created."))
            return redirect(
                "seminars:detail", workspace=access.workspace.slug, seminar_id=seminar.pk
            )
    return render(
        request,
        "seminars/form.html",
        {
            "access": access,
            "form": form,
            "personas": personas,
            "creating": True,
            "empty_persona": personas.empty_form,
        },
    )


@area(Perm.SEMINAR_VIEW, key="plan")
def seminar_detail(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = queries.seminar_in(access, seminar_id)
    viewer_zone = getattr(request.user, "time_zone", "") or ""
    return render(
        request,
        "seminars/detail.html",
        {
            "access": access,
            "seminar": seminar,
            "personas": queries.personas_of(seminar),
            "sessions": queries.sessions_of(seminar),
            "speakers": queries.speakers_of(seminar),
            "kpis": seminar.kpi_targets.all(),
            "translations": seminar.translations.all(),
            "viewer_zone": viewer_zone if viewer_zone and viewer_zone != seminar.time_zone else "",
            "can_edit": access.can(Perm.SEMINAR_EDIT),
            "can_delete": access.can(Perm.SEMINAR_DELETE),
        },
    )


@area(Perm.SEMINAR_EDIT, key="plan")
def seminar_edit(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = queries.seminar_in(access, seminar_id)
    form = SeminarForm(request.POST or None, seminar=seminar)
    if request.method == "POST" and form.is_valid():
        data = SeminarData(
            fields=form.seminar_fields(),
            kpi_targets=form.kpi_targets(),
            translations=form.translations(),
        )
        try:
            seminar_update(access=access, seminar=seminar, data=data)
        except KeryxError as exc:
            apply_error(form, exc, field_of=form_field_of)
        else:
            messages.success(request, _("Seminar saved."))
            return redirect(
                "seminars:detail", workspace=access.workspace.slug, seminar_id=seminar.pk
            )
    return render(
        request, "seminars/form.html", {"access": access, "form": form, "seminar": seminar}
    )


@require_POST
@area(Perm.SEMINAR_DELETE, key="plan")
def seminar_remove(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = queries.seminar_in(access, seminar_id)
    seminar_delete(access=access, seminar=seminar)
    messages.success(request, _("Seminar “%(title)s” deleted.") % {"title": seminar.title})
    return redirect("seminars:list", workspace=access.workspace.slug)


# --- personas, sessions, speakers: one pair of views, described per kind ---------------------


@dataclass(frozen=True)
class ChildKind:
    model: type[Persona] | type[Session] | type[Speaker]
    title_new: str | Promise
    title_edit: str | Promise
    build_form: Callable[[HttpRequest, Seminar, Any], forms.Form]
    save: Callable[[Access, Seminar, forms.Form, Any], Any]
    delete: Callable[[Access, Any], None]
    anchor: str


def _persona_form(request: HttpRequest, seminar: Seminar, obj: Persona | None) -> forms.Form:
    initial = None
    if obj is not None:
        initial = {f: getattr(obj, f) for f in PersonaForm.base_fields}
    return PersonaForm(request.POST or None, initial=initial)


KINDS: dict[str, ChildKind] = {
    "personas": ChildKind(
        model=Persona,
        title_new=gettext_lazy("New persona"),
        title_edit=gettext_lazy("Edit persona"),
        build_form=_persona_form,
        save=lambda access, seminar, form, obj: persona_save(
            access=access, seminar=seminar, persona=obj, fields=form.cleaned_data
        ),
        delete=lambda access, obj: persona_delete(access=access, persona=obj),
        anchor="personas",
    ),
    "sessions": ChildKind(
        model=Session,
        title_new=gettext_lazy("New agenda session"),
        title_edit=gettext_lazy("Edit agenda session"),
        build_form=lambda request, seminar, obj: SessionForm(
            request.POST or None, seminar=seminar, instance=obj
        ),
        save=lambda access, seminar, form, obj: agenda.session_save(
            access=access,
            seminar=seminar,
            session=obj,
            fields=form.domain_fields(),  # type: ignore[attr-defined]
            speaker_ids=form.speaker_ids(),  # type: ignore[attr-defined]
        ),
        delete=lambda access, obj: agenda.session_delete(access=access, session=obj),
        anchor="agenda",
    ),
    "speakers": ChildKind(
        model=Speaker,
        title_new=gettext_lazy("New speaker"),
        title_edit=gettext_lazy("Edit speaker"),
        build_form=lambda request, seminar, obj: SpeakerForm(
            request.POST or None, request.FILES or None, instance=obj
        ),
        save=lambda access, seminar, form, obj: agenda.speaker_save(
            access=access,
            seminar=seminar,
            speaker=obj,
            fields=form.domain_fields(),  # type: ignore[attr-defined]
        ),
        delete=lambda access, obj: agenda.speaker_delete(access=access, speaker=obj),
        anchor="speakers",
    ),
}


@area(Perm.SEMINAR_EDIT, key="plan")
def child_edit(
    request: HttpRequest, access: Access, seminar_id: int, kind: str, pk: int | None = None
) -> HttpResponse:
    spec = _kind(kind)
    seminar = queries.seminar_in(access, seminar_id)
    obj = queries.child_in(seminar, spec.model, pk) if pk is not None else None
    form = spec.build_form(request, seminar, obj)
    if request.method == "POST" and form.is_valid():
        try:
            spec.save(access, seminar, form, obj)
        except KeryxError as exc:
            apply_error(form, exc, field_of=form_field_of)
        else:
            messages.success(request, _("Saved."))
            return redirect(_detail_url(access, seminar, spec))
    return render(
        request,
        "seminars/child_form.html",
        {
            "access": access,
            "seminar": seminar,
            "form": form,
            "kind": kind,
            "title": spec.title_edit if obj is not None else spec.title_new,
            "obj": obj,
            "multipart": kind == "speakers",
        },
    )


@require_POST
@area(Perm.SEMINAR_EDIT, key="plan")
def child_delete(
    request: HttpRequest, access: Access, seminar_id: int, kind: str, pk: int
) -> HttpResponse:
    spec = _kind(kind)
    seminar = queries.seminar_in(access, seminar_id)
    spec.delete(access, queries.child_in(seminar, spec.model, pk))
    messages.success(request, _("Deleted."))
    return redirect(_detail_url(access, seminar, spec))


def _kind(kind: str) -> ChildKind:
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


def _detail_url(access: Access, seminar: Seminar, spec: ChildKind) -> str:
    base = reverse(
        "seminars:detail", kwargs={"workspace": access.workspace.slug, "seminar_id": seminar.pk}
    )
    return f"{base}#{spec.anchor}"
