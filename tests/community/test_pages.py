"""Attendees' pages in Greek, slides uploaded and downloaded only inside the community,
follow-up posts made through the content app, the demo's community."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from keryx.accounts.access import workspace_access
from keryx.community.domain.demo import demo_community
from keryx.community.models import Community, Material, Thread
from keryx.content.models import Post
from keryx.core.models import OutboxMessage
from tests.community.helpers import community_of, entered, registrant
from tests.web.test_greek_walk import english_on, english_with_greek

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def test_slides_are_uploaded_by_staff_and_downloaded_only_by_members(  # type: ignore[no-untyped-def]
    user, workspace, seminar, owner_client
) -> None:
    community = community_of(user, seminar)
    base = f"/w/{workspace.slug}/community/{seminar.pk}/"
    wrong = owner_client.post(
        f"{base}materials/",
        {"kind": "slides", "title": "Slides", "file": SimpleUploadedFile("a.pdf", b"not a pdf")},
    )
    assert wrong.status_code == 422
    assert "δεν ταιριάζει".encode() in wrong.content or b"does not match" in wrong.content
    assert b'value="Slides"' in wrong.content  # the title is kept
    done = owner_client.post(
        f"{base}materials/",
        {"kind": "slides", "title": "Οι διαφάνειες", "file": SimpleUploadedFile("deck.pdf", PDF)},
    )
    assert done.status_code == 302
    material = Material.objects.get(community=community)
    assert (material.file_name, material.mime, material.bytes) == (
        "deck.pdf",
        "application/pdf",
        len(PDF),
    )
    assert material.file.name != "community/deck.pdf"  # stored under a random name

    url = f"/c/{community.code}/materials/{material.pk}/"
    assert Client().get(url).status_code == 403
    client, _member = entered(community, registrant(seminar, "eleni@example.org"))
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert 'attachment; filename="deck.pdf"' in download["Content-Disposition"]

    link = owner_client.post(
        f"{base}materials/", {"kind": "recording", "title": "Video", "url": "javascript:alert(1)"}
    )
    assert link.status_code == 422 and b"javascript:alert(1)" not in link.content.split(b"<form")[0]


def test_follow_up_post_goes_through_the_content_app(
    user, workspace, seminar, owner_client
) -> None:  # type: ignore[no-untyped-def]
    from keryx.networks.models import NetworkAccount

    account = NetworkAccount.objects.create(
        workspace=workspace, network="mastodon", name="Κέντρο", handle="@kentro@example.social"
    )
    community_of(user, seminar)
    base = f"/w/{workspace.slug}/community/{seminar.pk}/"
    empty = owner_client.post(f"{base}follow-up/", {"text": "  "})
    assert empty.status_code == 422
    no_network = owner_client.post(f"{base}follow-up/", {"text": "Κρατιέται"})
    assert no_network.status_code == 422 and "Κρατιέται".encode() in no_network.content
    made = owner_client.post(
        f"{base}follow-up/",
        {"text": "Ευχαριστούμε! Οι διαφάνειες ανέβηκαν.", "accounts": [str(account.pk)]},
    )
    post = Post.objects.get(seminar=seminar)
    assert list(post.variants.values_list("network", flat=True)) == ["mastodon"]
    assert made.status_code == 302
    assert made["Location"] == f"/w/{workspace.slug}/compose/posts/{post.pk}/"
    assert (post.campaign_phase, post.status, post.author) == ("thank_you", "draft", user)
    page = owner_client.get(base)
    assert "Ευχαριστούμε! Οι διαφάνειες ανέβηκαν.".encode() in page.content


def test_attendee_pages_in_greek_have_no_english(user, seminar) -> None:  # type: ignore[no-untyped-def]
    demo_like = community_of(user, seminar)
    client, member = entered(demo_like, registrant(seminar, "eleni@example.org", name="Ελένη"))
    from keryx.community.domain.threads import reply_add, thread_start

    thread = thread_start(
        community=demo_like, title="Εργαλεία", body="Τι χρησιμοποιείτε;", member=member
    )
    reply_add(thread=thread, body="Ένα λογιστικό φύλλο", member=member)
    catalogue = english_with_greek()
    code = demo_like.code
    pages = [f"/c/{code}/", f"/c/{code}/questions/", f"/c/{code}/threads/{thread.pk}/"]
    blob = "Εργαλεία\nΤι χρησιμοποιείτε;\nΈνα λογιστικό φύλλο\nΕλένη\n" + seminar.title
    for url in pages:
        response = client.get(url, headers={"Accept-Language": "el"})
        assert response.status_code == 200, url
        assert english_on(response.content.decode(), catalogue, blob) == [], url
    outside = Client().get(f"/c/{code}/", headers={"Accept-Language": "el"})
    assert english_on(outside.content.decode(), catalogue, blob) == []
    asked = Client().post(
        f"/c/{code}/link/", {"email": "x@example.org"}, headers={"Accept-Language": "el"}
    )
    assert english_on(asked.content.decode(), catalogue, blob) == []


def test_demo_community_has_material_announcement_and_thread_and_emails_nobody() -> None:
    from keryx.accounts.models import User
    from keryx.accounts.roles import Role
    from keryx.links.domain.demo import demo_audience
    from keryx.seminars.domain.demo import demo_create

    demo = demo_create()
    users = {Role(role): User.objects.get(email=email) for role, email in demo.logins.items()}
    demo_audience(demo.seminar, users)
    before = OutboxMessage.objects.count()
    community = demo_community(demo.seminar, users)
    assert isinstance(community, Community)
    assert community.materials.count() == 2 and community.announcements.count() == 1
    thread = Thread.objects.get(community=community)
    assert thread.replies.count() == 3
    assert OutboxMessage.objects.count() == before
    assert workspace_access(users[Role.OWNER], demo.seminar.workspace)
