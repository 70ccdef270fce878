"""A registrant who came through a ticket link and rates the session counts in the funnel's
rating step, on the row of the link that brought them."""

from __future__ import annotations

import pytest

from keryx.links.funnel import funnel_of
from keryx.live.domain.participants import participant_join
from keryx.live.domain.polls import poll_create, poll_set_status, poll_vote

pytestmark = pytest.mark.django_db


def test_rating_by_a_registrant_counts_once_in_the_funnel(room, access) -> None:  # type: ignore[no-untyped-def]
    from keryx.registrations.domain.tokens import manage_token_make
    from keryx.registrations.models import Registration

    rated = Registration.objects.create(
        seminar=room.seminar, name="Άννα", email="anna@example.org", language="el"
    )
    Registration.objects.create(
        seminar=room.seminar, name="Νίκος", email="n@example.org", language="el"
    )
    poll = poll_create(access=access, room=room, kind="rating", question="Βαθμολογία;")
    poll = poll_set_status(access=access, poll=poll, action="launch")
    anna = participant_join(seminar=room.seminar, ticket=manage_token_make(rated.public_id))
    poll_vote(poll=poll, participant=anna, value=5)
    poll_vote(poll=poll, participant=anna, value=4)  # changed her mind: still one rating
    poll_vote(poll=poll, participant=participant_join(seminar=room.seminar), value=3)  # anonymous
    funnel = funnel_of(access, room.seminar)
    assert (funnel.total.registrations, funnel.total.ratings) == (2, 1)
    assert [(r.key, r.ratings) for r in funnel.networks] == [("none", 1)]
