"""Personal data of the inbox: the authors' names and handles and what they wrote (in
conversations and their messages), and the team's internal notes. Found by network handle
(notes by the names and e-mail they mention); erased by blanking (the conversation, its
times and sentiment stay, so the KPIs survive). Kept a year after the last message."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from keryx.core.personal_data import ERASED, PersonalDataKind, Subject, register, set_fields
from keryx.inbox.models import Conversation, Message, Note, Reply

RETENTION_DAYS = 365


def _handles(subject: Subject) -> Q | None:
    handles = [h.strip().lstrip("@") for h in subject.network_handles if h.strip()]
    if not handles:
        return None
    query = Q()
    for handle in handles:
        query |= Q(author_handle__iexact=handle) | Q(author_handle__iexact="@" + handle)
    return query


def _conversations(subject: Subject) -> QuerySet[Conversation]:
    query = _handles(subject)
    return Conversation.objects.filter(query) if query else Conversation.objects.none()


def _messages(subject: Subject) -> QuerySet[Message]:
    query = _handles(subject)
    return Message.objects.filter(query) if query else Message.objects.none()


def _notes(subject: Subject) -> QuerySet[Note]:
    query = subject.mentioned_in("text")
    if subject.user_ids:
        query |= Q(author_id__in=subject.user_ids)
    return Note.objects.filter(query)


def _replies(subject: Subject) -> QuerySet[Reply]:
    query = _handles(subject)
    if query is None:
        return Reply.objects.none()
    # The team's answers to the person (they may name or quote them).
    return Reply.objects.filter(conversation__in=Conversation.objects.filter(query).values("pk"))


def _old_conversations(now: dt.datetime, days: int) -> QuerySet[Conversation]:
    return Conversation.objects.filter(last_message_at__lt=now - dt.timedelta(days=days))


register(
    PersonalDataKind(
        key="inbox.conversation",
        model=Conversation,
        label=_("Inbox conversations"),
        fields=("author_name", "author_handle", "excerpt", "search_text"),
        find=_conversations,
        erase=set_fields(author_name=ERASED, author_handle="", excerpt="", search_text=""),
        retention_days=RETENTION_DAYS,
        retention_anchor=_old_conversations,
        workspace_field="workspace",
        notes=_("Erasing blanks the author and the words; times and sentiment stay for the KPIs."),
    )
)
register(
    PersonalDataKind(
        key="inbox.message",
        model=Message,
        label=_("Inbox messages"),
        fields=("author_name", "author_handle", "text"),
        find=_messages,
        erase=set_fields(author_name=ERASED, author_handle="", text=""),
        retention_days=RETENTION_DAYS,
        retention_anchor="created_at",
        workspace_field="conversation__workspace",
    )
)
register(
    PersonalDataKind(
        key="inbox.note",
        model=Note,
        label=_("Internal notes in the inbox"),
        fields=("text",),
        find=_notes,
        erase=set_fields(text=ERASED),
        retention_days=RETENTION_DAYS,
        retention_anchor="created_at",
        workspace_field="conversation__workspace",
    )
)
register(
    PersonalDataKind(
        key="inbox.reply",
        model=Reply,
        label=_("Replies sent from the inbox"),
        fields=("text",),
        find=_replies,
        erase=set_fields(text=ERASED),
        retention_days=RETENTION_DAYS,
        retention_anchor="created_at",
        workspace_field="conversation__workspace",
    )
)
