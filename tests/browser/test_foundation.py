"""The foundation in a real browser: sign in, switch to Greek, create a seminar with a persona."""

from __future__ import annotations

import re

import pytest

from keryx.seminars.models import Persona, Seminar
from tests.conftest import screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_switch_to_greek_and_create_a_seminar_with_a_persona(page, user, workspace) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/w/[^/]+/$"))
    page.click("nav.sidenav >> text=Plan")
    page.wait_for_url(re.compile(r"/w/.+/seminars/$"))

    page.click("button[lang=el]")
    page.wait_for_selector("h1:has-text('Σεμινάρια')")
    user.refresh_from_db()
    assert user.language == "el"

    page.click("text=Νέο σεμινάριο")
    page.fill("#id_title", "Εργαστήριο Instagram για ΜΚΟ")
    page.fill("#id_starts_at", "2027-02-06T10:00")
    page.fill("#id_ends_at", "2027-02-06T14:00")
    page.check("input[name=format][value=online]")
    page.fill("#id_hashtags", "#ΜΚΟ2027 #Instagram")
    page.fill("#id_personas-0-name", "Εθελοντές ΜΚΟ")
    page.fill("#id_personas-0-profession", "Εθελοντής")
    page.click("button:has-text('Δημιουργία σεμιναρίου')")
    page.wait_for_selector("text=Εθελοντές ΜΚΟ")

    page.click("nav.sidenav >> text=Σχεδιασμός")
    page.wait_for_selector("text=Εργαστήριο Instagram για ΜΚΟ")
    shot = screenshot(page, "foundation-seminar-list-greek")
    assert shot.stat().st_size > 10_000

    seminar = Seminar.objects.get(title="Εργαστήριο Instagram για ΜΚΟ")
    assert seminar.hashtags == ["#ΜΚΟ2027", "#Instagram"]
    assert seminar.starts_at.isoformat() == "2027-02-06T08:00:00+00:00"  # 10:00 in Athens
    assert list(Persona.objects.filter(seminar=seminar).values_list("name", flat=True)) == [
        "Εθελοντές ΜΚΟ"
    ]


def test_the_shell_works_on_a_phone(browser, live_server, user, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    phone = context.new_page()
    phone.goto("/accounts/login/")
    phone.fill("input[name=login]", user.email)
    phone.fill("input[name=password]", PASSWORD)
    phone.click("main form button[type=submit]")
    phone.wait_for_selector(f"text={seminar.title}")
    assert not phone.is_visible("#sidenav")
    phone.click("[data-toggle-nav]")
    assert phone.is_visible("#sidenav >> text=Settings")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"
    screenshot(phone, "foundation-phone-menu")
    context.close()
