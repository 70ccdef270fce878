"""Personal data of the live app: participants (a name, the registration that joined), their
questions and their poll answers. Found by participant key (the cookie), registration or the
registrant's e-mail; erased by anonymising, so a room's counts (votes, upvotes) survive."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from keryx.core.personal_data import PersonalDataKind, Subject, register
from keryx.live.models import Participant, Question, Vote, WallItem, new_participant_key

ERASED = "—"
YEAR = 365


def _participants(subject: Subject) -> QuerySet[Participant]:
    match = Q(pk__in=[])
    if subject.participant_keys:
        match |= Q(key__in=subject.participant_keys)
    if subject.registration_ids:
        match |= Q(registration_id__in=subject.registration_ids)
    if subject.email_folded:
        match |= Q(registration__email__iexact=subject.email_folded)
    return Participant.objects.filter(match)


def _erase_participants(records: QuerySet[Any]) -> int:
    count = 0
    for participant in records:
        participant.name = ""
        participant.registration = None
        participant.key = new_participant_key()  # the old cookie no longer finds them
        participant.save(update_fields=["name", "registration", "key"])
        count += 1
    return count


def _erase_questions(records: QuerySet[Any]) -> int:
    return int(records.update(text=ERASED, author_name="", reply="", participant=None))


def _erase_votes(records: QuerySet[Any]) -> int:
    return int(records.update(text="", participant=None))


register(
    PersonalDataKind(
        key="live.participant",
        model=Participant,
        label=_("Live participants"),
        fields=("name",),
        find=_participants,
        erase=_erase_participants,
        retention_days=YEAR,
        retention_anchor="created_at",
        notes=_("Name is optional; anonymised on erasure so votes and upvotes still count."),
    )
)
register(
    PersonalDataKind(
        key="live.question",
        model=Question,
        label=_("Live questions"),
        fields=("author_name", "text", "reply"),
        find=lambda subject: Question.objects.filter(participant__in=_participants(subject)),
        erase=_erase_questions,
        retention_days=YEAR,
        retention_anchor="created_at",
    )
)
register(
    PersonalDataKind(
        key="live.vote",
        model=Vote,
        label=_("Live poll answers"),
        fields=("text",),
        find=lambda subject: Vote.objects.filter(participant__in=_participants(subject)),
        erase=_erase_votes,
        retention_days=YEAR,
        retention_anchor="created_at",
    )
)


# The social wall copies what authors wrote on the networks (name, handle, text) and the
# room's questions. Found by network handle, by name, or through the participant whose
# questions they are; erased by blanking the author and the text and hiding the item.
WALL_RETENTION = 180


def _wall_items(subject: Subject) -> QuerySet[WallItem]:
    match = Q(pk__in=[])
    for handle in subject.network_handles:
        bare = handle.strip().lstrip("@")
        if bare:
            match |= Q(author_handle__iexact=bare) | Q(author_handle__iexact=f"@{bare}")
    for name in subject.names:
        if name.strip():
            match |= Q(author_name__iexact=name.strip())
    questions = Question.objects.filter(participant__in=_participants(subject)).values_list(
        "pk", flat=True
    )
    ids = [f"question:{pk}" for pk in questions]
    if ids:
        match |= Q(source="question", remote_id__in=ids)
    return WallItem.objects.filter(match)


def _erase_wall_items(records: QuerySet[Any]) -> int:
    return int(
        records.update(author_name="", author_handle="", text=ERASED, url="", status="hidden")
    )


register(
    PersonalDataKind(
        key="live.wallitem",
        model=WallItem,
        label=_("Social wall posts"),
        fields=("author_name", "author_handle", "text", "url"),
        find=_wall_items,
        erase=_erase_wall_items,
        retention_days=WALL_RETENTION,
        retention_anchor="created_at",
        notes=_("Copies of public posts and room questions shown on the wall; hidden on erasure."),
        workspace_field="wall__workspace",
    )
)
