"""Registrant e-mails are never lost silently: each is a delivery row, sent through a real SMTP
server (aiosmtpd), retried with backoff while the server is down, then failed with a
notification saying why and what to do; Resend delivers it once; a repeated task sends
nothing twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from keryx.accounts.models import User
from keryx.core.models import AuditEntry
from keryx.notifications.models import Notification
from keryx.registrations.domain.delivery import (
    registrant_email_deliver,
    registrant_emails_sweep,
)
from keryx.registrations.models import RegistrantEmail, Registration
from keryx.registrations.tasks import deliver_registrant_email, send_registration_email
from keryx.seminars.models import Seminar
from tests.registrations.helpers import publish, register
from tests.registrations.sinks import FaultySink, closed_port

# Real commits: e-mails are queued on commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

T0 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)
WAITS = [1, 5, 15, 60, 120, 240]  # minutes between tries


def _smtp(settings, port: int) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def sink(settings) -> Iterator[FaultySink]:  # type: ignore[no-untyped-def]
    with FaultySink() as server:
        _smtp(settings, server.port)
        yield server


@pytest.fixture
def english_owner(user: User) -> User:
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def _base(seminar: Seminar) -> str:
    return f"/w/{seminar.workspace.slug}/registrations/{seminar.pk}/"


def _scheduled(email_id: int) -> list[dt.datetime]:
    """The delivery messages waiting in the queue's schedule for this e-mail (their ETA)."""
    return [
        t.eta.replace(tzinfo=dt.UTC)
        for t in HUEY.scheduled()
        if t.name.endswith("deliver_registrant_email") and t.args == (email_id,)
    ]


def test_registrant_email_is_recorded_and_sent_once_through_smtp(seminar, user, sink) -> None:
    publish(seminar, user)
    registration = register(seminar, "eleni@example.org")
    [row] = RegistrantEmail.objects.filter(registration=registration)
    [message] = sink.wait_for(1)
    assert (row.kind, row.status, row.tries, row.error_code) == ("confirm", "sent", 1, "")
    assert row.sent_at is not None
    assert message["Message-ID"] == row.message_id
    assert message["To"] == "eleni@example.org"
    # A second delivery message for the same row (a duplicate on the queue) sends nothing.
    assert registrant_email_deliver(email_id=row.pk) == "skipped"
    deliver_registrant_email(row.pk)
    assert len(sink.messages) == 1


def test_smtp_down_retries_with_backoff_then_fails_notifies_and_resend_delivers_once(
    seminar, english_owner, settings
) -> None:
    port = closed_port()
    _smtp(settings, port)
    publish(seminar, english_owner)
    with time_machine.travel(T0, tick=True):
        registration = register(seminar, "eleni@example.org", name="Eleni Papadopoulou")
    row = RegistrantEmail.objects.get(registration=registration)
    assert (row.status, row.tries, row.error_code) == ("queued", 1, "unreachable")
    assert "Keryx could not connect to the mail server 127.0.0.1:" in row.reason
    assert dt.timedelta(seconds=59) < row.next_try_at - T0 < dt.timedelta(seconds=75)

    # Each failed try queues the next one after 1, 5, 15, 60, 120, 240 minutes; the
    # consumer runs it at that time (here: the test, with the clock moved there).
    waits = []
    for _ in WAITS:
        previous = row.next_try_at
        assert previous in _scheduled(row.pk)  # the retry really is on the queue
        with time_machine.travel(row.next_try_at, tick=True):
            deliver_registrant_email(row.pk)
        row.refresh_from_db()
        waits.append(round((row.next_try_at - previous).total_seconds() / 60))
        if row.status == "failed":
            break
    assert waits[:5] == WAITS[1:]
    assert (row.status, row.tries, row.error_code) == ("failed", 7, "unreachable")
    assert Notification.objects.filter(kind="registrations.email_failed").count() == 1

    note = Notification.objects.get(recipient=english_owner, kind="registrations.email_failed")
    assert note.title == "An e-mail to Eleni Papadopoulou could not be sent"
    assert note.body.startswith(
        "“Confirmation link” for “Σεμινάριο Διαχείρισης Social Media 2026” to Eleni "
        "Papadopoulou <eleni@example.org>, after 7 tries: Keryx could not connect to the mail "
        f"server 127.0.0.1:{port} ("
    )
    assert note.body.endswith(
        "Check that the mail server is running and that EMAIL_URL points to it. Then press "
        "Resend on the registrant's page."
    )
    assert note.url == f"{_base(seminar)}{registration.pk}/"

    # Staff see it, with the reason.
    client = Client()
    client.force_login(english_owner)
    listing = client.get(_base(seminar) + "?email=failed").content.decode()
    assert 'data-email-state="failed"' in listing
    assert "1 e-mail to a registrant could not be sent." in listing
    detail = client.get(note.url).content.decode()
    assert "Failed on" in detail and "after 7 tries" in detail
    assert "Check that the mail server is running" in detail

    # The mail server is back; Resend delivers it, exactly once, with the same Message-ID.
    with FaultySink(port=port) as sink:
        response = client.post(f"{note.url}emails/{row.pk}/resend/")
        assert response.status_code == 302
        [message] = sink.wait_for(1)
        row.refresh_from_db()
        assert (row.status, row.tries, row.error_code) == ("sent", 1, "")
        assert message["Message-ID"] == row.message_id
        assert registrant_email_deliver(email_id=row.pk) == "skipped"
        registrant_emails_sweep(now=timezone.now() + dt.timedelta(hours=1))
        assert len(sink.messages) == 1
    entry = AuditEntry.objects.get(action="registration.email_resend")
    assert entry.actor == english_owner
    assert entry.object_id == str(registration.pk)
    assert entry.changes == {"kind": ["confirm", "confirm"], "status": ["failed", "queued"]}
    assert 'data-status="sent"' in client.get(note.url).content.decode()


def test_message_accepted_then_connection_hangs_counts_as_sent_and_is_not_sent_again(
    seminar, user, sink, settings
) -> None:
    """The mail server accepts the message, then never answers QUIT: the old task raised
    (socket timeout) and Huey's retry sent it a second time. Now it is sent, once."""
    settings.EMAIL_TIMEOUT = 1
    sink.faults.quit_hang = 3
    publish(seminar, user)
    registration = register(seminar, "eleni@example.org")
    row = RegistrantEmail.objects.get(registration=registration)
    assert (row.status, row.tries) == ("sent", 1)
    registrant_emails_sweep(now=timezone.now() + dt.timedelta(hours=1))
    deliver_registrant_email(row.pk)
    assert len(sink.wait_for(1)) == 1


def test_recipient_refused_fails_at_once_with_the_servers_words(
    seminar, english_owner, sink
) -> None:
    sink.faults.rcpt_reply = "550 5.1.1 <eleni@example.org>: Recipient address rejected"
    publish(seminar, english_owner)
    registration = register(seminar, "eleni@example.org", name="Eleni Papadopoulou")
    row = RegistrantEmail.objects.get(registration=registration)
    assert (row.status, row.tries, row.error_code) == ("failed", 1, "recipient")
    assert row.reason == (
        "The mail server refused the address eleni@example.org: 550 5.1.1 "
        "<eleni@example.org>: Recipient address rejected Check the address with the registrant "
        "and correct it on their page."
    )
    note = Notification.objects.get(recipient=english_owner)
    assert "after 1 try:" in note.body
    assert sink.messages == []


def test_temporary_refusal_is_retried(seminar, user, sink) -> None:
    sink.faults.rcpt_reply = "451 4.3.0 Mailbox busy, try again later"
    publish(seminar, user)
    with time_machine.travel(T0, tick=True):
        registration = register(seminar, "eleni@example.org")
    row = RegistrantEmail.objects.get(registration=registration)
    assert (row.status, row.tries, row.error_code) == ("queued", 1, "temporary")
    assert row.error_detail == "451 4.3.0 Mailbox busy, try again later"
    assert dt.timedelta(seconds=59) < row.next_try_at - T0 < dt.timedelta(seconds=75)
    sink.faults.rcpt_reply = ""
    with time_machine.travel(row.next_try_at, tick=True):
        deliver_registrant_email(row.pk)
    row.refresh_from_db()
    assert (row.status, row.tries) == ("sent", 2)
    assert len(sink.wait_for(1)) == 1


def test_not_due_yet_is_not_sent_early(seminar, user, settings) -> None:
    _smtp(settings, closed_port())
    publish(seminar, user)
    registration = register(seminar, "eleni@example.org")
    row = RegistrantEmail.objects.get(registration=registration)
    assert row.status == "queued"
    assert registrant_email_deliver(email_id=row.pk) == "skipped"  # due in a minute
    row.refresh_from_db()
    assert row.tries == 1


def test_sweep_queues_lost_messages_and_recovers_interrupted_sends(seminar, user, sink) -> None:
    publish(seminar, user)
    settings_backend = sink  # the sink is up: whatever the sweep queues is delivered
    first = register(seminar, "a@example.org")
    second = register(seminar, "b@example.org")
    assert len(settings_backend.wait_for(2)) == 2
    now = timezone.now()
    # A message lost from the queue: queued, due 10 minutes ago, nobody claimed it.
    lost = RegistrantEmail.objects.create(
        registration=first,
        kind="ticket",
        queued_at=now - dt.timedelta(minutes=10),
        next_try_at=now - dt.timedelta(minutes=10),
        enqueued_at=now - dt.timedelta(minutes=10),
    )
    # A worker that died while sending, 20 minutes ago.
    stuck = RegistrantEmail.objects.create(
        registration=second,
        kind="ticket",
        status="sending",
        tries=1,
        queued_at=now - dt.timedelta(minutes=21),
        next_try_at=now - dt.timedelta(minutes=21),
        claimed_at=now - dt.timedelta(minutes=20),
    )
    # Due only a minute ago: its message is still on its way; the sweep leaves it.
    fresh = RegistrantEmail.objects.create(
        registration=second,
        kind="reminder",
        queued_at=now - dt.timedelta(minutes=1),
        next_try_at=now - dt.timedelta(minutes=1),
        enqueued_at=now - dt.timedelta(minutes=1),
    )
    report = registrant_emails_sweep(now=now)
    assert (report.requeued, report.interrupted) == (1, 1)
    lost.refresh_from_db()
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert (lost.status, lost.tries) == ("sent", 1)
    assert (stuck.status, stuck.tries, stuck.error_code) == ("queued", 1, "interrupted")
    assert stuck.next_try_at == now + dt.timedelta(minutes=1)
    assert fresh.status == "queued" and fresh.tries == 0
    assert len(sink.wait_for(3)) == 3
    # A second sweep at once changes nothing.
    assert registrant_emails_sweep(now=now) == type(report)(requeued=0, interrupted=0)


def test_many_failures_make_one_notification_with_a_count_and_resend_failed(
    seminar, english_owner, settings
) -> None:
    port = closed_port()
    _smtp(settings, port)
    settings.KERYX_REGISTRANT_EMAIL_RETRY_MINUTES = []  # one try, then failed
    publish(seminar, english_owner)
    for i in range(3):
        register(seminar, f"p{i}@example.org", name=f"Person {i}")
    assert RegistrantEmail.objects.filter(status="failed").count() == 3
    [note] = Notification.objects.filter(recipient=english_owner)
    assert note.title == (
        "3 e-mails to registrants of “Σεμινάριο Διαχείρισης Social Media 2026” could not be sent"
    )
    assert note.body.startswith("The latest: “Confirmation link” to Person 2 <p2@example.org>.")
    assert note.body.endswith("Then press “Resend failed e-mails” in the registrant list.")
    assert note.url == f"{_base(seminar)}?email=failed"

    client = Client()
    client.force_login(english_owner)
    with FaultySink(port=port) as sink:
        response = client.post(_base(seminar) + "emails/resend-failed/", follow=True)
        assert "3 failed e-mails are queued again." in response.content.decode()
        assert sorted(m["To"] for m in sink.wait_for(3)) == [
            "p0@example.org",
            "p1@example.org",
            "p2@example.org",
        ]
    assert set(RegistrantEmail.objects.values_list("status", flat=True)) == {"sent"}
    assert AuditEntry.objects.get(action="registration.email_resend_failed").changes == {
        "queued": [None, 3]
    }


def test_notification_is_in_the_recipients_language(seminar, user, settings) -> None:
    _smtp(settings, closed_port())
    settings.KERYX_REGISTRANT_EMAIL_RETRY_MINUTES = []
    publish(seminar, user)  # the owner has no language: the workspace's (Greek)
    register(seminar, "eleni@example.org", name="Ελένη")
    note = Notification.objects.get(recipient=user)
    assert note.title == "Ένα e-mail προς Ελένη δεν στάλθηκε"
    assert "πατήστε «Επαναποστολή» στη σελίδα του εγγεγραμμένου" in note.body


def test_resend_needs_the_manage_permission(seminar, user, member, settings) -> None:
    _smtp(settings, closed_port())
    settings.KERYX_REGISTRANT_EMAIL_RETRY_MINUTES = []
    publish(seminar, user)
    registration = register(seminar, "eleni@example.org")
    row = RegistrantEmail.objects.get(registration=registration)
    moderator = Client()
    moderator.force_login(member("moderator"))
    url = f"{_base(seminar)}{registration.pk}/emails/{row.pk}/resend/"
    page = moderator.get(f"{_base(seminar)}{registration.pk}/").content.decode()
    assert 'data-status="failed"' in page and url not in page
    assert moderator.post(url).status_code == 403
    assert moderator.post(_base(seminar) + "emails/resend-failed/").status_code == 403
    row.refresh_from_db()
    assert row.status == "failed"
    assert not AuditEntry.objects.filter(action__startswith="registration.email_resend").exists()


def test_send_again_after_sent_is_a_new_email(seminar, user, sink) -> None:
    publish(seminar, user)
    registration = register(seminar, "eleni@example.org")
    first = RegistrantEmail.objects.get(registration=registration)
    client = Client()
    client.force_login(user)
    client.post(f"{_base(seminar)}{registration.pk}/emails/{first.pk}/resend/")
    rows = list(RegistrantEmail.objects.filter(registration=registration).order_by("id"))
    assert [(r.kind, r.status) for r in rows] == [("confirm", "sent"), ("confirm", "sent")]
    assert rows[0].message_id != rows[1].message_id
    assert len(sink.wait_for(2)) == 2


def test_a_message_queued_by_the_old_task_is_still_delivered(seminar, user, sink) -> None:
    publish(seminar, user)
    registration = register(seminar, "eleni@example.org")
    send_registration_email(registration.pk, "reminder")
    assert list(
        RegistrantEmail.objects.filter(registration=registration).values_list("kind", "status")
    ) == [("confirm", "sent"), ("reminder", "sent")]
    assert len(sink.wait_for(2)) == 2


def test_locmem_backend_still_collects_registrant_emails(seminar, user) -> None:
    publish(seminar, user)
    registration: Registration = register(seminar, "eleni@example.org")
    [message] = mail.outbox
    assert message.extra_headers["Message-ID"] == registration.emails.get().message_id


def test_a_mistyped_address_corrected_then_resent_goes_to_the_new_address(
    seminar, user, sink
) -> None:
    from keryx.accounts.access import workspace_access
    from keryx.accounts.roles import Perm
    from keryx.registrations.domain.delivery import registrant_email_resend
    from keryx.registrations.domain.registrations import registration_update

    sink.faults.rcpt_reply = "550 5.1.1 No such user"
    publish(seminar, user)
    registration = register(seminar, "eleni@exmaple.org")
    row = RegistrantEmail.objects.get(registration=registration)
    assert (row.status, row.error_code) == ("failed", "recipient")
    sink.faults.rcpt_reply = ""
    access = workspace_access(user, seminar.workspace, Perm.REGISTRATIONS_MANAGE)
    registration_update(
        registration=registration, fields={"email": "eleni@example.org"}, access=access
    )
    registrant_email_resend(access=access, email=row)
    [message] = sink.wait_for(1)
    assert message["To"] == "eleni@example.org"
    row.refresh_from_db()
    assert (row.status, row.tries) == ("sent", 1)
