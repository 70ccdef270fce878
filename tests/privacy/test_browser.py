"""The privacy tab in a real browser: a manager erases a registrant, in Greek."""

from __future__ import annotations

import re

import pytest

from keryx.registrations.domain.registrations import RegistrantData, registration_create
from keryx.registrations.models import Registration
from tests.conftest import screenshot
from tests.factories import PASSWORD
from tests.registrations.helpers import publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_erases_a_registrant_from_the_privacy_tab(page, user, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    publish(seminar, user)
    registration = registration_create(
        seminar=seminar,
        data=RegistrantData(
            name="Αλκμήνη Φραγκιαδάκη",
            email="alkmini.f@example.org",
            language="el",
            consents=["privacy"],
        ),
    ).registration
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/w/.+/"))
    page.click("button[lang=el]")
    page.goto(f"/w/{workspace.slug}/settings/privacy/")
    page.wait_for_selector("h2:has-text('Διαγραφή των δεδομένων ενός προσώπου')")

    page.fill("#id_erase-email", "alkmini.f@example.org")
    page.fill("#id_erase-confirm", "alkmini.f@example.org")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#privacy-erase button[type=submit]")
    page.wait_for_selector("text=σε αυτόν τον χώρο εργασίας")
    screenshot(page, "privacy-erased-greek")

    erased = Registration.objects.get(pk=registration.pk)
    assert (erased.name, erased.email) == ("", f"erased-{erased.pk}@erased.invalid")
    assert page.is_visible("#privacy-requests >> text=Διαγραφή")
    assert "alkmini" not in page.content()
