"""Issue 16, bugs 5 and 6: Greek search folds case and accents; the code printed on the ticket
is accepted at the door, typed."""

from __future__ import annotations

import pytest
from django.test import Client

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.registrations import queries
from keryx.registrations.domain.tokens import ticket_token_make
from tests.registrations.helpers import publish, register

pytestmark = pytest.mark.django_db


def _base(seminar) -> str:  # type: ignore[no-untyped-def]
    return f"/w/{seminar.workspace.slug}/registrations/{seminar.pk}/"


@pytest.mark.parametrize("typed", ["Μαρία", "Μαρια", "ΜΑΡΙΑ", "μαρία", "μαρια κωνσταντινου"])
def test_checkin_search_folds_case_and_accents(owner_client, seminar, user, typed) -> None:
    publish(seminar, user)
    maria = register(seminar, "maria@example.org", name="Μαρία Κωνσταντίνου")
    register(seminar, "nikos@example.org", name="Νίκος Ράπτης")
    html = owner_client.get(_base(seminar) + "checkin/search/", {"q": typed}).content.decode()
    assert f'id="checkin-{maria.pk}"' in html
    assert "Νίκος" not in html


def test_registrant_list_search_folds_case_accents_and_final_sigma(seminar, user) -> None:
    publish(seminar, user)
    register(seminar, "a@example.org", name="Ιωάννης Παππάς")
    register(seminar, "b@example.org", name="Άννα ΖΗΣΗ")
    register(seminar, "JOHN@Example.org", name="John Smith")
    access = workspace_access(user, seminar.workspace, Perm.REGISTRATIONS_VIEW)

    def names(q: str) -> list[str]:
        return [r.name for r in queries.registrations_of(access, seminar, q=q)]

    assert names("παππας") == ["Ιωάννης Παππάς"]
    assert names("ΠΑΠΠΑΣ ιωαννης") == ["Ιωάννης Παππάς"]
    assert names("αννα ζηση") == ["Άννα ΖΗΣΗ"]
    assert names("john@example") == ["John Smith"]
    assert names("100%") == []


def test_typed_ticket_code_checks_in(owner_client, seminar, user) -> None:
    publish(seminar, user)
    registration = register(seminar, "eleni@example.org")
    html = owner_client.post(
        _base(seminar) + "checkin/scan/", {"token": f"  {registration.ticket_code} "}
    ).content.decode()
    assert 'data-outcome="checked-in"' in html
    registration.refresh_from_db()
    assert registration.checked_in_at is not None


def test_qr_content_still_checks_in(owner_client, seminar, user) -> None:
    publish(seminar, user)
    registration = register(seminar, "eleni@example.org")
    token = ticket_token_make(registration.ticket_code)
    html = owner_client.post(_base(seminar) + "checkin/scan/", {"token": token}).content.decode()
    assert 'data-outcome="checked-in"' in html


def test_wrong_typed_code_says_so_in_plain_words(seminar, user, member) -> None:
    publish(seminar, user)
    registration = register(seminar, "eleni@example.org")
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    wrong = registration.ticket_code[:-1] + ("x" if registration.ticket_code[-1] != "x" else "y")
    html = client.post(_base(seminar) + "checkin/scan/", {"token": wrong}).content.decode()
    assert 'data-outcome="not_found"' in html
    assert f"No ticket has the code {wrong}." in html
    assert "altered" not in html
