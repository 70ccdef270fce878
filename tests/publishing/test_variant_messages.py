"""Issue 16, bugs 7 and 8: the variant page's messages are in the reader's language and say
what really happens (held during a pause); an account without keys refuses at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.content.enums import VariantStatus
from keryx.publishing.domain import pause
from keryx.publishing.models import Attempt, Dispatch
from tests.publishing.factories import make_account, make_post, make_variant

pytestmark = pytest.mark.django_db
S = VariantStatus


def _client(user, language: str) -> Client:  # type: ignore[no-untyped-def]
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]]


def _url(workspace, variant) -> str:  # type: ignore[no-untyped-def]
    return f"/w/{workspace.slug}/calendar/variants/{variant.pk}/"


def test_unschedule_message_is_in_the_readers_language(workspace, user, seminar) -> None:
    account = make_account(workspace, network="mastodon")
    later = timezone.now() + dt.timedelta(days=3)
    variant = make_variant(
        make_post(seminar, user), account, status=S.SCHEDULED, scheduled_at=later
    )
    response = _client(user, "el").post(
        _url(workspace, variant) + "act/", {"action": "unschedule"}, follow=True
    )
    assert _messages(response) == ["Βγήκε από το πρόγραμμα· παραμένει εγκεκριμένη."]


def test_publish_now_during_a_pause_says_the_post_is_held(
    workspace, user, seminar, django_capture_on_commit_callbacks
) -> None:
    account = make_account(workspace, network="mastodon")
    variant = make_variant(make_post(seminar, user), account)
    pause.pause_start(
        access=workspace_access(user, workspace, Perm.PUBLISH_PAUSE), reason="Θλιβερά νέα"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(user, "en").post(
            _url(workspace, variant) + "act/", {"action": "share_now"}, follow=True
        )
    assert _messages(response) == [
        "Publishing is paused, so this post is held: it goes out when publishing resumes, "
        "unless you decide otherwise then."
    ]
    assert "Sent for publishing now" not in response.content.decode()


def test_an_account_without_keys_refuses_publish_now_at_once(workspace, user, seminar) -> None:
    demo = make_account(workspace, network="mastodon", name="demo")
    demo.credentials, demo.remote_id = {}, ""
    demo.save()
    variant = make_variant(make_post(seminar, user), demo)
    response = _client(user, "en").post(
        _url(workspace, variant) + "act/", {"action": "share_now"}, follow=True
    )
    text = response.content.decode()
    assert "“Mastodon: @demo” is not linked to a real account" in text
    assert "Settings → Networks" in text and "Reconnect" in text
    assert "retry" not in text.lower()
    variant.refresh_from_db()
    assert variant.status == S.APPROVED
    assert not Dispatch.objects.filter(pk=variant.pk).exists()
    assert not Attempt.objects.filter(variant=variant).exists()


def test_an_account_without_keys_refuses_scheduling(workspace, user, seminar) -> None:
    demo = make_account(workspace, network="mastodon", name="demo")
    demo.credentials, demo.remote_id = {}, ""
    demo.save()
    variant = make_variant(make_post(seminar, user), demo)
    when = (timezone.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = _client(user, "el").post(
        _url(workspace, variant) + "act/", {"action": "schedule", "scheduled_at": when}
    )
    assert response.status_code == 422
    assert "δεν είναι συνδεδεμένος" in response.content.decode()
    variant.refresh_from_db()
    assert variant.status == S.APPROVED and variant.scheduled_at is None
