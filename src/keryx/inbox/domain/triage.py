"""Working a conversation: assign it, mark it done or open, tag it, write internal notes
(``@name`` notifies that team member), hide or delete an abusive comment where the network
allows it, and fill a saved reply's placeholders."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.models import Membership, User
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.errors import ValidationFailed
from keryx.core.realtime import publish_on_commit
from keryx.core.text import text_key
from keryx.inbox.domain.ingest import stream_of
from keryx.inbox.enums import Status
from keryx.inbox.models import Conversation, Message, Note, SavedReply


def _mine(access: Access, conversation: Conversation) -> None:
    access.require(Perm.INBOX_REPLY)
    if conversation.workspace_id != access.workspace.pk:
        raise ValidationFailed(_("This conversation is not in this workspace."))


def _changed(conversation: Conversation) -> None:
    publish_on_commit(stream_of(conversation.workspace_id), "conversation", {"id": conversation.pk})


def conversation_assign(
    *, access: Access, conversation: Conversation, user_id: int | None
) -> Conversation:
    """Assign to a member of the workspace (``None``: nobody); the assignee is told."""
    from keryx.notifications.domain.notify import notify_in_their_language

    _mine(access, conversation)
    assignee = None
    if user_id is not None:
        assignee = User.objects.filter(
            pk=user_id, memberships__workspace=access.workspace, is_active=True
        ).first()
        if assignee is None:
            raise ValidationFailed(fields={"assignee": [_("Choose a member of this workspace.")]})
    before = conversation.assignee_id
    conversation.assignee = assignee
    conversation.save(update_fields=["assignee", "updated_at"])
    audit_record(
        action="inbox.assign",
        actor=access.user,
        workspace=access.workspace,
        obj=conversation,
        changes={"assignee": [before, user_id]},
    )
    if assignee is not None and assignee.pk != access.user.pk:
        who = access.user.display_name
        notify_in_their_language(
            recipients=[assignee],
            kind="inbox.assigned",
            words=lambda: (
                _("%(who)s assigned you a conversation") % {"who": who},
                _("Open it in the inbox and answer or mark it done."),
            ),
            url=conversation_url(conversation),
            workspace=access.workspace,
        )
    _changed(conversation)
    return conversation


def conversation_set_status(
    *, access: Access, conversation: Conversation, status: str
) -> Conversation:
    _mine(access, conversation)
    if status not in Status.values:
        raise ValidationFailed(fields={"status": [_("Choose open or done.")]})
    before = conversation.status
    conversation.status = status
    conversation.done_at = timezone.now() if status == Status.DONE else None
    conversation.save(update_fields=["status", "done_at", "updated_at"])
    audit_record(
        action="inbox.status",
        actor=access.user,
        workspace=access.workspace,
        obj=conversation,
        changes={"status": [before, status]},
    )
    _changed(conversation)
    return conversation


def conversation_tag(
    *, access: Access, conversation: Conversation, tags: list[str]
) -> Conversation:
    _mine(access, conversation)
    clean = list(dict.fromkeys(t.strip().lstrip("#")[:60] for t in tags if t.strip()))[:20]
    conversation.tags = clean
    conversation.save(update_fields=["tags", "updated_at"])
    _changed(conversation)
    return conversation


_MENTION = re.compile(r"@([\w.\-]+)", re.UNICODE)


def mentioned_members(workspace_id: int, text: str) -> list[User]:
    """Members named in ``text`` as ``@name``: the part of their e-mail before the @, or their
    full name without spaces, folded (``@maria``, ``@Μαρία``, ``@mariapapa``)."""
    wanted = {text_key(m) for m in _MENTION.findall(text)}
    if not wanted:
        return []
    found = []
    for membership in Membership.objects.filter(workspace_id=workspace_id).select_related("user"):
        user = membership.user
        keys = {text_key(user.email.split("@", 1)[0])}
        if user.full_name:
            keys.add(text_key(user.full_name.replace(" ", "")))
            keys.add(text_key(user.full_name.split()[0]))
        if keys & wanted and user.is_active:
            found.append(user)
    return found


def note_add(*, access: Access, conversation: Conversation, text: str) -> Note:
    """An internal note (never sent to the network); ``@name`` notifies that member."""
    from keryx.notifications.domain.notify import notify_in_their_language

    access.require(Perm.INBOX_VIEW)
    if conversation.workspace_id != access.workspace.pk:
        raise ValidationFailed(_("This conversation is not in this workspace."))
    text = text.strip()
    if not text:
        raise ValidationFailed(fields={"text": [_("Write the note first.")]})
    people = [u for u in mentioned_members(access.workspace.pk, text) if u.pk != access.user.pk]
    note = Note.objects.create(
        conversation=conversation,
        author=access.user,
        text=text[:5000],
        mentioned=[u.pk for u in people],
    )
    if people:
        who = access.user.display_name
        notify_in_their_language(
            recipients=people,
            kind="inbox.mention",
            words=lambda: (
                _("%(who)s mentioned you in an inbox note") % {"who": who},
                text[:500],
            ),
            url=conversation_url(conversation),
            workspace=access.workspace,
        )
    _changed(conversation)
    return note


def conversation_url(conversation: Conversation) -> str:
    return reverse(
        "inbox:conversation",
        kwargs={"workspace": conversation.workspace.slug, "conversation_id": conversation.pk},
    )


# --- hiding and deleting abusive comments ------------------------------------------------------


def moderation_actions(conversation: Conversation) -> set[str]:
    """What the network allows on a comment: ``hide`` and/or ``delete`` (from its spec)."""
    from keryx.networks.registry import spec

    try:
        caps = spec(conversation.network).capabilities
    except LookupError:
        return set()
    allowed = set()
    if caps.hide and not conversation.hidden:
        allowed.add("hide")
    if caps.delete_comment and caps.delete_others_comments and not conversation.deleted:
        allowed.add("delete")  # the conversation's first comment is the audience's, not ours
    return allowed


def _root(conversation: Conversation) -> Message | None:
    return conversation.messages.filter(outgoing=False).order_by("created_at", "id").first()


def comment_moderate(*, access: Access, conversation: Conversation, action: str) -> Conversation:
    """Hide or delete the conversation's first comment on the network (where allowed)."""
    from keryx.networks.domain.accounts import connector_for_account
    from keryx.networks.models import RemoteItem

    _mine(access, conversation)
    if action not in moderation_actions(conversation):
        raise ValidationFailed(_("The network does not allow this on this comment."))
    root = _root(conversation)
    remote_id = root.remote_id if root else conversation.thread_key
    connector = connector_for_account(conversation.account)
    if action == "hide":
        connector.hide(remote_id)
        conversation.hidden = True
        RemoteItem.objects.filter(account=conversation.account, remote_id=remote_id).update(
            hidden=True
        )
    else:
        connector.delete_comment(remote_id)
        conversation.deleted = True
    conversation.status = Status.DONE
    conversation.done_at = timezone.now()
    conversation.save(update_fields=["hidden", "deleted", "status", "done_at", "updated_at"])
    audit_record(
        action=f"inbox.{action}",
        actor=access.user,
        workspace=access.workspace,
        obj=conversation,
        changes={"remote_id": remote_id},
    )
    _changed(conversation)
    return conversation


# --- saved replies ----------------------------------------------------------------------------

PLACEHOLDERS = ("name", "handle", "seminar", "date", "link", "me")


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def saved_reply_fill(saved: SavedReply | str, *, conversation: Conversation, access: Access) -> str:
    """The saved reply's text with its placeholders filled for this conversation:
    {name} (the author's first name), {handle}, {seminar}, {date} (the seminar's day),
    {link} (its public page), {me} (who replies). An unknown placeholder stays as written."""
    from django.utils import formats

    text = saved.text if isinstance(saved, SavedReply) else saved
    seminar = conversation.seminar
    values = _Blank(
        name=(conversation.author_name or conversation.author_handle).split(" ")[0],
        handle=conversation.author_handle,
        seminar=seminar.title if seminar else "",
        date=formats.date_format(timezone.localtime(seminar.starts_at), "DATE_FORMAT")
        if seminar and seminar.starts_at
        else "",
        link=_seminar_link(seminar),
        me=access.user.display_name,
    )
    return text.format_map(values)


def _seminar_link(seminar: object) -> str:
    if seminar is None:
        return ""
    from django.conf import settings

    slug = getattr(seminar, "slug", "")
    if not slug:
        return ""
    return settings.KERYX_BASE_URL + reverse("registrations:page", kwargs={"slug": slug})


def saved_reply_save(
    *, access: Access, title: str, language: str, text: str, saved: SavedReply | None = None
) -> SavedReply:
    access.require(Perm.INBOX_REPLY)
    if language not in ("el", "en"):
        raise ValidationFailed(fields={"language": [_("Choose Greek or English.")]})
    if not title.strip() or not text.strip():
        raise ValidationFailed(fields={"text": [_("Give a title and the text.")]})
    saved = saved or SavedReply(workspace=access.workspace)
    saved.title, saved.language, saved.text = title.strip()[:120], language, text.strip()
    saved.save()
    return saved


DEFAULT_SAVED = (
    (
        "el",
        "Ευχαριστούμε",
        "Ευχαριστούμε πολύ, {name}! Χαιρόμαστε που θα είστε μαζί μας στο {seminar}.",
    ),
    (
        "el",
        "Πληροφορίες",
        "Γεια σας {name}, όλες οι πληροφορίες για το {seminar} ({date}) είναι εδώ: {link}",
    ),
    ("en", "Thanks", "Thank you, {name}! We are glad you will join us at {seminar}."),
    ("en", "Details", "Hi {name}, everything about {seminar} ({date}) is here: {link}"),
)


def saved_replies_seed(workspace_id: int) -> None:
    """Give a workspace the four starter replies the first time its inbox opens."""
    if not SavedReply.objects.filter(workspace_id=workspace_id).exists():
        SavedReply.objects.bulk_create(
            SavedReply(workspace_id=workspace_id, language=lang, title=title, text=text)
            for lang, title, text in DEFAULT_SAVED
        )
