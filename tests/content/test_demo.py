"""The demo content the lead's `keryx demo` adds: accounts, library, posts in every state."""

from __future__ import annotations

import pytest
from django.core import mail

from keryx.accounts.models import User
from keryx.accounts.roles import Role
from keryx.content.domain.demo import demo_content
from keryx.content.models import HashtagSet, MediaItem, Post, Template
from keryx.networks.models import NetworkAccount
from keryx.notifications.models import Notification
from keryx.seminars.domain.demo import demo_create

pytestmark = pytest.mark.django_db


def test_demo_content_has_an_account_per_network_and_posts_in_every_state(
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    demo = demo_create()
    users = {Role(role): User.objects.get(email=email) for role, email in demo.logins.items()}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        posts = demo_content(demo.seminar, users)
    # Its workflow is in the app's notifications; nothing is e-mailed to made-up addresses.
    assert Notification.objects.filter(kind="content.review").exists()
    assert mail.outbox == []
    assert sorted(NetworkAccount.objects.values_list("network", flat=True)) == sorted(
        ["x", "bluesky", "mastodon", "threads", "linkedin", "facebook", "instagram"]
    )
    assert [p.status for p in posts] == ["draft", "approved", "in_review", "changes_requested"]
    assert Post.objects.get(pk=posts[1].pk).variants.filter(status="approved").count() == 7
    assert (HashtagSet.objects.count(), Template.objects.count(), MediaItem.objects.count()) == (
        1,
        1,
        2,
    )
    assert posts[2].comments.get().mentions.get().email == users[Role.MANAGER].email
