"""In Chromium: register in Greek on the public page → the confirmation e-mail reaches a real
SMTP server → confirm → the ticket page shows the QR code → staff check the person in by
searching their name."""

from __future__ import annotations

import re

import pytest

from keryx.registrations.models import Registration
from tests.conftest import screenshot
from tests.factories import PASSWORD
from tests.registrations.helpers import publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_in_greek_confirm_ticket_and_check_in(  # type: ignore[no-untyped-def]
    page, live_server, smtp_sink, settings, seminar, user
) -> None:
    settings.KERYX_BASE_URL = live_server.url
    publish(seminar, user, optional_fields=["profession", "heard_from"])

    page.goto(f"/s/{seminar.slug}/?kx=post42")
    page.click("#lang-el")
    page.wait_for_selector("#register-button:has-text('Εγγραφή')")
    page.fill("#id_name", "Ελένη Παπαδοπούλου")
    page.fill("#id_email", "eleni@example.org")
    page.fill("#id_profession", "Δημοσιογράφος")
    page.select_option("#id_heard_from", "social")
    page.check("#id_consent_privacy")
    screenshot(page, "registrations-public-page-greek")
    page.click("#register-button")
    page.wait_for_selector("#registration-status[data-status=registered]")
    assert "Σχεδόν τελειώσαμε" in page.inner_text("#registration-status")

    [message] = smtp_sink.wait_for(1)
    assert str(message["Subject"]).strip() == (
        "Επιβεβαιώστε την εγγραφή σας: Σεμινάριο Διαχείρισης Social Media 2026"
    )
    link = re.search(r"http://\S+/confirm/\S+/", smtp_sink.body(message))
    assert link is not None
    page.goto(link.group(0))
    page.wait_for_selector("#confirm-status[data-state=confirmed]")
    ticket_mail = smtp_sink.wait_for(2)[1]
    assert str(ticket_mail["Subject"]).strip().startswith("Το εισιτήριό σας:")

    page.click("#manage-link")
    # The element is there before its image has loaded: wait for the image itself.
    page.wait_for_function(
        "() => { const i = document.querySelector('#ticket-qr'); return i && i.complete; }"
    )
    width = page.eval_on_selector("#ticket-qr", "img => img.naturalWidth")
    assert width > 100
    screenshot(page, "registrations-ticket")

    registration = Registration.objects.get(email="eleni@example.org")
    assert (registration.language, registration.last_touch_code) == ("el", "post42")

    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/w/[^/]+/$"))  # the home dashboard
    page.goto(f"/w/{seminar.workspace.slug}/registrations/{seminar.pk}/checkin/")
    page.fill("#checkin-search", "Ελένη")
    page.click(f"#checkin-{registration.pk}")
    page.wait_for_selector("#checkin-ok")
    page.wait_for_selector("#count-checked-in strong:has-text('1')")
    screenshot(page, "registrations-check-in")
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert registration.checked_in_by == user


def test_staff_see_a_failed_email_with_its_reason_and_resend_it(  # type: ignore[no-untyped-def]
    page, live_server, settings, seminar, user
) -> None:
    """The mail server is down: the confirmation e-mail fails (one try here), the registrant
    list says so, the registrant's page says why; the server is back, Resend delivers it."""
    from keryx.registrations.models import RegistrantEmail
    from tests.registrations.helpers import register
    from tests.registrations.sinks import FaultySink, closed_port

    port = closed_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.KERYX_REGISTRANT_EMAIL_RETRY_MINUTES = []
    user.language = "en"
    user.save(update_fields=["language"])
    publish(seminar, user)
    registration = register(seminar, "eleni@example.org", name="Eleni Papadopoulou")

    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/w/[^/]+/$"))  # the home dashboard
    page.goto(f"/w/{seminar.workspace.slug}/registrations/{seminar.pk}/")
    assert "1 e-mail to a registrant could not be sent." in page.inner_text("#failed-emails")
    page.click("#failed-emails a")
    page.wait_for_url(re.compile(r"\?email=failed$"))
    page.click(f"tr[data-registration='{registration.pk}'] td a")
    page.wait_for_selector("#registrant-emails tr[data-status=failed]")
    reason = page.inner_text("#registrant-emails tr[data-status=failed] .reason")
    assert reason.startswith(f"Keryx could not connect to the mail server 127.0.0.1:{port} (")
    screenshot(page, "registrations-email-failed")

    with FaultySink(port=port) as sink:
        page.click("#registrant-emails tr[data-status=failed] button")
        page.wait_for_selector("#registrant-emails tr[data-status=sent]")
        [message] = sink.wait_for(1)
    assert message["To"] == "eleni@example.org"
    assert RegistrantEmail.objects.get(registration=registration).status == "sent"
    screenshot(page, "registrations-email-resent")
