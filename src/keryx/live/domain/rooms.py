"""Rooms: one per seminar and one per agenda session, made on demand."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.errors import Forbidden, ValidationFailed
from keryx.live.enums import Moderation
from keryx.live.events import room_changed
from keryx.live.models import Room, new_room_code
from keryx.seminars.models import Seminar, Session


def _check(access: Access, seminar: Seminar) -> None:
    if not access.can(Perm.LIVE_MODERATE) or seminar.workspace_id != access.workspace.pk:
        raise Forbidden()


def room_open(*, access: Access, seminar: Seminar, session: Session | None = None) -> Room:
    """The room of the seminar (or of one of its sessions), created the first time."""
    _check(access, seminar)
    if session is not None and session.seminar_id != seminar.pk:
        raise ValidationFailed(_("This session belongs to another seminar."))
    existing = Room.objects.filter(seminar=seminar, session=session).first()
    if existing is not None:
        return existing
    for _attempt in range(5):
        try:
            with transaction.atomic():
                room = Room.objects.create(
                    workspace=seminar.workspace,
                    seminar=seminar,
                    session=session,
                    code=new_room_code(),
                    title=session.title if session is not None else seminar.title,
                    stream_url=seminar.stream_url if session is None else "",
                )
                audit_record(
                    action="live.room.create",
                    actor=access.user,
                    workspace=access.workspace,
                    obj=room,
                )
                return room
        except IntegrityError:
            existing = Room.objects.filter(seminar=seminar, session=session).first()
            if existing is not None:
                return existing  # made by a concurrent request
    raise ValidationFailed(_("Could not make a room code; try again."))  # pragma: no cover


def room_settings_save(
    *,
    access: Access,
    room: Room,
    anonymous_questions: bool,
    moderation: str,
    max_question_length: int,
    blocked_words: str,
    stream_url: str,
) -> Room:
    _check(access, room.seminar)
    if moderation not in Moderation.values:
        raise ValidationFailed(_("Unknown moderation."))
    room.anonymous_questions = anonymous_questions
    room.moderation = moderation
    room.max_question_length = max(20, min(2000, max_question_length))
    room.blocked_words = blocked_words[:5000]
    room.stream_url = stream_url
    room.save(
        update_fields=[
            "anonymous_questions",
            "moderation",
            "max_question_length",
            "blocked_words",
            "stream_url",
            "updated_at",
        ]
    )
    audit_record(action="live.room.update", actor=access.user, workspace=access.workspace, obj=room)
    return room


def room_archive(*, access: Access, room: Room, archived: bool = True) -> Room:
    """After the session: questions and polls stay readable; nothing new is accepted."""
    _check(access, room.seminar)
    room.archived_at = timezone.now() if archived else None
    with transaction.atomic():
        room.save(update_fields=["archived_at", "updated_at"])
        audit_record(
            action="live.room.archive" if archived else "live.room.reopen",
            actor=access.user,
            workspace=access.workspace,
            obj=room,
        )
        room_changed(room)
    return room
