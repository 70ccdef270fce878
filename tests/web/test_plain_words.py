"""Issue 16, bug 12: no raw or internal text in the Greek UI — times, worker names, network
keys, number agreement."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.content.domain.media import media_upload
from keryx.networks.models import NetworkAccount
from keryx.publishing.models import Attempt
from keryx.seminars.models import Persona
from tests.content.conftest import image_bytes
from tests.publishing.factories import make_account, make_post, make_variant

pytestmark = pytest.mark.django_db


def _greek(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(headers={"Accept-Language": "el"})
    client.force_login(user)
    return client


def test_an_account_checked_a_moment_ago_says_just_now(user, workspace) -> None:
    NetworkAccount.objects.create(
        workspace=workspace, network="mastodon", name="Σεμινάριο", last_checked_at=timezone.now()
    )
    html = _greek(user).get(f"/w/{workspace.slug}/settings/accounts/").content.decode()
    assert "Ελέγχθηκε μόλις τώρα" in html
    assert "0 λεπτά" not in html and "0 minutes" not in html


def test_the_tries_table_shows_no_worker_names_or_request_ids(user, workspace, seminar) -> None:
    account = make_account(workspace, network="mastodon")
    variant = make_variant(make_post(seminar, user), account)
    Attempt.objects.create(
        variant=variant,
        workspace=workspace,
        worker="kx-worker-7@host-3:pid-4412",
        request_id="req-8f2c1a9e",
        started_at=timezone.now(),
        outcome="failed",
        error_message="Ο διακομιστής δεν απάντησε.",
    )
    html = _greek(user).get(f"/w/{workspace.slug}/calendar/variants/{variant.pk}/").content
    text = html.decode()
    assert "Ο διακομιστής δεν απάντησε." in text
    assert "kx-worker-7" not in text and "req-8f2c1a9e" not in text


def test_persona_networks_are_shown_by_name(user, workspace, seminar) -> None:
    Persona.objects.create(
        seminar=seminar, name="Δημοσιογράφοι", preferred_networks=["linkedin", "mastodon"]
    )
    html = _greek(user).get(f"/w/{workspace.slug}/seminars/{seminar.pk}/").content.decode()
    assert "Τους βρίσκετε σε: LinkedIn, Mastodon" in html


def test_media_library_names_networks_by_name(user, workspace) -> None:
    data = image_bytes(1200, 630)
    media_upload(
        access=workspace_access(user, workspace, Perm.CONTENT_EDIT),
        handle=io.BytesIO(data),
        size=len(data),
        name="αίθουσα.jpg",
        alt_text="Η αίθουσα",
    )
    html = _greek(user).get(f"/w/{workspace.slug}/compose/media/").content.decode()
    assert "LinkedIn ✓" in html
    assert "Linkedin" not in html


def test_registration_counts_agree_in_number(user, workspace, seminar) -> None:
    html = (
        _greek(user).get(f"/w/{workspace.slug}/registrations/{seminar.pk}/counts/").content.decode()
    )
    assert "<strong>0</strong> καταγράφηκαν στην είσοδο" in html
    assert "<strong>0</strong> εγγεγραμμένοι" in html
