"""The Compose area: the list of posts and the composer (write once, adapt, check live)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.content import queries
from keryx.content.composer import (
    ComposerState,
    checked,
    post_input,
    state_from_data,
    state_from_post,
    state_new,
)
from keryx.content.domain import review
from keryx.content.domain.library import template_render
from keryx.content.domain.media import media_upload
from keryx.content.domain.mediafix import variant_media_fix
from keryx.content.domain.posts import (
    MediaChoice,
    post_create,
    post_delete,
    post_duplicate,
    post_update,
)
from keryx.content.forms import CommentForm, ComposerForm, DuplicateForm, FilterForm, NoteForm
from keryx.content.models import Post
from keryx.content.themes import GUIDES
from keryx.core.errors import KeryxError
from keryx.seminars import queries as seminar_queries
from keryx.web.access import area
from keryx.web.forms import apply_error


def _seminars(access: Access) -> list[tuple[int, str]]:
    return [(s.pk, s.title) for s in seminar_queries.seminars_in(access)]


@area(Perm.CONTENT_VIEW, key="compose")
def compose_home(request: HttpRequest, access: Access) -> HttpResponse:
    seminars = _seminars(access)
    filters = FilterForm(request.GET or None, seminars=seminars)
    seminar_id = status = None
    if filters.is_valid():
        seminar_id = filters.cleaned_data.get("seminar") or None
        status = filters.cleaned_data.get("status") or None
    posts = queries.posts_in(access, seminar_id=seminar_id, status=status)[:200]
    return render(
        request,
        "content/home.html",
        {
            "access": access,
            "posts": posts,
            "filters": filters,
            "can_edit": access.can(Perm.CONTENT_EDIT),
            "has_seminars": bool(seminars),
            "tab": "posts",
        },
    )


def _upload(access: Access, form: ComposerForm) -> list[MediaChoice]:
    upload = form.cleaned_data.get("upload")
    if not upload:
        return []
    item = media_upload(
        access=access,
        handle=upload.file,
        size=upload.size or 0,
        name=upload.name or "",
        alt_text=form.cleaned_data.get("upload_alt") or "",
    )
    return [MediaChoice(media_id=item.pk, alt_text=item.alt_text)]


def _save(
    request: HttpRequest,
    access: Access,
    form: ComposerForm,
    state: ComposerState,
    post: Post | None,
) -> Post | None:
    """Save the composer form, all or nothing; on an error show it and keep every input."""
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            data = post_input(state, extra_media=_upload(access, form))
            if post is None:
                seminar = seminar_queries.seminar_in(access, form.cleaned_data["seminar"])
                return post_create(access=access, seminar=seminar, data=data)
            data.fields["seminar"] = seminar_queries.seminar_in(
                access, form.cleaned_data["seminar"]
            )
            return post_update(access=access, post=post, data=data)
    except KeryxError as exc:
        if "file" in exc.fields:
            exc.fields["upload"] = exc.fields.pop("file")
        apply_error(form, exc)
        return None


def _context(
    request: HttpRequest,
    access: Access,
    state: ComposerState,
    form: ComposerForm,
    post: Post | None,
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "access": access,
        "state": checked(access, state),
        "form": form,
        "post": post,
        "guides": GUIDES,
        "can_edit": access.can(Perm.CONTENT_EDIT),
        "hashtag_sets": queries.hashtag_sets_in(access),
        "library": queries.media_in(access).filter(kind__in=["image", "gif", "video"])[:60],
        "check_url": reverse("content:check", kwargs={"workspace": access.workspace.slug}),
        "tab": "posts",
    }
    if post is not None:
        context.update(
            {
                "comments": queries.comments_of(post),
                "reviews": queries.reviews_of(post),
                "comment_form": CommentForm(),
                "note_form": NoteForm(),
                "duplicate_form": DuplicateForm(
                    seminars=_seminars(access), initial={"seminar": post.seminar_id}
                ),
                "approval_refusal": review.approval_refusal(access, post),
                "approvals": review.approvals_so_far(post),
                "approvals_needed": review.policy_of(access.workspace).required_approvals,
            }
        )
    return context


@area(Perm.CONTENT_EDIT, key="compose")
def post_new(request: HttpRequest, access: Access) -> HttpResponse:
    seminars = _seminars(access)
    if not seminars:
        messages.info(request, _("Create a seminar first: every post is about one."))
        return redirect("seminars:new", workspace=access.workspace.slug)
    if request.method == "POST":
        state = state_from_data(access, request.POST)
        form = ComposerForm(request.POST, request.FILES, seminars=seminars)
        post = _save(request, access, form, state, None)
        if post is not None:
            messages.success(request, _("Post saved as a draft."))
            return redirect("content:edit", workspace=access.workspace.slug, post_id=post.pk)
    else:
        raw_seminar = request.GET.get("seminar", "")
        seminar = seminar_queries.seminar_in(
            access, int(raw_seminar) if raw_seminar.isdigit() else seminars[0][0]
        )
        fields: dict[str, Any] = {"language": seminar.language}
        raw_template = request.GET.get("template", "")
        if raw_template.isdigit():
            template = queries.template_in(access, int(raw_template))
            fill = template_render(template=template, seminar=seminar)
            fields.update(
                master_text=fill.text,
                theme=template.theme,
                campaign_phase=template.campaign_phase,
                language=template.language,
            )
            if fill.missing:
                messages.warning(
                    request,
                    _("Fill in by hand: %(names)s.")
                    % {"names": ", ".join("{" + m + "}" for m in fill.missing)},
                )
        state = state_new(access, seminar_id=seminar.pk, fields=fields)
        state.sync_variants = True
        form = ComposerForm(initial={"seminar": seminar.pk, **fields}, seminars=seminars)
    return render(request, "content/composer.html", _context(request, access, state, form, None))


@area(Perm.CONTENT_VIEW, key="compose")
def post_edit(request: HttpRequest, access: Access, post_id: int) -> HttpResponse:
    post = queries.post_in(access, post_id)
    seminars = _seminars(access)
    if request.method == "POST":
        access.require(Perm.CONTENT_EDIT)
        state = state_from_data(access, request.POST, post=post)
        form = ComposerForm(request.POST, request.FILES, seminars=seminars)
        saved = _save(request, access, form, state, post)
        if saved is not None:
            messages.success(request, _("Post saved."))
            return redirect("content:edit", workspace=access.workspace.slug, post_id=post.pk)
    else:
        state = state_from_post(access, post)
        state.sync_variants = True
        form = ComposerForm(initial={"seminar": post.seminar_id, **state.fields}, seminars=seminars)
    return render(request, "content/composer.html", _context(request, access, state, form, post))


@require_POST
@area(Perm.CONTENT_VIEW, key="compose")
def post_check(request: HttpRequest, access: Access) -> HttpResponse:
    """The live check: every chosen variant's counter, problems and preview, as HTML pieces."""
    raw = request.POST.get("post", "")
    post = queries.post_in(access, int(raw)) if raw.isdigit() else None
    state = checked(access, state_from_data(access, request.POST, post=post))
    result = {}
    for v in state.selected:
        result[str(v.account.pk)] = {
            "valid": v.check.valid if v.check else True,
            "length": v.check.length if v.check else 0,
            "limit": v.check.limit if v.check else 0,
            "status": render_to_string(
                "content/_variant_status.html",
                {"v": v, "can_edit": access.can(Perm.CONTENT_EDIT)},
                request=request,
            ),
            "preview": render_to_string("content/_variant_preview.html", {"v": v}, request=request),
        }
    return JsonResponse({"variants": result, "valid": state.valid})


@require_POST
@area(Perm.CONTENT_EDIT, key="compose")
def post_fix(request: HttpRequest, access: Access, post_id: int) -> HttpResponse:
    """One click: save what is on the page, then fix one file for one variant's network."""
    post = queries.post_in(access, post_id)
    account_id, _sep, media_id = request.POST.get("fix", "").partition(":")
    state = state_from_data(access, request.POST, post=post)
    form = ComposerForm(request.POST, request.FILES, seminars=_seminars(access))
    saved = _save(request, access, form, state, post)
    if saved is None:
        return render(
            request, "content/composer.html", _context(request, access, state, form, post)
        )
    variant = saved.variants.filter(
        account_id=int(account_id) if account_id.isdigit() else 0
    ).first()
    if variant is None or not media_id.isdigit():
        messages.error(request, _("Choose a file of a network variant to fix."))
    else:
        try:
            fixed = variant_media_fix(
                access=access, variant=variant, item=queries.media_item_in(access, int(media_id))
            )
        except KeryxError as exc:
            messages.error(
                request, " ".join([exc.message, *[m for ms in exc.fields.values() for m in ms]])
            )
        else:
            messages.success(
                request,
                # ``fix`` already names the network ("Instagram: cropped to 4:5").
                _("Fixed (%(fix)s). The original file is kept.") % {"fix": fixed.fix},
            )
    url = reverse("content:edit", kwargs={"workspace": access.workspace.slug, "post_id": post.pk})
    return redirect(f"{url}#variant-{account_id}")


def _back(access: Access, post: Post, anchor: str = "") -> HttpResponse:
    url = reverse("content:edit", kwargs={"workspace": access.workspace.slug, "post_id": post.pk})
    return redirect(url + anchor)


def _back_to_queue_or_post(request: HttpRequest, access: Access, post: Post) -> HttpResponse:
    """Back where the decision was taken: the approvals queue or the post."""
    if request.POST.get("back") == "queue":
        return redirect("content:approvals", workspace=access.workspace.slug)
    return _back(access, post)


def _error(request: HttpRequest, exc: KeryxError) -> None:
    details = [m for messages_ in exc.fields.values() for m in messages_]
    messages.error(request, " ".join([exc.message, *details]))


@require_POST
@area(Perm.CONTENT_EDIT, key="compose")
def post_submit(request: HttpRequest, access: Access, post_id: int) -> HttpResponse:
    """Send for review; when the composer's form comes along, save it first (one click)."""
    post = queries.post_in(access, post_id)
    if "master_text" in request.POST:
        state = state_from_data(access, request.POST, post=post)
        form = ComposerForm(request.POST, request.FILES, seminars=_seminars(access))
        saved = _save(request, access, form, state, post)
        if saved is None:
            return render(
                request, "content/composer.html", _context(request, access, state, form, post)
            )
        post = saved
    try:
        review.post_submit(access=access, post=post)
    except KeryxError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Sent for review. The approvers were notified."))
    return _back(access, post)


@require_POST
@area(Perm.CONTENT_APPROVE, key="compose")
def post_approve(request: HttpRequest, access: Access, post_id: int) -> HttpResponse:
    post = queries.post_in(access, post_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        post = review.post_approve(access=access, post=post, note=note)
    except KeryxError as exc:
        _error(request, exc)
    else:
        if post.status == "approved":
            messages.success(request, _("Approved. The post can now be scheduled."))
        else:
            messages.success(request, _("Your approval is in; one more approver is needed."))
    return _back_to_queue_or_post(request, access, post)


@require_POST
@area(Perm.CONTENT_APPROVE, key="compose")
def post_request_changes(request: HttpRequest, access: Access, post_id: int) -> HttpResponse:
    post = queries.post_in(access, post_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        review.post_request_changes(access=access, post=post, note=note)
    except KeryxError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Sent back to the author with your note."))
    return _back_to_queue_or_post(request, access, post)


@require_POST
@area(Perm.CONTENT_EDIT, key="compose")
def post_comment(request: HttpRequest, access: Access, post_id: int) -> HttpResponse:
    post = queries.post_in(access, post_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = review.comment_add(access=access, post=post, body=form.cleaned_data["body"])
        except KeryxError as exc:
            _error(request, exc)
        else:
            _users, unknown = review.mentioned_members(access, comment.body)
            if unknown:
                messages.warning(
                    request,
                    _("Nobody in this workspace is called %(names)s; they were not notified.")
                    % {"names": ", ".join("@" + u for u in unknown)},
                )
            return _back(access, post, f"#comment-{comment.pk}")
    else:
        messages.error(request, _("Write a comment first."))
    return _back(access, post, "#comments")


@require_POST
@area(Perm.CONTENT_EDIT, key="compose")
def post_copy(request: HttpRequest, access: Access, post_id: int) -> HttpResponse:
    post = queries.post_in(access, post_id)
    form = DuplicateForm(request.POST, seminars=_seminars(access))
    if not form.is_valid():
        messages.error(request, _("Choose a seminar."))
        return _back(access, post)
    seminar = seminar_queries.seminar_in(access, form.cleaned_data["seminar"])
    copy = post_duplicate(access=access, post=post, seminar=seminar)
    messages.success(
        request, _("Duplicated to “%(seminar)s” as a draft.") % {"seminar": seminar.title}
    )
    return _back(access, copy)


@require_POST
@area(Perm.CONTENT_EDIT, key="compose")
def post_remove(request: HttpRequest, access: Access, post_id: int) -> HttpResponse:
    post = queries.post_in(access, post_id)
    try:
        post_delete(access=access, post=post)
    except KeryxError as exc:
        _error(request, exc)
        return _back(access, post)
    messages.success(request, _("Post deleted."))
    return redirect("content:home", workspace=access.workspace.slug)
