"""Issue 16, bug 11: 403, 404, 500 and CSRF failure pages are styled, translated and offer a
way back; the 500 page needs no database."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def _client(user, language: str = "el", **kw) -> Client:  # type: ignore[no-untyped-def]
    client = Client(headers={"Accept-Language": language}, **kw)
    client.force_login(user)
    return client


def test_404_is_translated_styled_with_menu_and_way_back(user, workspace) -> None:
    response = _client(user).get(f"/w/{workspace.slug}/seminars/999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Η σελίδα δεν βρέθηκε</h1>" in html
    assert "keryx/app.css" in html
    assert f'href="/w/{workspace.slug}/seminars/"' in html  # the menu
    assert "Μετάβαση στην αρχική σελίδα" in html


def test_403_is_translated_styled_and_explains_roles(workspace, member) -> None:
    viewer = member("viewer")
    response = _client(viewer).get(f"/w/{workspace.slug}/settings/accounts/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Δεν επιτρέπεται</h1>" in html
    assert "keryx/app.css" in html and 'id="sidenav"' in html
    assert "Μετάβαση στην αρχική σελίδα" in html


def test_csrf_failure_page_is_translated_with_a_way_back(user) -> None:
    response = _client(user, enforce_csrf_checks=True).post("/me/", {"language": "en"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Η φόρμα έληξε</h1>" in html
    assert "Δεν αποθηκεύτηκε τίποτα." in html


def test_500_page_is_translated_and_needs_no_database(django_assert_num_queries) -> None:
    request = RequestFactory().get("/somewhere/")
    with translation.override("el"), django_assert_num_queries(0):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Κάτι πήγε στραβά</h1>" in html
    assert "keryx/app.css" in html and 'href="/"' in html
