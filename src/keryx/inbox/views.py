"""The inbox pages: the list (filters, search, live updates, keyboard), one conversation
(messages, notes, reply, assign, done, hide/delete where allowed) and the inbox settings
(rules, saved replies, crisis team). Thin: the domain does the work."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.errors import KeryxError
from keryx.core.http import OutboundError
from keryx.core.realtime import current_event_id
from keryx.inbox import queries
from keryx.inbox.domain.crisis import crisis_active, team_choices
from keryx.inbox.domain.kpis import inbox_figures_cached
from keryx.inbox.domain.replies import can_reply, reply_queue, reply_settle
from keryx.inbox.domain.rules import rule_delete, rule_save
from keryx.inbox.domain.triage import (
    comment_moderate,
    conversation_assign,
    conversation_set_status,
    conversation_tag,
    moderation_actions,
    note_add,
    saved_replies_seed,
    saved_reply_fill,
    saved_reply_save,
)
from keryx.inbox.enums import Status
from keryx.inbox.models import InboxSettings, Reply, Rule, SavedReply
from keryx.inbox.presenters import rows_of
from keryx.networks.registry import network_choices
from keryx.web.access import area

KEY = "inbox"


def _back(request: HttpRequest, access: Access, conversation_id: int) -> HttpResponse:
    if request.headers.get("x-requested-with") == "fetch":
        return JsonResponse({"ok": True})
    return redirect(
        "inbox:conversation", workspace=access.workspace.slug, conversation_id=conversation_id
    )


def _failed(request: HttpRequest, exc: KeryxError | OutboundError) -> None:
    message = exc.message
    if isinstance(exc, KeryxError) and exc.fields:
        message = " ".join(m for msgs in exc.fields.values() for m in msgs)
    messages.error(request, message)


@area(Perm.INBOX_VIEW, key=KEY)
def inbox_list(request: HttpRequest, access: Access) -> HttpResponse:
    from keryx.seminars.queries import seminars_in

    filters = queries.Filters.from_query(request.GET.dict())
    crisis = crisis_active(access.workspace.pk)
    page = queries.inbox_page(access, filters, cursor=request.GET.get("after", ""), crisis=crisis)
    figures = inbox_figures_cached(access.workspace.pk)
    team = {u.pk: u for u in team_choices(access.workspace.pk)}
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "inbox/list.html",
        {
            "access": access,
            "page": page,
            "rows": rows_of(page.rows, access.workspace.slug),
            "filters": filters,
            "crisis": crisis,
            "figures": figures,
            "open_by_person": [
                (team.get(pk) if pk else None, n) for pk, n in figures.open_by_person.items()
            ],
            "team": list(team.values()),
            "networks": network_choices(),
            "seminars": list(seminars_in(access)) if access.can(Perm.SEMINAR_VIEW) else [],
            "query": query.urlencode(),
            "after_event": current_event_id(),
            "can_reply": access.can(Perm.INBOX_REPLY),
        },
    )


@area(Perm.INBOX_VIEW, key=KEY)
def conversation_row(request: HttpRequest, access: Access, conversation_id: int) -> HttpResponse:
    conversation = queries.conversation_in(access, conversation_id)
    (row,) = rows_of([conversation], access.workspace.slug)
    return render(request, "inbox/_row.html", {"c": row})


@area(Perm.INBOX_VIEW, key=KEY)
def conversation_detail(request: HttpRequest, access: Access, conversation_id: int) -> HttpResponse:
    conversation = queries.conversation_in(access, conversation_id)
    saved_replies_seed(access.workspace.pk)
    saved = [
        (s, saved_reply_fill(s, conversation=conversation, access=access))
        for s in SavedReply.objects.filter(workspace=access.workspace)
    ]
    return render(
        request,
        "inbox/conversation.html",
        {
            "access": access,
            "c": conversation,
            "thread": list(conversation.messages.all()),
            "notes": list(conversation.notes.select_related("author")),
            "replies": list(conversation.replies.exclude(status="sent")),
            "saved": saved,
            "team": team_choices(access.workspace.pk),
            "can_reply": access.can(Perm.INBOX_REPLY) and can_reply(conversation),
            "can_triage": access.can(Perm.INBOX_REPLY),
            "moderation": moderation_actions(conversation)
            if access.can(Perm.INBOX_REPLY)
            else set(),
            "reply_key": Reply.new_key(),
            "after_event": current_event_id(),
        },
    )


@require_POST
@area(Perm.INBOX_REPLY, key=KEY)
def reply(request: HttpRequest, access: Access, conversation_id: int) -> HttpResponse:
    conversation = queries.conversation_in(access, conversation_id)
    try:
        reply_queue(
            access=access,
            conversation=conversation,
            text=request.POST.get("text", ""),
            client_key=request.POST.get("key", ""),
        )
        if request.POST.get("done"):
            conversation_set_status(access=access, conversation=conversation, status=Status.DONE)
        messages.success(request, _("The reply is on its way."))
    except KeryxError as exc:
        _failed(request, exc)
    return _back(request, access, conversation_id)


@require_POST
@area(Perm.INBOX_REPLY, key=KEY)
def assign(request: HttpRequest, access: Access, conversation_id: int) -> HttpResponse:
    conversation = queries.conversation_in(access, conversation_id)
    raw = request.POST.get("assignee", "")
    user_id = access.user.pk if raw == "me" else (int(raw) if raw.isdigit() else None)
    try:
        conversation_assign(access=access, conversation=conversation, user_id=user_id)
    except KeryxError as exc:
        _failed(request, exc)
    return _back(request, access, conversation_id)


@require_POST
@area(Perm.INBOX_REPLY, key=KEY)
def status(request: HttpRequest, access: Access, conversation_id: int) -> HttpResponse:
    conversation = queries.conversation_in(access, conversation_id)
    try:
        conversation_set_status(
            access=access, conversation=conversation, status=request.POST.get("status", "")
        )
    except KeryxError as exc:
        _failed(request, exc)
    return _back(request, access, conversation_id)


@require_POST
@area(Perm.INBOX_VIEW, key=KEY)
def note(request: HttpRequest, access: Access, conversation_id: int) -> HttpResponse:
    conversation = queries.conversation_in(access, conversation_id)
    try:
        note_add(access=access, conversation=conversation, text=request.POST.get("text", ""))
    except KeryxError as exc:
        _failed(request, exc)
    return _back(request, access, conversation_id)


@require_POST
@area(Perm.INBOX_REPLY, key=KEY)
def tags(request: HttpRequest, access: Access, conversation_id: int) -> HttpResponse:
    conversation = queries.conversation_in(access, conversation_id)
    words = request.POST.get("tags", "").replace(",", " ").split()
    conversation_tag(access=access, conversation=conversation, tags=words)
    return _back(request, access, conversation_id)


@require_POST
@area(Perm.INBOX_REPLY, key=KEY)
def moderate(request: HttpRequest, access: Access, conversation_id: int) -> HttpResponse:
    conversation = queries.conversation_in(access, conversation_id)
    try:
        comment_moderate(
            access=access, conversation=conversation, action=request.POST.get("action", "")
        )
        messages.success(request, _("Done on the network."))
    except (KeryxError, OutboundError) as exc:
        _failed(request, exc)
    return _back(request, access, conversation_id)


@require_POST
@area(Perm.INBOX_REPLY, key=KEY)
def settle(
    request: HttpRequest, access: Access, conversation_id: int, reply_id: int
) -> HttpResponse:
    conversation = queries.conversation_in(access, conversation_id)
    found = conversation.replies.filter(pk=reply_id).first()
    if found is not None:
        try:
            reply_settle(access=access, reply=found, sent=request.POST.get("sent") == "1")
        except KeryxError as exc:
            _failed(request, exc)
    return _back(request, access, conversation_id)


@area(Perm.INBOX_VIEW, key=KEY)
def inbox_settings(request: HttpRequest, access: Access) -> HttpResponse:
    can_edit = access.can(Perm.INBOX_REPLY)
    settings, _created = InboxSettings.objects.get_or_create(workspace=access.workspace)
    team = team_choices(access.workspace.pk)
    if request.method == "POST" and can_edit:
        what = request.POST.get("what", "")
        try:
            if what == "rule":
                raw = request.POST.get("assign_to", "")
                rule_save(
                    access=access,
                    name=request.POST.get("name", ""),
                    keywords=request.POST.get("keywords", ""),
                    network=request.POST.get("network", ""),
                    sentiment=request.POST.get("sentiment", ""),
                    tag=request.POST.get("tag", ""),
                    assign_to_id=int(raw) if raw.isdigit() else None,
                )
            elif what == "rule_delete":
                found = Rule.objects.filter(
                    workspace=access.workspace, pk=request.POST.get("rule") or 0
                ).first()
                if found is not None:
                    rule_delete(access=access, rule=found)
            elif what == "saved":
                saved_reply_save(
                    access=access,
                    title=request.POST.get("title", ""),
                    language=request.POST.get("language", ""),
                    text=request.POST.get("text", ""),
                )
            elif what == "saved_delete":
                SavedReply.objects.filter(
                    workspace=access.workspace, pk=request.POST.get("saved") or 0
                ).delete()
            elif what == "team":
                ids = {int(v) for v in request.POST.getlist("team") if v.isdigit()}
                settings.crisis_team.set([u for u in team if u.pk in ids])
            messages.success(request, _("Saved."))
        except KeryxError as exc:
            _failed(request, exc)
        return redirect("inbox:settings", workspace=access.workspace.slug)
    saved_replies_seed(access.workspace.pk)
    return render(
        request,
        "inbox/settings.html",
        {
            "access": access,
            "rules": list(
                Rule.objects.filter(workspace=access.workspace).select_related("assign_to")
            ),
            "saved": list(SavedReply.objects.filter(workspace=access.workspace)),
            "team": team,
            "crisis_team": set(settings.crisis_team.values_list("pk", flat=True)),
            "networks": network_choices(),
            "can_edit": can_edit,
        },
    )
