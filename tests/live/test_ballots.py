"""One batch of the group commit, decided and stored at once (``ballots_commit``): every rule
of a single vote holds when the votes that meet it arrive together, against answers stored
by earlier batches. On PostgreSQL this walks the pipelined path (two round trips, server-side
binding, arrays); on SQLite the statement-by-statement one."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DataError, connection

from keryx.live.domain.ballots import Ballot, ballots_commit
from keryx.live.domain.polls import poll_set_status
from keryx.live.models import Participant, Poll, Vote
from tests.conftest import services_or_skip
from tests.live.test_fast_votes import _poll

pytestmark = pytest.mark.django_db(transaction=True)


def _options(poll: Poll) -> list[int]:
    return list(poll.options.order_by("pk").values_list("pk", flat=True))


def test_one_batch_keeps_every_rule_against_earlier_answers(room, access, seminar) -> None:  # type: ignore[no-untyped-def]
    single, quiz, multiple = (_poll(access, room, k) for k in ("single", "quiz", "multiple"))
    rating, cloud = _poll(access, room, "rating"), _poll(access, room, "cloud")
    closed = _poll(access, room, "single")
    poll_set_status(access=access, poll=closed, action="close")
    s1, s2, _ = _options(single)
    q1, q2, _ = _options(quiz)
    m1, m2, m3 = _options(multiple)
    ann, bob, eve = (Participant.objects.create(seminar=seminar) for _ in range(3))

    def ballot(poll: Poll, who: Participant, **answer: Any) -> Ballot:
        return Ballot(room.code, poll.pk, who.key, seminar.pk, **answer)

    # An earlier batch: Ann answered the single-choice poll, the quiz and one option.
    first, _ = ballots_commit(
        [
            ballot(single, ann, options=(s1,)),
            ballot(quiz, ann, options=(q1,)),
            ballot(multiple, ann, options=(m1,)),
        ]
    )
    assert [o.code for o in first] == ["counted"] * 3

    outcomes, changed = ballots_commit(
        [
            ballot(single, ann, options=(s2,)),  # replaces her answer: not a new voter
            ballot(single, bob, options=(s1,)),
            ballot(single, bob, options=(s2,)),  # the same batch: the last answer wins
            ballot(quiz, ann, options=(q2,)),  # a quiz keeps the first answer
            ballot(quiz, bob, options=(q2,)),
            ballot(quiz, bob, options=(q1,)),  # twice in one batch: the second is refused
            ballot(multiple, ann, options=(m1, m2)),  # m1 was counted before
            ballot(multiple, bob, options=(m3, m3, m2)),  # each option once
            ballot(rating, eve, value=9),
            ballot(rating, eve, value=4),
            ballot(cloud, eve, text="  Σεμινάριο   καλό "),
            ballot(closed, eve, options=(_options(closed)[0],)),
            Ballot("ZZZZZZ", single.pk, eve.key, seminar.pk, (s1,)),  # another room's code
            Ballot(room.code, single.pk, "no-such-key", seminar.pk, (s1,)),
            ballot(single, eve, options=(q1,)),  # another poll's option
        ]
    )
    assert [(o.status, o.code, o.counted) for o in outcomes] == [
        (200, "counted", 0),
        (200, "counted", 1),
        (200, "counted", 0),
        (409, "quiz_answered", 0),
        (200, "counted", 1),
        (409, "quiz_answered", 0),
        (200, "counted", 1),
        (200, "counted", 2),
        (422, "invalid", 0),
        (200, "counted", 1),
        (200, "counted", 1),
        (409, "closed", 0),
        (404, "not_found", 0),
        (404, "not_found", 0),
        (422, "invalid", 0),
    ]
    assert changed == {single.pk, quiz.pk, multiple.pk, rating.pk, cloud.pk}

    def stored(poll: Poll) -> set[tuple[Any, ...]]:
        return set(
            Vote.objects.filter(poll=poll).values_list(
                "participant__key", "option_id", "value", "text"
            )
        )

    assert stored(single) == {(ann.key, s2, None, ""), (bob.key, s2, None, "")}
    assert stored(quiz) == {(ann.key, q1, None, ""), (bob.key, q2, None, "")}
    assert stored(multiple) == {
        (ann.key, m1, None, ""),
        (ann.key, m2, None, ""),
        (bob.key, m2, None, ""),
        (bob.key, m3, None, ""),
    }
    assert stored(rating) == {(eve.key, None, 4, "")}
    assert stored(cloud) == {(eve.key, None, None, "Σεμινάριο καλό")}
    assert not Vote.objects.filter(poll=closed).exists()


def test_a_failed_batch_stores_nothing_and_the_next_one_goes_through(  # type: ignore[no-untyped-def]
    room, access, seminar, monkeypatch
) -> None:
    """The pipelined path opens and ends its transaction itself: a batch the server refuses
    must roll back, leaving the connection usable for the next batch."""
    services_or_skip()  # the pipelined path is PostgreSQL's: the services suite runs it
    assert connection.vendor == "postgresql"
    from keryx.live.domain import ballots

    poll = _poll(access, room, "text")
    who = Participant.objects.create(seminar=seminar)
    # Past our own 200-character rule, into the column's 300: the server refuses the batch.
    monkeypatch.setattr(ballots, "MAX_TEXT", 5000)
    with pytest.raises(DataError):
        ballots_commit([Ballot(room.code, poll.pk, who.key, seminar.pk, text="x" * 400)])
    assert not Vote.objects.filter(poll=poll).exists()
    outcomes, _ = ballots_commit([Ballot(room.code, poll.pk, who.key, seminar.pk, text="Καλό")])
    assert [o.code for o in outcomes] == ["counted"]
    assert list(Vote.objects.filter(poll=poll).values_list("text", flat=True)) == ["Καλό"]
