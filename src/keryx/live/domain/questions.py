"""Q&A: ask, upvote once, moderate (approve, dismiss, answered, pin, edit, reply)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.errors import Forbidden, NotFound, ValidationFailed
from keryx.core.ratelimit import rate_limit_hit
from keryx.live.enums import Moderation, QuestionStatus
from keryx.live.events import question_changed
from keryx.live.models import Participant, Question, Room, Upvote
from keryx.live.words import blocked_keys, contains_blocked

ASK_LIMIT = (5, 60)  # questions per participant per minute
UPVOTE_LIMIT = (60, 60)

MODERATOR_ACTIONS = frozenset(
    {"approve", "dismiss", "answered", "unanswered", "pin", "unpin", "edit", "reply"}
)


def _open(room: Room) -> None:
    if room.archived_at is not None:
        raise ValidationFailed(_("This room is closed: the session is over."))


def question_ask(
    *, room: Room, participant: Participant, text: str, anonymous: bool = False
) -> Question:
    _open(room)
    text = text.strip()
    if not text:
        raise ValidationFailed(_("Write your question first."), fields={"text": [_("Required.")]})
    if len(text) > room.max_question_length:
        message = ngettext(
            "A question may be at most %(limit)d character long; yours has %(count)d.",
            "A question may be at most %(limit)d characters long; yours has %(count)d.",
            room.max_question_length,
        ) % {"limit": room.max_question_length, "count": len(text)}
        raise ValidationFailed(message, fields={"text": [message]})
    if contains_blocked(text, blocked_keys(room.blocked_words)):
        message = _("Please rephrase your question: it contains a word this room does not allow.")
        raise ValidationFailed(message, fields={"text": [message]})
    rate_limit_hit(f"live:ask:{participant.key}", limit=ASK_LIMIT[0], window=ASK_LIMIT[1])
    if anonymous and not room.anonymous_questions:
        anonymous = False
    status = (
        QuestionStatus.PENDING if room.moderation == Moderation.BEFORE else QuestionStatus.APPROVED
    )
    with transaction.atomic():
        question = Question.objects.create(
            room=room,
            participant=participant,
            author_name="" if anonymous else participant.name,
            text=text,
            status=status,
        )
        question_changed(question)
    return question


def question_upvote(*, question: Question, participant: Participant) -> Question:
    """Once per participant: a repeated upvote changes nothing."""
    _open(question.room)
    if question.status != QuestionStatus.APPROVED:
        raise NotFound()
    rate_limit_hit(f"live:upvote:{participant.key}", limit=UPVOTE_LIMIT[0], window=UPVOTE_LIMIT[1])
    try:
        with transaction.atomic():
            Upvote.objects.create(question=question, participant=participant)
            Question.objects.filter(pk=question.pk).update(upvotes=F("upvotes") + 1)
            question_changed(question)
    except IntegrityError:
        pass  # already upvoted: idempotent
    question.refresh_from_db(fields=["upvotes"])
    return question


def question_moderate(
    *, access: Access, question: Question, action: str, text: str = ""
) -> Question:
    if not access.can(Perm.LIVE_MODERATE) or question.room.workspace_id != access.workspace.pk:
        raise Forbidden()
    if action not in MODERATOR_ACTIONS:
        raise ValidationFailed(_("Unknown action."))
    fields: list[str] = []
    if action == "approve":
        question.status, fields = QuestionStatus.APPROVED, ["status"]
    elif action == "dismiss":
        question.status, question.pinned, fields = (
            QuestionStatus.DISMISSED,
            False,
            ["status", "pinned"],
        )
    elif action in {"answered", "unanswered"}:
        question.answered, fields = action == "answered", ["answered"]
    elif action in {"pin", "unpin"}:
        question.pinned, fields = action == "pin", ["pinned"]
        if question.pinned:
            question.status = QuestionStatus.APPROVED
            fields.append("status")
    elif action == "edit":
        text = text.strip()
        if not text:
            raise ValidationFailed(_("A question cannot be empty."))
        question.text, fields = text[:2000], ["text"]
    elif action == "reply":
        question.reply, fields = text.strip()[:2000], ["reply"]
    with transaction.atomic():
        question.save(update_fields=[*fields, "updated_at"])
        audit_record(
            action=f"live.question.{action}",
            actor=access.user,
            workspace=access.workspace,
            obj=question,
        )
        question_changed(question)
    return question
