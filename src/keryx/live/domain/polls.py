"""Polls: prepare, launch, close, reveal; votes counted once per participant (or per option)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.errors import Conflict, Forbidden, ValidationFailed
from keryx.core.ratelimit import rate_limit_hit
from keryx.live.enums import CHOICE_KINDS, PollKind, PollStatus, Showing
from keryx.live.events import poll_changed, room_changed
from keryx.live.models import Participant, Poll, PollOption, Room, Vote

VOTE_LIMIT = (30, 60)  # votes per participant per minute
MAX_TEXT = 200


def _moderator(access: Access, room: Room) -> None:
    if not access.can(Perm.LIVE_MODERATE) or room.workspace_id != access.workspace.pk:
        raise Forbidden()


def poll_create(
    *,
    access: Access,
    room: Room,
    kind: str,
    question: str,
    options: Sequence[str] = (),
    correct: Sequence[int] = (),
) -> Poll:
    """A prepared poll (``draft``); ``correct`` are indexes into ``options`` (quiz)."""
    _moderator(access, room)
    if kind not in PollKind.values:
        raise ValidationFailed(_("Unknown kind of poll."))
    question = question.strip()
    if not question:
        raise ValidationFailed(_("Write the question."), fields={"question": [_("Required.")]})
    cleaned = [o.strip()[:200] for o in options if o.strip()]
    if kind in CHOICE_KINDS and len(cleaned) < 2:
        message = _("Give at least two options.")
        raise ValidationFailed(message, fields={"options": [message]})
    if kind == PollKind.QUIZ and not any(0 <= i < len(cleaned) for i in correct):
        message = _("Mark the correct answer.")
        raise ValidationFailed(message, fields={"options": [message]})
    with transaction.atomic():
        poll = Poll.objects.create(
            room=room,
            kind=kind,
            question=question[:300],
            position=Poll.objects.filter(room=room).count(),
        )
        if kind in CHOICE_KINDS:
            PollOption.objects.bulk_create(
                PollOption(poll=poll, text=text, position=i, correct=i in set(correct))
                for i, text in enumerate(cleaned)
            )
        audit_record(
            action="live.poll.create", actor=access.user, workspace=access.workspace, obj=poll
        )
    return poll


def poll_set_status(*, access: Access, poll: Poll, action: str) -> Poll:
    """``launch`` (open it and show it on the screen), ``close``, ``reveal``, ``hide``."""
    room = poll.room
    _moderator(access, room)
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        fields: list[str] = []
        if action == "launch":
            poll.status, poll.opened_at, poll.closed_at = PollStatus.OPEN, timezone.now(), None
            fields = ["status", "opened_at", "closed_at"]
            room.showing, room.showing_poll = (
                (Showing.CLOUD if poll.kind == PollKind.CLOUD else Showing.POLL),
                poll,
            )
            room.save(update_fields=["showing", "showing_poll", "updated_at"])
            room_changed(room)
        elif action == "close":
            poll.status, poll.closed_at = PollStatus.CLOSED, timezone.now()
            fields = ["status", "closed_at"]
        elif action in {"reveal", "hide"}:
            poll.results_visible, fields = action == "reveal", ["results_visible"]
        else:
            raise ValidationFailed(_("Unknown action."))
        poll.save(update_fields=[*fields, "updated_at"])
        audit_record(
            action=f"live.poll.{action}", actor=access.user, workspace=access.workspace, obj=poll
        )
        poll_changed(poll)
    return poll


def poll_vote(
    *,
    poll: Poll,
    participant: Participant,
    options: Sequence[int] = (),
    value: int | None = None,
    text: str = "",
) -> int:
    """Count one participant's answer; returns how many rows were added (0 for a repeat).

    A retried or double-clicked vote counts once (a unique row per participant and slot). A
    new answer replaces the old one in single choice, rating, word cloud and open text; in a
    quiz the first answer stands; in multiple choice each option counts once."""
    if poll.status != PollStatus.OPEN:
        raise Conflict(_("This poll is closed."))
    if poll.room.archived_at is not None:
        raise Conflict(_("This room is closed: the session is over."))
    rate_limit_hit(f"live:vote:{participant.key}", limit=VOTE_LIMIT[0], window=VOTE_LIMIT[1])
    rows = _rows(poll, participant, options=options, value=value, text=text)
    added = 0
    with transaction.atomic():
        if (
            poll.kind == PollKind.QUIZ
            and Vote.objects.filter(poll=poll, participant=participant).exists()
        ):
            raise Conflict(_("You have answered this quiz question already."))
        if poll.kind == PollKind.MULTIPLE:
            for row in rows:
                try:
                    with transaction.atomic():
                        row.save()
                    added += 1
                except IntegrityError:
                    pass  # this option counted already
        else:
            row = rows[0]
            updated = Vote.objects.filter(poll=poll, participant=participant, slot=0).update(
                option=row.option, value=row.value, text=row.text
            )
            if not updated:
                try:
                    with transaction.atomic():
                        row.save()
                    added = 1
                except IntegrityError:
                    # A double click raced us: the other request stored it; store this answer.
                    Vote.objects.filter(poll=poll, participant=participant, slot=0).update(
                        option=row.option, value=row.value, text=row.text
                    )
        poll_changed(poll)
    return added


def _rows(
    poll: Poll, participant: Participant, *, options: Sequence[int], value: int | None, text: str
) -> list[Vote]:
    if poll.kind in CHOICE_KINDS:
        valid = {o.pk: o for o in poll.options.all()}
        chosen = [valid[i] for i in dict.fromkeys(options) if i in valid]
        if not chosen:
            raise ValidationFailed(_("Choose an option."))
        if poll.kind != PollKind.MULTIPLE:
            chosen = chosen[:1]
            return [Vote(poll=poll, participant=participant, option=chosen[0], slot=0)]
        return [Vote(poll=poll, participant=participant, option=o, slot=o.pk) for o in chosen]
    if poll.kind == PollKind.RATING:
        if value is None or not 1 <= value <= 5:
            raise ValidationFailed(_("Choose a rating from 1 to 5."))
        return [Vote(poll=poll, participant=participant, value=value)]
    text = " ".join(text.split())
    if not text:
        raise ValidationFailed(_("Write your answer first."))
    if len(text) > MAX_TEXT:
        raise ValidationFailed(
            _("An answer may be at most %(limit)d characters long.") % {"limit": MAX_TEXT}
        )
    return [Vote(poll=poll, participant=participant, text=text)]


def room_show(*, access: Access, room: Room, showing: str, poll: Poll | None = None) -> Room:
    """What the presenter screen shows now."""
    _moderator(access, room)
    if showing not in Showing.values:
        raise ValidationFailed(_("Unknown screen."))
    room.showing = showing
    room.showing_poll = poll if showing in {Showing.POLL, Showing.CLOUD} else room.showing_poll
    with transaction.atomic():
        room.save(update_fields=["showing", "showing_poll", "updated_at"])
        room_changed(room)
    return room
