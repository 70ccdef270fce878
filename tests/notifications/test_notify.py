from __future__ import annotations

import pytest

from keryx.notifications.domain.notify import notifications_mark_read, notify, unread_for
from keryx.notifications.models import EmailPreference
from tests.factories import make_user


@pytest.mark.django_db
def test_notify_creates_one_row_per_recipient_and_emails_after_commit(
    workspace, user, django_capture_on_commit_callbacks, smtp_sink
) -> None:  # type: ignore[no-untyped-def]
    other = make_user("sofia@example.org", language="el")
    with django_capture_on_commit_callbacks(execute=True):
        notes = notify(
            recipients=[user, other, user],
            kind="publish.failed",
            workspace=workspace,
            title="A post failed",
            body="Reconnect the account, then retry.",
            url="/w/x/calendar/",
        )
    assert len(notes) == 2
    messages = smtp_sink.wait_for(2)
    assert sorted(m["To"] for m in messages) == ["owner@example.org", "sofia@example.org"]
    assert all(m["Subject"] == "[Keryx] A post failed" for m in messages)
    assert "http://127.0.0.1:8000/w/x/calendar/" in smtp_sink.body(messages[0])
    assert unread_for(user).count() == 1


@pytest.mark.django_db
def test_notify_skips_email_for_a_muted_kind_but_keeps_the_in_app_note(
    user, django_capture_on_commit_callbacks, mailoutbox
) -> None:  # type: ignore[no-untyped-def]
    EmailPreference.objects.create(user=user, kind="content.mention")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="content.mention", title="You were mentioned")
    assert mailoutbox == []
    assert unread_for(user).count() == 1
    assert notifications_mark_read(user=user) == 1
    assert unread_for(user).count() == 0


@pytest.mark.django_db
def test_notification_list_and_read_redirects_to_the_target(owner_client, user) -> None:  # type: ignore[no-untyped-def]
    note = notify(recipients=[user], kind="x", title="Look here", url="/me/", send_email=False)[0]
    page = owner_client.get("/notifications/")
    assert "Look here" in page.content.decode()
    response = owner_client.post("/notifications/read/", {"id": note.pk, "url": "/me/"})
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert unread_for(user).count() == 0
    evil = owner_client.post("/notifications/read/", {"id": note.pk, "url": "//evil.example/"})
    assert evil["Location"] == "/notifications/"


@pytest.mark.django_db
def test_a_notification_is_shown_in_the_readers_current_language(workspace) -> None:  # type: ignore[no-untyped-def]
    """Issue 16, bug 10: written while the reader's profile said Greek; read in English."""
    from django.test import Client
    from django.utils.translation import gettext as _

    from keryx.notifications.domain.notify import notify_in_their_language

    reader = make_user("reader@example.org", language="el")
    notify_in_their_language(
        recipients=[reader],
        kind="content.review",
        words=lambda: (_("A post needs your review"), _("Nothing to see here yet.")),
        workspace=workspace,
        send_email=False,
    )
    reader.language = "en"
    reader.save(update_fields=["language"])
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(reader)
    html = client.get("/notifications/").content.decode()
    assert "<strong>A post needs your review</strong>" in html
    assert "Μια ανάρτηση" not in html
    reader.language = "el"
    reader.save(update_fields=["language"])
    html = client.get("/notifications/").content.decode()
    assert "<strong>Μια ανάρτηση περιμένει τον έλεγχό σας</strong>" in html


@pytest.mark.django_db
def test_an_older_notification_without_translations_still_shows(user) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    notify(recipients=[user], kind="x.y", title="Παλιά ειδοποίηση", send_email=False)
    client = Client()
    client.force_login(user)
    assert "<strong>Παλιά ειδοποίηση</strong>" in client.get("/notifications/").content.decode()
