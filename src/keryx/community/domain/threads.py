"""Discussion threads and replies, and their moderation (hide, lock; decision 0862).

Attendees write as members; the team writes as staff. Hidden threads and replies disappear
for attendees (the team still sees them, marked); a locked thread takes no more replies.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.community.models import Community, Member, Reply, Thread
from keryx.core.domain.audit import audit_record
from keryx.core.errors import Conflict, ValidationFailed
from keryx.core.ratelimit import rate_limit_hit


def _text(value: str, *, limit: int, empty: str) -> tuple[str, list[str]]:
    value = value.replace("\r\n", "\n").strip()
    if not value:
        return value, [empty]
    if len(value) > limit:
        return value, [
            _("This is too long: %(n)s characters; %(limit)s at most.")
            % {"n": f"{len(value):,}", "limit": f"{limit:,}"}
        ]
    return value, []


def _author(member: Member | None, access: Access | None) -> dict[str, object]:
    if member is not None:
        rate_limit_hit(f"community.write:{member.pk}", limit=20, window=600)
        return {"member": member}
    if access is None:
        raise ValueError("a member or staff access is needed")
    access.require(Perm.COMMUNITY_MODERATE)
    return {"staff": access.user}


def thread_start(
    *,
    community: Community,
    title: str,
    body: str,
    member: Member | None = None,
    access: Access | None = None,
) -> Thread:
    title, title_errors = _text(title, limit=200, empty=_("Give the thread a title."))
    body, body_errors = _text(body, limit=5000, empty=_("Write something to start with."))
    if title_errors or body_errors:
        fields = {"title": title_errors, "body": body_errors}
        raise ValidationFailed(fields={k: v for k, v in fields.items() if v})
    author = _author(member, access)
    now = timezone.now()
    return Thread.objects.create(
        community=community, title=title, body=body, last_activity_at=now, **author
    )


def reply_add(
    *, thread: Thread, body: str, member: Member | None = None, access: Access | None = None
) -> Reply:
    body, errors = _text(body, limit=5000, empty=_("Write your reply."))
    if errors:
        raise ValidationFailed(fields={"body": errors})
    with transaction.atomic():
        locked = (
            Thread.objects.select_for_update()
            .filter(pk=thread.pk)
            .values_list("locked", flat=True)
            .first()
        )
        if locked is None or locked:
            raise Conflict(_("This thread is locked: it takes no more replies."))
        author = _author(member, access)
        reply = Reply.objects.create(thread=thread, body=body, **author)
        Thread.objects.filter(pk=thread.pk).update(last_activity_at=reply.created_at)
    return reply


@transaction.atomic
def reply_hide(*, access: Access, reply: Reply, hidden: bool = True) -> Reply:
    access.require(Perm.COMMUNITY_MODERATE)
    reply.hidden = hidden
    reply.hidden_by = access.user if hidden else None
    reply.save(update_fields=["hidden", "hidden_by", "updated_at"])
    audit_record(
        action="community.reply_hide" if hidden else "community.reply_show",
        actor=access.user,
        workspace=access.workspace,
        obj=reply,
    )
    return reply


@transaction.atomic
def thread_moderate(
    *, access: Access, thread: Thread, hidden: bool | None = None, locked: bool | None = None
) -> Thread:
    access.require(Perm.COMMUNITY_MODERATE)
    changes = {}
    if hidden is not None and hidden != thread.hidden:
        changes["hidden"] = [thread.hidden, hidden]
        thread.hidden = hidden
    if locked is not None and locked != thread.locked:
        changes["locked"] = [thread.locked, locked]
        thread.locked = locked
    if changes:
        thread.save(update_fields=["hidden", "locked", "updated_at"])
        audit_record(
            action="community.thread_moderate",
            actor=access.user,
            workspace=access.workspace,
            obj=thread,
            changes=changes,
        )
    return thread
