"""The Compose area's library pages: media, templates, hashtag sets, keyword lists, approvals."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keryx.accounts.access import Access
from keryx.accounts.models import Membership
from keryx.accounts.roles import ROLE_PERMISSIONS, Perm
from keryx.content import queries
from keryx.content.domain import library, media, review
from keryx.content.domain.checks import policy_of
from keryx.content.domain.mediafix import media_fix_for_network
from keryx.content.forms import (
    HashtagSetForm,
    KeywordListForm,
    MediaForm,
    PolicyForm,
    TemplateForm,
    UploadForm,
)
from keryx.content.presenters import media_networks
from keryx.content.themes import GUIDES
from keryx.core.errors import KeryxError
from keryx.networks.rules import NETWORK_KEYS
from keryx.web.access import area
from keryx.web.forms import apply_error


@area(Perm.CONTENT_VIEW, key="compose")
def media_list(request: HttpRequest, access: Access) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        access.require(Perm.CONTENT_EDIT)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                item = media.media_upload(
                    access=access,
                    handle=upload.file,
                    size=upload.size or 0,
                    name=upload.name or "",
                    alt_text=form.cleaned_data["alt_text"],
                )
            except KeryxError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Uploaded “%(name)s”.") % {"name": item.name})
                return redirect(
                    "content:media_detail", workspace=access.workspace.slug, media_id=item.pk
                )
    items = list(queries.media_in(access)[:120])
    rows = [(item, media_networks(item)) for item in items]
    return render(
        request,
        "content/media_list.html",
        {
            "access": access,
            "rows": rows,
            "form": form,
            "tab": "media",
            "can_edit": access.can(Perm.CONTENT_EDIT),
        },
    )


@area(Perm.CONTENT_VIEW, key="compose")
def media_detail(request: HttpRequest, access: Access, media_id: int) -> HttpResponse:
    item = queries.media_item_in(access, media_id)
    form = MediaForm(
        request.POST or None,
        initial={
            "name": item.name,
            "alt_text": item.alt_text,
            "focal_x": item.focal_x,
            "focal_y": item.focal_y,
        },
    )
    if request.method == "POST":
        access.require(Perm.CONTENT_EDIT)
        if form.is_valid():
            try:
                media.media_update(access=access, item=item, fields=form.cleaned_data)
            except KeryxError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(
                    "content:media_detail", workspace=access.workspace.slug, media_id=item.pk
                )
    return render(
        request,
        "content/media_detail.html",
        {
            "access": access,
            "item": item,
            "form": form,
            "networks": media_networks(item),
            "derived": item.derived.all(),
            "tab": "media",
            "can_edit": access.can(Perm.CONTENT_EDIT),
        },
    )


@require_POST
@area(Perm.CONTENT_EDIT, key="compose")
def media_fix(request: HttpRequest, access: Access, media_id: int) -> HttpResponse:
    item = queries.media_item_in(access, media_id)
    network = request.POST.get("network", "")
    if network not in NETWORK_KEYS:
        raise Http404
    try:
        derived = media_fix_for_network(access=access, item=item, network=network)
    except KeryxError as exc:
        messages.error(
            request, " ".join([exc.message, *[m for ms in exc.fields.values() for m in ms]])
        )
        return redirect("content:media_detail", workspace=access.workspace.slug, media_id=item.pk)
    messages.success(
        request, _("Made a copy: %(fix)s. The original is kept.") % {"fix": derived.fix}
    )
    return redirect("content:media_detail", workspace=access.workspace.slug, media_id=derived.pk)


@require_POST
@area(Perm.CONTENT_EDIT, key="compose")
def media_remove(request: HttpRequest, access: Access, media_id: int) -> HttpResponse:
    item = queries.media_item_in(access, media_id)
    try:
        media.media_delete(access=access, item=item)
    except KeryxError as exc:
        messages.error(request, exc.message)
        return redirect("content:media_detail", workspace=access.workspace.slug, media_id=item.pk)
    messages.success(request, _("Deleted."))
    return redirect("content:media", workspace=access.workspace.slug)


# --- library ----------------------------------------------------------------------------------


@area(Perm.CONTENT_VIEW, key="compose")
def library_home(request: HttpRequest, access: Access) -> HttpResponse:
    return render(
        request,
        "content/library.html",
        {
            "access": access,
            "templates": queries.templates_in(access),
            "hashtag_sets": queries.hashtag_sets_in(access),
            "keyword_lists": queries.keyword_lists_in(access),
            "guides": GUIDES.values(),
            "placeholders": [("{" + k + "}", v[0]) for k, v in library.PLACEHOLDERS.items()],
            "tab": "library",
            "can_edit": access.can(Perm.CONTENT_EDIT),
        },
    )


def _library_form(
    request: HttpRequest, access: Access, form: forms.Form, title: str, obj: Any, kind: str
) -> HttpResponse:
    return render(
        request,
        "content/library_form.html",
        {
            "access": access,
            "form": form,
            "title": title,
            "obj": obj,
            "kind": kind,
            "tab": "library",
        },
    )


@area(Perm.CONTENT_EDIT, key="compose")
def template_edit(request: HttpRequest, access: Access, pk: int | None = None) -> HttpResponse:
    template = queries.template_in(access, pk) if pk is not None else None
    sets = [(s.pk, s.name) for s in queries.hashtag_sets_in(access)]
    initial = (
        {
            "name": template.name,
            "theme": template.theme,
            "campaign_phase": template.campaign_phase,
            "language": template.language,
            "body": template.body,
            "hashtag_set": template.hashtag_set_id,
        }
        if template
        else {"language": access.workspace.default_language}
    )
    form = TemplateForm(request.POST or None, initial=initial, hashtag_sets=sets)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        fields["hashtag_set_id"] = fields.pop("hashtag_set")
        try:
            library.template_save(access=access, fields=fields, template=template)
        except KeryxError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Template saved."))
            return redirect("content:library", workspace=access.workspace.slug)
    title = _("Edit template") if template else _("New template")
    return _library_form(request, access, form, title, template, "templates")


@area(Perm.CONTENT_EDIT, key="compose")
def hashtag_set_edit(request: HttpRequest, access: Access, pk: int | None = None) -> HttpResponse:
    item = queries.hashtag_set_in(access, pk) if pk is not None else None
    initial = {"name": item.name, "hashtags": item.hashtags} if item else None
    form = HashtagSetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            library.hashtag_set_save(
                access=access,
                name=form.cleaned_data["name"],
                hashtags=form.cleaned_data["hashtags"],
                item=item,
            )
        except KeryxError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Hashtag set saved."))
            return redirect("content:library", workspace=access.workspace.slug)
    title = _("Edit hashtag set") if item else _("New hashtag set")
    return _library_form(request, access, form, title, item, "hashtag-sets")


@area(Perm.CONTENT_EDIT, key="compose")
def keyword_list_edit(request: HttpRequest, access: Access, pk: int | None = None) -> HttpResponse:
    item = queries.keyword_list_in(access, pk) if pk is not None else None
    initial = (
        {"name": item.name, "language": item.language, "keywords": item.keywords}
        if item
        else {"language": access.workspace.default_language}
    )
    form = KeywordListForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            library.keyword_list_save(
                access=access,
                name=form.cleaned_data["name"],
                keywords=form.cleaned_data["keywords"],
                language=form.cleaned_data["language"],
                item=item,
            )
        except KeryxError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Keyword list saved."))
            return redirect("content:library", workspace=access.workspace.slug)
    title = _("Edit keyword list") if item else _("New keyword list")
    return _library_form(request, access, form, title, item, "keyword-lists")


@require_POST
@area(Perm.CONTENT_EDIT, key="compose")
def library_delete(request: HttpRequest, access: Access, kind: str, pk: int) -> HttpResponse:
    if kind == "templates":
        library.template_delete(access=access, template=queries.template_in(access, pk))
    elif kind == "hashtag-sets":
        library.hashtag_set_delete(access=access, item=queries.hashtag_set_in(access, pk))
    elif kind == "keyword-lists":
        library.keyword_list_delete(access=access, item=queries.keyword_list_in(access, pk))
    else:
        raise Http404
    messages.success(request, _("Deleted."))
    return redirect("content:library", workspace=access.workspace.slug)


@area(Perm.CONTENT_APPROVE, key="settings")
def policy_edit(request: HttpRequest, access: Access) -> HttpResponse:
    policy = policy_of(access.workspace)
    roles = [str(r) for r in ROLE_PERMISSIONS[Perm.CONTENT_APPROVE]]
    candidates = [
        (m.user.pk, f"{m.user.display_name} ({m.get_role_display()})")
        for m in Membership.objects.filter(
            workspace=access.workspace, role__in=roles
        ).select_related("user")
    ]
    form = PolicyForm(
        request.POST or None,
        candidates=candidates,
        initial={
            "required_approvals": policy.required_approvals,
            "approvers": list(policy.approvers.values_list("pk", flat=True)) if policy.pk else [],
            "instagram_max_hashtags": policy.instagram_max_hashtags,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            review.policy_update(
                access=access,
                required_approvals=form.cleaned_data["required_approvals"],
                approver_ids=form.cleaned_data["approvers"],
                instagram_max_hashtags=form.cleaned_data["instagram_max_hashtags"],
            )
        except KeryxError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Approval settings saved."))
            return redirect("content:policy", workspace=access.workspace.slug)
    return render(request, "content/policy.html", {"access": access, "form": form, "tab": "policy"})
