"""Probe finding 6: deleting a seminar says exactly what goes with it, needs the seminar's
name typed when other apps' records (registrations, consent) would go, and is audited."""

from __future__ import annotations

import pytest

from keryx.core.models import AuditEntry
from keryx.registrations.models import Registration
from keryx.seminars.models import Seminar
from tests.registrations.helpers import publish, register

pytestmark = pytest.mark.django_db

WILL_GO = {
    "registrations.consent": 1,
    "registrations.registration": 1,
    "seminars.seminar": 1,
}


@pytest.fixture
def registered(seminar, user):  # type: ignore[no-untyped-def]
    publish(seminar, user)
    register(seminar, "eleni@example.org")
    return seminar


def _will_go(data: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in data.items() if k in WILL_GO}


def test_api_delete_without_the_name_is_409_with_what_would_go(api, registered) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/v1/workspaces/{registered.workspace.slug}/seminars/{registered.pk}"
    response = api.delete(url)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "confirmation_needed"
    assert _will_go(error["data"]["will_delete"]) == WILL_GO
    assert api.delete(url + "?confirm=wrong").status_code == 409
    assert Seminar.objects.filter(pk=registered.pk).exists()

    assert api.delete(url + f"?confirm={registered.title}").status_code == 204
    assert not Seminar.objects.filter(pk=registered.pk).exists()
    assert not Registration.objects.exists()
    entry = AuditEntry.objects.get(action="seminar.delete")
    assert _will_go(entry.changes["deleted"][0]) == WILL_GO


def test_the_delete_page_lists_what_goes_and_needs_the_name(owner_client, registered) -> None:  # type: ignore[no-untyped-def]
    url = f"/w/{registered.workspace.slug}/seminars/{registered.pk}/delete/"
    page = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    rows = {r["key"]: r["count"] for r in page.context["will_delete"]}
    assert _will_go(rows) == WILL_GO
    assert 'name="confirm"' in page.content.decode()

    wrong = owner_client.post(url, {"confirm": "κάτι άλλο"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["confirm"]
    assert Seminar.objects.filter(pk=registered.pk).exists()

    done = owner_client.post(url, {"confirm": registered.title})
    assert done.status_code == 302
    assert not Seminar.objects.filter(pk=registered.pk).exists()
    assert AuditEntry.objects.filter(action="seminar.delete").count() == 1


def test_a_seminar_with_nothing_of_other_apps_goes_without_typing(api, seminar) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/v1/workspaces/{seminar.workspace.slug}/seminars/{seminar.pk}"
    assert api.delete(url).status_code == 204
    entry = AuditEntry.objects.get(action="seminar.delete")
    assert entry.changes["deleted"][0] == {"seminars.seminar": 1}
