"""The community end to end: a magic link in, an announcement e-mailed through the outbox
(a real SMTP server), a reply, a moderator hiding it, unsubscribe honoured; roles and scoping,
locked threads, expired and withdrawn links, the checked-in-only setting."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.community.domain.announcements import announcement_post
from keryx.community.domain.members import link_url, member_for, member_remove
from keryx.community.domain.spaces import community_update
from keryx.community.domain.threads import thread_moderate, thread_start
from keryx.community.models import Reply, Thread
from keryx.core.models import OutboxMessage
from tests.community.helpers import community_of, entered, link_path, registrant
from tests.factories import make_seminar, make_user, make_workspace

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def test_magic_link_announcement_reply_moderation_and_unsubscribe(  # type: ignore[no-untyped-def]
    user, workspace, seminar, member, smtp_sink
) -> None:
    community = community_of(user, seminar)
    maria = registrant(seminar, "maria@example.org", language="el", name="Μαρία")
    registrant(seminar, "john@example.org", language="en", name="John")
    registrant(seminar, "gone@example.org").__class__.objects.filter(
        email="gone@example.org"
    ).update(status="cancelled")

    # Maria asks for her link on the community's page and follows it from the e-mail
    visitor = Client()
    page = visitor.get(f"/c/{community.code}/")
    assert page.status_code == 200 and b'id="link-request"' in page.content
    asked = visitor.post(f"/c/{community.code}/link/", {"email": "MARIA@example.org "})
    assert asked.status_code == 200
    [mail] = smtp_sink.wait_for(1)
    assert mail["To"] == "maria@example.org"
    entry = visitor.get(link_path(smtp_sink.body(mail)))
    assert entry.status_code == 302
    cookie = entry.cookies["kx_community"]
    assert cookie["path"] == f"/c/{community.code}/" and cookie["httponly"]
    home = visitor.get(f"/c/{community.code}/")
    assert home.status_code == 200 and "Μαρία".encode() in home.content

    # the team announces; each registrant gets it in their language, with unsubscribe
    access = workspace_access(user, workspace)
    first = announcement_post(
        access=access, community=community, title="Slides <b>online</b>", body="See materials."
    )
    assert first.emailed == 2
    mails = smtp_sink.wait_for(3)[1:]
    by_to = {m["To"]: m for m in mails}
    assert set(by_to) == {"maria@example.org", "john@example.org"}
    john_mail = by_to["john@example.org"]
    assert john_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.search(r"<([^>]+)>", john_mail["List-Unsubscribe"])
    assert unsubscribe is not None
    assert "Read it in the community" in smtp_sink.body(john_mail)
    assert "Διαβάστε την στην κοινότητα" in smtp_sink.body(by_to["maria@example.org"])
    assert "/unsubscribe/" in smtp_sink.body(john_mail)
    shown = visitor.get(f"/c/{community.code}/")
    assert b"Slides &lt;b&gt;online&lt;/b&gt;" in shown.content  # escaped

    # Maria starts a thread; John (by his link from the announcement) replies
    started = visitor.post(
        f"/c/{community.code}/threads/",
        {"title": "Tools?", "body": "What do you use? <script>alert(1)</script>"},
    )
    thread = Thread.objects.get(community=community)
    assert started.status_code == 302 and thread.member == member_for(community, maria)
    john = Client()
    assert john.get(link_path(smtp_sink.body(john_mail))).status_code == 302
    replied = john.post(f"/c/{community.code}/threads/{thread.pk}/", {"body": "A spreadsheet"})
    assert replied.status_code == 302
    reply = Reply.objects.get(thread=thread)
    page = visitor.get(f"/c/{community.code}/threads/{thread.pk}/")
    assert b"A spreadsheet" in page.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page.content

    # a moderator hides the reply from the staff page; attendees no longer see it
    moderator = Client()
    moderator.force_login(member("moderator", "mod@example.org"))
    base = f"/w/{workspace.slug}/community/{seminar.pk}/"
    assert moderator.get(f"{base}threads/{thread.pk}/").status_code == 200
    hidden = moderator.post(f"{base}replies/{reply.pk}/hide/", {"action": "hide"})
    assert hidden.status_code == 302
    reply.refresh_from_db()
    assert reply.hidden
    assert b"A spreadsheet" not in visitor.get(f"/c/{community.code}/threads/{thread.pk}/").content

    # John unsubscribes through the one-click header; the next announcement skips him
    path = unsubscribe.group(1).split("://", 1)[1].split("/", 1)[1]
    assert Client().post(f"/{path}", {"List-Unsubscribe": "One-Click"}).status_code == 200
    second = announcement_post(access=access, community=community, title="Again", body="Hi")
    assert second.emailed == 1
    smtp_sink.wait_for(4)
    statuses = dict(
        OutboxMessage.objects.filter(ref=f"announcement:{second.pk}").values_list(
            "to_email", "status"
        )
    )
    assert statuses == {"maria@example.org": "sent", "john@example.org": "unsubscribed"}
    assert [m["To"] for m in smtp_sink.messages[3:]] == ["maria@example.org"]


def test_locked_thread_refuses_replies_and_keeps_the_text(user, seminar) -> None:  # type: ignore[no-untyped-def]
    community = community_of(user, seminar)
    client, member = entered(community, registrant(seminar, "eleni@example.org"))
    thread = thread_start(community=community, title="Q", body="Body", member=member)
    thread_moderate(access=workspace_access(user, seminar.workspace), thread=thread, locked=True)
    refused = client.post(f"/c/{community.code}/threads/{thread.pk}/", {"body": "my long answer"})
    assert refused.status_code == 409
    assert "κλειδωμένη".encode() in refused.content
    assert Reply.objects.count() == 0


def test_bad_input_is_named_in_the_readers_language_and_kept(user, seminar) -> None:  # type: ignore[no-untyped-def]
    community = community_of(user, seminar)
    client, _member = entered(community, registrant(seminar, "eleni@example.org"))
    response = client.post(
        f"/c/{community.code}/threads/", {"title": "", "body": "κείμενο που μένει"}
    )
    assert response.status_code == 422
    assert "Δώστε έναν τίτλο".encode() in response.content
    assert "κείμενο που μένει".encode() in response.content
    english = client.post(
        f"/c/{community.code}/threads/?lang=en", {"title": "x" * 201, "body": "kept"}
    )
    assert english.status_code == 422 and b"too long" in english.content


def test_expired_and_withdrawn_links_are_refused(user, seminar) -> None:  # type: ignore[no-untyped-def]
    community = community_of(user, seminar)
    registration = registrant(seminar, "eleni@example.org")
    member = member_for(community, registration)
    url = link_path(link_url(member))
    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        assert Client().get(url).status_code == 403
    client = Client()
    assert client.get(url).status_code == 302
    assert client.get(f"/c/{community.code}/").status_code == 200
    assert b'id="thread-new"' in client.get(f"/c/{community.code}/").content

    # removed: the link and the session both stop working
    member_remove(access=workspace_access(user, seminar.workspace), member=member)
    assert Client().get(url).status_code == 403
    page = client.get(f"/c/{community.code}/")
    assert b'id="thread-new"' not in page.content and b'id="link-request"' in page.content

    # a forged or tampered token is refused too
    assert Client().get(url[:-3] + "xx/").status_code == 403


def test_erased_or_cancelled_registration_closes_the_link(user, seminar) -> None:  # type: ignore[no-untyped-def]
    from keryx.privacy.domain.erasure import subject_erase

    community = community_of(user, seminar)
    registration = registrant(seminar, "eleni@example.org")
    url = link_path(link_url(member_for(community, registration)))
    registration.status = "cancelled"
    registration.save(update_fields=["status"])
    assert Client().get(url).status_code == 403

    # erased: the member is gone and what they wrote is blanked, the thread stays
    other = registrant(seminar, "nikos@example.org")
    client, member = entered(community, other)
    thread = thread_start(community=community, title="Nikos here", body="Hello", member=member)
    from keryx.community.domain.threads import reply_add
    from keryx.privacy.domain.export import subject_export

    reply_add(thread=thread, body="and more", member=member)
    _zip, summary = subject_export("nikos@example.org", workspace_id=seminar.workspace_id)
    assert (summary["community.member"], summary["community.thread"]) == (1, 1)
    assert summary["community.reply"] == 1
    url = link_path(link_url(member))
    subject_erase("nikos@example.org")
    thread.refresh_from_db()
    assert (thread.title, thread.body, thread.member) == ("[erased]", "[erased]", None)
    assert Client().get(url).status_code == 403
    assert b'id="link-request"' in client.get(f"/c/{community.code}/").content


def test_checked_in_only_setting(user, seminar, smtp_sink) -> None:  # type: ignore[no-untyped-def]
    community = community_of(user, seminar)
    access = workspace_access(user, seminar.workspace)
    community_update(
        access=access, community=community, is_open=True, audience="checked_in", welcome=""
    )
    came = registrant(seminar, "came@example.org", checked_in=True)
    absent = registrant(seminar, "absent@example.org", checked_in=False)
    assert Client().get(link_path(link_url(member_for(community, absent)))).status_code == 403
    assert Client().get(link_path(link_url(member_for(community, came)))).status_code == 302
    Client().post(f"/c/{community.code}/link/", {"email": "absent@example.org"})
    announcement_post(access=access, community=community, title="Hi", body="Attendees only")
    smtp_sink.wait_for(1)
    assert [m["To"] for m in smtp_sink.messages] == ["came@example.org"]


def test_roles_and_workspace_scoping(user, workspace, seminar, member) -> None:  # type: ignore[no-untyped-def]
    community_of(user, seminar)
    base = f"/w/{workspace.slug}/community/{seminar.pk}/"
    expected = {
        "moderator": (200, 403),
        "analyst": (403, 403),
        "viewer": (403, 403),
        "editor": (200, 302),
    }
    for role, (view, announce) in expected.items():
        client = Client()
        client.force_login(member(role, f"{role}@example.org"))
        assert client.get(base).status_code == view, role
        posted = client.post(f"{base}announcements/", {"title": "T", "body": "B"})
        assert posted.status_code == announce, role

    # another workspace's owner sees nothing of this one's community
    stranger = make_user("stranger@example.org")
    other = make_workspace(owner=stranger, name="Άλλη ομάδα")
    make_seminar(other, stranger)
    client = Client()
    client.force_login(stranger)
    assert client.get(base).status_code == 404
    assert client.get(f"/w/{other.slug}/community/{seminar.pk}/").status_code == 404


def test_rate_limited_link_requests(user, seminar) -> None:  # type: ignore[no-untyped-def]
    community = community_of(user, seminar)
    client = Client()
    codes = [
        client.post(f"/c/{community.code}/link/", {"email": f"p{n}@example.org"}).status_code
        for n in range(12)
    ]
    assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]
