"""Votes in batches: the group commit behind the vote fast path (``keryx.live.fastpath``).

:func:`ballots_commit` stores many participants' votes in **one** transaction with the same
rules as :func:`keryx.live.domain.polls.poll_vote` — a vote on a closed poll or in an archived
room is refused, an answer replaces the participant's previous one (single choice, rating,
word cloud, open text), a quiz keeps the first answer, multiple choice counts each option
once — and returns one :class:`Outcome` per ballot. It reads the participants, polls, options
and existing votes of the whole batch with one query each, then writes with one upsert per
kind of poll: a batch of 500 votes costs about what one vote did through Django.

Nothing is acknowledged before its transaction commits: if the commit fails, every ballot of
the batch gets a 503 and its voter's phone may send it again (votes are idempotent).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.live.enums import CHOICE_KINDS, PollKind, PollStatus
from keryx.live.models import Participant, Poll, PollOption, Room, Vote

MAX_TEXT = 200


@dataclass(slots=True)
class Ballot:
    """One vote as the fast path read it off the request (already authenticated)."""

    code: str  # the room code in the address
    poll_id: int
    participant_key: str
    seminar_id: int  # the seminar whose signed cookie carried the key
    options: tuple[int, ...] = ()
    value: int | None = None
    text: str = ""


@dataclass(slots=True)
class Outcome:
    """What to answer: an HTTP status, a machine code and the facts to word the message."""

    status: int
    code: str  # "counted", "not_found", "closed", "archived", "quiz_answered", "invalid"
    counted: int = 0
    poll_id: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        """The translated sentence for the participant (call inside the right language)."""
        if self.code == "counted":
            return _("Thank you! Your answer is counted.")
        if self.code == "not_found":
            return _("Open the room's page first.")
        if self.code == "closed":
            return _("This poll is closed.")
        if self.code == "archived":
            return _("This room is closed: the session is over.")
        if self.code == "quiz_answered":
            return _("You have answered this quiz question already.")
        reason = self.detail.get("reason")
        if reason == "option":
            return _("Choose an option.")
        if reason == "rating":
            return _("Choose a rating from 1 to 5.")
        if reason == "empty":
            return _("Write your answer first.")
        if reason == "long":
            return _("An answer may be at most %(limit)d characters long.") % {"limit": MAX_TEXT}
        return _("This answer is not valid.")


@dataclass(slots=True)
class _PollFacts:
    id: int
    kind: str
    status: str
    code: str
    seminar_id: int
    archived: bool
    options: set[int]


def _rows(sql: str, *groups: Iterable[Any]) -> list[tuple[Any, ...]]:
    """Run ``sql`` with each ``{}`` replaced by a list of placeholders for one group of
    values: plain SQL for the batch's reads (the ORM's query building cost more per batch
    than the queries did)."""
    lists = [list(group) for group in groups]
    marks = [", ".join(["%s"] * len(values)) for values in lists]
    with connection.cursor() as cursor:
        cursor.execute(sql.format(*marks), [v for values in lists for v in values])
        return list(cursor.fetchall())


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _polls(ids: Iterable[int]) -> dict[int, _PollFacts]:
    ids = list(set(ids))
    lock = ""
    if connection.vendor == "postgresql":
        # Closing a poll takes it FOR UPDATE: a batch holding it FOR SHARE is either wholly
        # before the close (counted) or wholly after (refused), never half.
        lock = " FOR SHARE OF p"
    poll, room, option = _table(Poll), _table(Room), _table(PollOption)
    facts = {
        row[0]: _PollFacts(row[0], row[1], row[2], row[3], row[4], row[5] is not None, set())
        for row in _rows(
            f"SELECT p.id, p.kind, p.status, r.code, r.seminar_id, r.archived_at "  # noqa: S608
            f"FROM {poll} p JOIN {room} r ON r.id = p.room_id WHERE p.id IN ({{}}){lock}",
            ids,
        )
    }
    for poll_id, option_id in _rows(
        f"SELECT poll_id, id FROM {option} WHERE poll_id IN ({{}})",  # noqa: S608
        ids,
    ):
        facts[poll_id].options.add(option_id)
    return facts


def _check(
    ballot: Ballot, poll: _PollFacts | None, participant: tuple[int, int] | None
) -> Outcome | None:
    """The refusal for ``ballot``, or ``None`` if it may be stored."""
    if (
        poll is None
        or participant is None
        or poll.code != ballot.code
        or participant[1] != poll.seminar_id
        or ballot.seminar_id != poll.seminar_id
    ):
        return Outcome(404, "not_found")
    if poll.status != PollStatus.OPEN:
        return Outcome(409, "closed", poll_id=poll.id)
    if poll.archived:
        return Outcome(409, "archived", poll_id=poll.id)
    if poll.kind in CHOICE_KINDS:
        chosen = [o for o in dict.fromkeys(ballot.options) if o in poll.options]
        if not chosen:
            return Outcome(422, "invalid", detail={"reason": "option"})
        ballot.options = tuple(chosen if poll.kind == PollKind.MULTIPLE else chosen[:1])
    elif poll.kind == PollKind.RATING:
        if ballot.value is None or not 1 <= ballot.value <= 5:
            return Outcome(422, "invalid", detail={"reason": "rating"})
    else:
        ballot.text = " ".join(ballot.text.split())
        if not ballot.text:
            return Outcome(422, "invalid", detail={"reason": "empty"})
        if len(ballot.text) > MAX_TEXT:
            return Outcome(422, "invalid", detail={"reason": "long"})
    return None


def ballots_commit(ballots: Sequence[Ballot]) -> tuple[list[Outcome], set[int]]:
    """Store ``ballots`` in one transaction; returns an outcome per ballot (same order) and
    the ids of the polls that changed (their results are then pushed, coalesced)."""
    outcomes: list[Outcome | None] = [None] * len(ballots)
    changed: set[int] = set()
    with transaction.atomic():
        polls = _polls(b.poll_id for b in ballots)
        participants = {
            key: (pk, seminar_id)
            for key, pk, seminar_id in _rows(
                f"SELECT key, id, seminar_id FROM {_table(Participant)} "  # noqa: S608
                "WHERE key IN ({})",
                {b.participant_key for b in ballots},
            )
        }
        accepted: list[tuple[int, Ballot, int]] = []  # (index, ballot, participant id)
        for i, ballot in enumerate(ballots):
            who = participants.get(ballot.participant_key)
            refusal = _check(ballot, polls.get(ballot.poll_id), who)
            if refusal is not None:
                outcomes[i] = refusal
            else:
                assert who is not None
                accepted.append((i, ballot, who[0]))
        if accepted:
            existing: set[tuple[int, int, int]] = {
                (int(a), int(b), int(c))
                for a, b, c in _rows(
                    f"SELECT poll_id, participant_id, slot FROM {_table(Vote)} "  # noqa: S608
                    "WHERE poll_id IN ({}) AND participant_id IN ({})",
                    {b.poll_id for _, b, _ in accepted},
                    {p for _, _, p in accepted},
                )
            }
            upserts: dict[tuple[int, int], _Row] = {}  # replacing kinds: the last answer wins
            inserts: list[_Row] = []  # quiz and multiple choice: never replaced
            for i, ballot, participant_id in accepted:
                poll = polls[ballot.poll_id]
                pair = (poll.id, participant_id)
                if poll.kind == PollKind.MULTIPLE:
                    added = 0
                    for option in ballot.options:
                        slot = (poll.id, participant_id, option)
                        if slot not in existing:
                            existing.add(slot)
                            inserts.append(_row(poll, participant_id, ballot, option, option))
                            added += 1
                    outcomes[i] = Outcome(200, "counted", counted=added, poll_id=poll.id)
                elif poll.kind == PollKind.QUIZ:
                    if (*pair, 0) in existing:
                        outcomes[i] = Outcome(409, "quiz_answered", poll_id=poll.id)
                        continue
                    existing.add((*pair, 0))
                    inserts.append(_row(poll, participant_id, ballot, _first(ballot), 0))
                    outcomes[i] = Outcome(200, "counted", counted=1, poll_id=poll.id)
                else:
                    new = (*pair, 0) not in existing
                    existing.add((*pair, 0))
                    upserts[pair] = _row(poll, participant_id, ballot, _first(ballot), 0)
                    outcomes[i] = Outcome(200, "counted", counted=int(new), poll_id=poll.id)
                changed.add(poll.id)
            _store(inserts, replace=False)
            _store(list(upserts.values()), replace=True)
        if changed:
            from keryx.live.events import poll_changed_by_id

            for poll_id in changed:
                poll_changed_by_id(poll_id)  # sent after the commit, coalesced
    return [o for o in outcomes if o is not None], changed


def _first(ballot: Ballot) -> int | None:
    return ballot.options[0] if ballot.options else None


_Row = tuple[int, int, int | None, int | None, str, int, Any]


def _row(
    poll: _PollFacts, participant_id: int, ballot: Ballot, option: int | None, slot: int
) -> _Row:
    """``(poll, participant, option, value, text, slot, created_at)`` of a ``Vote`` row."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    if poll.kind in CHOICE_KINDS:
        return (poll.id, participant_id, option, None, "", slot, now)
    if poll.kind == PollKind.RATING:
        return (poll.id, participant_id, None, ballot.value, "", slot, now)
    return (poll.id, participant_id, None, None, ballot.text, slot, now)


def _store(rows: list[_Row], *, replace: bool) -> None:
    """One ``INSERT … ON CONFLICT`` for many rows (SQLite and PostgreSQL speak it alike):
    building a model instance per vote would cost more than the database does."""
    if not rows:
        return
    table = connection.ops.quote_name(Vote._meta.db_table)
    conflict = (
        "ON CONFLICT (poll_id, participant_id, slot) DO UPDATE SET option_id = "
        "excluded.option_id, value = excluded.value, text = excluded.text"
        if replace
        else "ON CONFLICT DO NOTHING"
    )
    sql = (
        f"INSERT INTO {table} (poll_id, participant_id, option_id, value, text, slot, "  # noqa: S608 - names from the model
        f"created_at) VALUES (%s, %s, %s, %s, %s, %s, %s) {conflict}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
