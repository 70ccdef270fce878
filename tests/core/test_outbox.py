"""The outbox: list mail carries unsubscribe headers and a page that works; temporary failures
are retried, final refusals are not; transactional mail has no unsubscribe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client

from keryx.core.domain.outbox import (
    outbox_deliver,
    outbox_queue,
    unsubscribe_token,
)
from keryx.core.models import OutboxMessage, Unsubscription
from tests.registrations.sinks import FaultySink

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sink(settings) -> Iterator[FaultySink]:  # type: ignore[no-untyped-def]
    with FaultySink() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = server.host
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        yield server


def test_list_mail_has_unsubscribe_headers_and_one_click_post_unsubscribes(sink) -> None:  # type: ignore[no-untyped-def]
    row = outbox_queue(
        to="Maria@Example.org",
        language="el",
        kind="surveys.invitation",
        list_key="survey:7",
        subject="Πείτε μας τη γνώμη σας",
        text="Καλησπέρα",
    )
    [message] = sink.wait_for(1)
    row.refresh_from_db()
    assert row.status == "sent" and row.tries == 1
    token = unsubscribe_token("maria@example.org", "survey:7")
    assert message["List-Unsubscribe"].strip() == f"<http://127.0.0.1:8000/unsubscribe/{token}/>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"] == row.message_id
    # a mail client's one-click POST carries no CSRF token
    client = Client(enforce_csrf_checks=True)
    answer = client.post(f"/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert Unsubscription.objects.filter(email_folded="maria@example.org").count() == 1
    again = outbox_queue(
        to="maria@example.org",
        language="el",
        kind="surveys.reminder",
        list_key="survey:7",
        subject="Υπενθύμιση",
        text="…",
    )
    assert again.status == "unsubscribed"
    other_list = outbox_queue(
        to="maria@example.org", language="el", kind="x", list_key="survey:8", subject="s", text="t"
    )
    sink.wait_for(2)
    assert OutboxMessage.objects.get(pk=other_list.pk).status == "sent"
    assert len(sink.messages) == 2


def test_unsubscribe_page_asks_first_and_rejects_a_forged_token(client) -> None:  # type: ignore[no-untyped-def]
    token = unsubscribe_token("nikos@example.org", "announcements:3")
    page = client.get(f"/unsubscribe/{token}/")
    assert page.status_code == 200 and 'data-state="ask"' in page.content.decode()
    assert Unsubscription.objects.count() == 0
    done = client.post(f"/unsubscribe/{token}/")
    assert 'data-state="done"' in done.content.decode()
    assert client.post(f"/unsubscribe/{token}/").status_code == 200  # twice is fine
    assert Unsubscription.objects.count() == 1
    assert client.get(f"/unsubscribe/{token[:-2]}xx/").status_code == 404


def test_transactional_mail_has_no_unsubscribe_header(sink) -> None:  # type: ignore[no-untyped-def]
    outbox_queue(to="a@example.org", language="en", kind="t", subject="Ticket", text="Here")
    [message] = sink.wait_for(1)
    assert message["List-Unsubscribe"] is None


def test_temporary_failure_is_retried_final_refusal_is_not(sink, settings) -> None:  # type: ignore[no-untyped-def]
    sink.faults.rcpt_reply = "451 4.3.0 Try again later"
    t0 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)
    row = outbox_queue(to="b@example.org", language="en", kind="t", subject="s", text="t", now=t0)
    row.refresh_from_db()
    assert (row.status, row.tries, row.error_code) == ("queued", 1, "temporary")
    sink.faults.rcpt_reply = "550 5.1.1 No such user"
    assert outbox_deliver(pk=row.pk, now=row.next_try_at) == "failed"
    row.refresh_from_db()
    assert (row.status, row.tries, row.error_code) == ("failed", 2, "recipient")
    assert "550 5.1.1 No such user" in row.reason
    assert sink.messages == []
