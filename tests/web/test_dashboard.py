"""The home dashboard: today and this week, approvals waiting for me, what failed, the next
seminar against its registration target, unread notifications; scoped to workspace and role."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from keryx.accounts.access import workspace_access
from keryx.content.enums import PostStatus, VariantStatus
from keryx.notifications.domain.notify import notify
from keryx.seminars.models import KpiTarget
from keryx.web.dashboard import dashboard_for
from tests.factories import make_member, make_workspace
from tests.publishing.factories import make_account, make_post, make_variant

pytestmark = pytest.mark.django_db
ATHENS = zoneinfo.ZoneInfo("Europe/Athens")
S = VariantStatus
NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=ATHENS)


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=ATHENS)


@pytest.fixture
def board_data(user, workspace, seminar):  # type: ignore[no-untyped-def]
    account = make_account(workspace, network="mastodon", name="seminars")
    editor = make_member(workspace, "editor", email="sofia@example.org")
    posts = {
        "today": make_variant(
            make_post(seminar, user, text="Σήμερα στις έξι"),
            account,
            status=S.SCHEDULED,
            scheduled_at=_at(7, 18),
        ),
        "late_today": make_variant(
            make_post(seminar, user, text="Λίγο πριν τα μεσάνυχτα"),
            account,
            status=S.SCHEDULED,
            scheduled_at=_at(7, 23, 45),
        ),
        "week": make_variant(
            make_post(seminar, user, text="Την Πέμπτη"),
            account,
            status=S.SCHEDULED,
            scheduled_at=_at(10, 10),
        ),
        "next_week": make_variant(
            make_post(seminar, user, text="Σε δέκα μέρες"),
            account,
            status=S.SCHEDULED,
            scheduled_at=_at(17, 10),
        ),
        "failed": make_variant(
            make_post(seminar, user, text="Δεν βγήκε"),
            account,
            status=S.FAILED,
            scheduled_at=_at(6, 10),
            error_message="Το Mastodon αρνήθηκε το κείμενο.",
        ),
    }
    review = make_post(seminar, editor, text="Περιμένει έγκριση", status=PostStatus.IN_REVIEW)
    KpiTarget.objects.create(seminar=seminar, metric="registrations", target=Decimal("80"))
    notify(
        recipients=[user],
        kind="test",
        title="Νέα εγγραφή",
        workspace=workspace,
        send_email=False,
    )
    return posts, review


def test_the_dashboard_sorts_the_week_into_today_and_later(user, workspace, board_data) -> None:  # type: ignore[no-untyped-def]
    posts, review = board_data
    with time_machine.travel(NOW, tick=False):
        board = dashboard_for(workspace_access(user, workspace))
    assert [v.pk for v in board.today] == [posts["today"].pk, posts["late_today"].pk]
    assert [v.pk for v in board.later_this_week] == [posts["week"].pk]
    assert [v.pk for v in board.in_trouble] == [posts["failed"].pk]
    assert [p.pk for p in board.waiting_for_me] == [review.pk]
    assert board.next_seminar is not None
    assert (board.next_seminar.counts.registered, board.next_seminar.target) == (0, Decimal("80"))
    assert board.next_seminar.percent == 0
    assert [n.title for n in board.unread] == ["Νέα εγγραφή"]


def test_the_home_page_shows_the_dashboard(user, workspace, board_data) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        assert client.get("/")["Location"] == f"/w/{workspace.slug}/"
        page = client.get(f"/w/{workspace.slug}/").content.decode()
    assert "Σήμερα στις έξι" in page and "Την Πέμπτη" in page
    assert "Σε δέκα μέρες" not in page
    assert "Το Mastodon αρνήθηκε το κείμενο." in page
    assert "Περιμένει έγκριση" in page
    assert "0 registrations of a target of 80" in page
    assert "Νέα εγγραφή" in page


def test_a_viewer_sees_no_approvals_and_another_workspace_sees_nothing(
    user, workspace, board_data
) -> None:  # type: ignore[no-untyped-def]
    viewer = make_member(workspace, "viewer", email="viewer@example.org")
    with time_machine.travel(NOW, tick=False):
        board = dashboard_for(workspace_access(viewer, workspace))
        assert board.waiting_for_me == [] and not board.can_approve
        assert len(board.today) == 2
        other = dashboard_for(workspace_access(user, make_workspace(owner=user, name="Άλλη")))
    assert (other.today, other.in_trouble, other.waiting_for_me, other.unread) == ([], [], [], [])
    assert other.next_seminar is None
