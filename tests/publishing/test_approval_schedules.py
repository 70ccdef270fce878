"""Approving a post that carries planned times puts those times on the schedule; a quota
problem or a passed time leaves the post approved and tells the approver what to do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.content.domain.review import post_approve
from keryx.content.enums import PostStatus, VariantStatus
from keryx.networks.models import NetworkAccount
from keryx.notifications.models import Notification
from keryx.publishing.models import Dispatch
from tests.factories import make_member
from tests.publishing.factories import make_account, make_post, make_variant

pytestmark = pytest.mark.django_db

S = VariantStatus


@pytest.fixture
def approver(workspace):  # type: ignore[no-untyped-def]
    user = make_member(workspace, "manager", email="approver@example.org")
    return workspace_access(user, workspace, Perm.CONTENT_APPROVE)


def _in_review(seminar, author, account, *times):  # type: ignore[no-untyped-def]
    post = make_post(seminar, author, status=PostStatus.IN_REVIEW, text="Έλα στο σεμινάριο!")
    variants = [make_variant(post, account, status=S.IN_REVIEW, scheduled_at=t) for t in times]
    return post, variants


def test_approval_schedules_the_planned_times(seminar, user, workspace, approver) -> None:  # type: ignore[no-untyped-def]
    account = make_account(workspace, network="mastodon", name="keryx")
    soon = timezone.now() + dt.timedelta(days=2)
    post, (variant,) = _in_review(seminar, user, account, soon)
    post_approve(access=approver, post=post)
    variant.refresh_from_db()
    assert (variant.status, variant.scheduled_at) == (S.SCHEDULED, soon)
    assert Dispatch.objects.filter(variant=variant).exists()


def test_an_unlinked_account_is_not_scheduled_and_the_approver_is_told_how_to_link_it(
    seminar, user, workspace, approver
) -> None:  # type: ignore[no-untyped-def]
    """Issue 16, bug 8, through approval: an account without keys (the demo's) is never put on
    the schedule, so nothing is attempted and nothing promises a retry."""
    linked = make_account(workspace, network="mastodon", name="keryx")
    demo = NetworkAccount.objects.create(
        workspace=workspace, network="bluesky", name="Demo", handle="@demo.bsky.social"
    )
    soon = timezone.now() + dt.timedelta(days=2)
    post = make_post(seminar, user, status=PostStatus.IN_REVIEW, text="Έλα στο σεμινάριο!")
    ready = make_variant(post, linked, status=S.IN_REVIEW, scheduled_at=soon)
    held = make_variant(post, demo, status=S.IN_REVIEW, scheduled_at=soon)
    post_approve(access=approver, post=post)
    ready.refresh_from_db()
    held.refresh_from_db()
    assert ready.status == S.SCHEDULED
    assert held.status == S.APPROVED
    assert not Dispatch.objects.filter(variant=held).exists()
    notice = Notification.objects.get(kind="publishing.planned_unlinked")
    assert notice.recipient == approver.user
    assert "@demo.bsky.social" in notice.texts["en"][1] and "Reconnect" in notice.texts["en"][1]


def test_a_passed_time_stays_approved_and_the_approver_is_told(
    seminar, user, workspace, approver
) -> None:  # type: ignore[no-untyped-def]
    account = make_account(workspace, network="mastodon", name="keryx")
    passed = timezone.now() - dt.timedelta(hours=1)
    post, (variant,) = _in_review(seminar, user, account, passed)
    post_approve(access=approver, post=post)
    variant.refresh_from_db()
    assert variant.status == S.APPROVED
    notice = Notification.objects.get(kind="publishing.planned_passed")
    assert notice.recipient == approver.user
    # In the approver's language (the workspace's, Greek), and kept in English too for when
    # they read it with the interface in English (issue 16, bug 10).
    assert notice.body.startswith("1 παραλλαγή της εγκεκριμένης ανάρτησης είχε")
    assert notice.texts["en"][1].startswith("1 variant of the approved post had a planned time")


def test_a_quota_problem_keeps_the_approval_and_schedules_nothing(
    seminar, user, workspace, approver, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_PUBLISHING = {**settings.KERYX_PUBLISHING, "LIMITS": {"mastodon": {"quota": 1}}}
    account = make_account(workspace, network="mastodon", name="keryx")
    soon = timezone.now() + dt.timedelta(days=2)
    already = make_post(seminar, user)  # the account's one post of that day
    make_variant(already, account, status=S.SCHEDULED, scheduled_at=soon)
    post, (variant,) = _in_review(seminar, user, account, soon + dt.timedelta(minutes=5))
    post_approve(access=approver, post=post)
    post.refresh_from_db()
    variant.refresh_from_db()
    assert post.status == PostStatus.APPROVED
    assert variant.status == S.APPROVED
    notice = Notification.objects.get(kind="publishing.planned_refused")
    assert "allows 1" in notice.body
    assert not Dispatch.objects.filter(variant=variant).exists()
