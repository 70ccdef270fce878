"""The API shows how each registrant e-mail was delivered, and resends the ones that failed."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from keryx.registrations.models import RegistrantEmail
from tests.factories import make_seminar, make_user, make_workspace
from tests.registrations.helpers import publish, register
from tests.registrations.sinks import FaultySink, closed_port
from tests.registrations.test_email_delivery import T0, _smtp

# Real commits: e-mails are queued on commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def _url(seminar, registration) -> str:  # type: ignore[no-untyped-def]
    return (
        f"/api/v1/workspaces/{seminar.workspace.slug}/seminars/{seminar.pk}"
        f"/registrations/{registration.pk}/emails"
    )


def test_failed_email_is_listed_with_its_reason_and_resent_once(
    seminar, user, api, settings
) -> None:
    port = closed_port()
    _smtp(settings, port)
    publish(seminar, user)
    with time_machine.travel(T0, tick=True):
        registration = register(seminar, "eleni@example.org")
    row = RegistrantEmail.objects.get(registration=registration)
    RegistrantEmail.objects.filter(pk=row.pk).update(status="failed", tries=7)

    [listed] = api.get(_url(seminar, registration), HTTP_ACCEPT_LANGUAGE="el").json()
    assert (listed["id"], listed["kind"], listed["status"], listed["tries"]) == (
        row.pk,
        "confirm",
        "failed",
        7,
    )
    assert listed["message_id"] == row.message_id
    assert listed["sent_at"] is None
    # Why, and what to do, in the caller's language; the mail server's own words beside it.
    assert "Το Keryx δεν μπόρεσε να συνδεθεί στον διακομιστή αλληλογραφίας" in listed["reason"]
    assert listed["error_detail"]

    # The mail server is back: Resend delivers it once, with the same Message-ID.
    with FaultySink(port=port) as sink:
        resent = api.post(f"{_url(seminar, registration)}/{row.pk}/resend")
        assert resent.status_code == 200, resent.content
        [message] = sink.wait_for(1)
    assert message["Message-ID"] == row.message_id
    row.refresh_from_db()
    assert (row.status, row.tries) == ("sent", 1)
    [listed] = api.get(_url(seminar, registration)).json()
    assert (listed["status"], listed["reason"]) == ("sent", "")
    assert listed["sent_at"] is not None


def test_resend_failed_queues_every_failed_email_of_the_seminar(seminar, user, api) -> None:
    publish(seminar, user)
    first = register(seminar, "a@example.org")
    second = register(seminar, "b@example.org")
    register(seminar, "c@example.org")
    RegistrantEmail.objects.filter(registration__in=[first, second]).update(status="failed")
    base = f"/api/v1/workspaces/{seminar.workspace.slug}/seminars/{seminar.pk}"

    response = api.post(f"{base}/registrant-emails/resend-failed")
    assert response.json() == {"queued": 2}
    assert not RegistrantEmail.objects.filter(status="failed").exists()
    # Nothing left to resend: a second press queues nothing.
    assert api.post(f"{base}/registrant-emails/resend-failed").json() == {"queued": 0}


def test_an_email_of_another_workspace_is_not_found(seminar, user, api) -> None:
    publish(seminar, user)
    mine = register(seminar, "a@example.org")
    stranger = make_user("stranger@example.org")
    other_seminar = make_seminar(make_workspace(owner=stranger, name="Άλλη ομάδα"), stranger)
    publish(other_seminar, stranger)
    theirs = register(other_seminar, "b@example.org")
    their_email = RegistrantEmail.objects.get(registration=theirs)
    response = api.post(f"{_url(seminar, mine)}/{their_email.pk}/resend")
    assert response.status_code == 404
    assert RegistrantEmail.objects.get(pk=their_email.pk).status == their_email.status
    assert Client().get(_url(seminar, mine)).status_code == 401
