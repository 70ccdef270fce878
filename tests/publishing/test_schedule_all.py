"""The composer's "schedule every network": the same time, each network's next free slot or
its best time; all or none."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.test import Client

from keryx.accounts.access import workspace_access
from keryx.content.enums import VariantStatus
from keryx.core.errors import ValidationFailed
from keryx.publishing.domain.besttime import best_times
from keryx.publishing.domain.schedule_all import post_schedule_all
from keryx.publishing.domain.slots import slots_replace
from tests.publishing.factories import make_account, make_post, make_variant

pytestmark = pytest.mark.django_db
ATHENS = zoneinfo.ZoneInfo("Europe/Athens")
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=ATHENS)
S = VariantStatus


@pytest.fixture
def post_two_networks(user, workspace, seminar):  # type: ignore[no-untyped-def]
    post = make_post(seminar, user, text="Δύο δίκτυα, μία ώρα")
    variants = [
        make_variant(post, make_account(workspace, network=n, name=f"s_{n}"))
        for n in ("mastodon", "bluesky")
    ]
    return post, variants


def _times(variants):  # type: ignore[no-untyped-def]
    for v in variants:
        v.refresh_from_db()
    return [(v.status, v.scheduled_at) for v in variants]


def test_same_time_for_every_network(user, workspace, post_two_networks) -> None:  # type: ignore[no-untyped-def]
    post, variants = post_two_networks
    at = dt.datetime(2026, 12, 3, 18, 30, tzinfo=ATHENS)
    with time_machine.travel(NOW, tick=False):
        done = post_schedule_all(
            access=workspace_access(user, workspace), post_id=post.pk, mode="same_time", when=at
        )
    assert len(done) == 2
    assert _times(variants) == [(S.SCHEDULED, at), (S.SCHEDULED, at)]


def test_each_network_at_its_next_free_slot(user, workspace, post_two_networks) -> None:  # type: ignore[no-untyped-def]
    post, variants = post_two_networks
    access = workspace_access(user, workspace)
    slots_replace(
        access=access,
        account=variants[0].account,
        slots=[(2, dt.time(10, 0))],  # Wednesdays 10:00
        time_zone="Europe/Athens",
    )
    slots_replace(
        access=access,
        account=variants[1].account,
        slots=[(4, dt.time(12, 0))],  # Fridays 12:00
        time_zone="Europe/Athens",
    )
    with time_machine.travel(NOW, tick=False):
        post_schedule_all(access=access, post_id=post.pk, mode="next_slot")
    assert _times(variants) == [
        (S.SCHEDULED, dt.datetime(2026, 12, 2, 10, 0, tzinfo=ATHENS)),
        (S.SCHEDULED, dt.datetime(2026, 12, 4, 12, 0, tzinfo=ATHENS)),
    ]


def test_each_network_at_its_best_time(user, workspace, post_two_networks) -> None:  # type: ignore[no-untyped-def]
    post, variants = post_two_networks
    with time_machine.travel(NOW, tick=False):
        expected = [best_times(v.account).suggestions[0] for v in variants]
        post_schedule_all(
            access=workspace_access(user, workspace), post_id=post.pk, mode="best_time"
        )
    assert _times(variants) == [(S.SCHEDULED, expected[0]), (S.SCHEDULED, expected[1])]


def test_a_problem_with_one_network_schedules_none_and_names_it(
    user, workspace, post_two_networks
) -> None:  # type: ignore[no-untyped-def]
    post, variants = post_two_networks
    access = workspace_access(user, workspace)
    slots_replace(
        access=access,
        account=variants[1].account,
        slots=[(4, dt.time(12, 0))],
        time_zone="Europe/Athens",
    )
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationFailed) as caught:
        post_schedule_all(access=access, post_id=post.pk, mode="next_slot")
    assert caught.value.message.startswith("Mastodon: ")
    assert _times(variants) == [(S.APPROVED, None), (S.APPROVED, None)]


def test_the_composer_form_schedules_all_and_comes_back(
    user, workspace, seminar, post_two_networks
) -> None:  # type: ignore[no-untyped-def]
    post, variants = post_two_networks
    client = Client()
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            f"/w/{workspace.slug}/calendar/posts/{post.pk}/schedule-all/",
            {"mode": "same_time", "scheduled_at": "2026-12-05T11:00"},
        )
    assert response["Location"] == f"/w/{workspace.slug}/compose/posts/{post.pk}/#publishing"
    at = dt.datetime(2026, 12, 5, 11, 0, tzinfo=ATHENS)
    assert _times(variants) == [(S.SCHEDULED, at), (S.SCHEDULED, at)]
