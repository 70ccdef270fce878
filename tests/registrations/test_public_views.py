from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client

from keryx.registrations.domain.registrations import registration_confirm
from keryx.registrations.domain.tokens import confirm_token_make, manage_token_make
from keryx.registrations.models import Consent, Registration
from keryx.seminars.models import SeminarTranslation
from tests.registrations.helpers import publish, register

pytestmark = pytest.mark.django_db


def _form(client: Client, url: str) -> dict[str, str]:
    html = client.get(url).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', html)
    assert started is not None
    return {"started": started.group(1)}


def _post(client: Client, seminar, **data: str):  # type: ignore[no-untyped-def]
    url = f"/s/{seminar.slug}/"
    fields = {
        **_form(client, url),
        "name": "Ελένη Παπαδοπούλου",
        "email": "eleni@example.org",
        "consent_privacy": "on",
        **data,
    }
    return client.post(url, fields)


def test_public_page_unpublished_is_not_found(seminar) -> None:
    assert Client().get(f"/s/{seminar.slug}/").status_code == 404


def test_public_page_follows_visitor_language_with_translation(seminar, user) -> None:
    publish(seminar, user)
    SeminarTranslation.objects.create(
        seminar=seminar, language="en", title="Social Media Management Seminar 2026"
    )
    english = Client(headers={"Accept-Language": "en"}).get(f"/s/{seminar.slug}/")
    greek = Client(headers={"Accept-Language": "el"}).get(f"/s/{seminar.slug}/")
    assert (
        '<h1 id="seminar-title">Social Media Management Seminar 2026</h1>'
        in english.content.decode()
    )
    assert (
        '<h1 id="seminar-title">Σεμινάριο Διαχείρισης Social Media 2026</h1>'
        in greek.content.decode()
    )
    assert 'lang="el"' in greek.content.decode()


def test_public_page_has_open_graph_and_twitter_tags(seminar, user, settings) -> None:
    settings.KERYX_BASE_URL = "https://keryx.example.org"
    publish(seminar, user)
    html = Client().get(f"/s/{seminar.slug}/").content.decode()
    url = f"https://keryx.example.org/s/{seminar.slug}/"
    assert f'<meta property="og:url" content="{url}">' in html
    assert f'<meta property="og:image" content="{url}og.png">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta property="og:title" content="Σεμινάριο Διαχείρισης Social Media 2026">' in html
    assert "https://www.facebook.com/sharer/sharer.php?u=https%3A//keryx.example.org" in html
    image = Client().get(f"/s/{seminar.slug}/og.png")
    assert image["Content-Type"] == "image/png"
    assert image.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_public_page_shows_places_left_in_seminar_time_zone(seminar, user) -> None:
    publish(seminar, user)
    register(seminar, "a@example.org")
    html = Client(headers={"Accept-Language": "en"}).get(f"/s/{seminar.slug}/").content.decode()
    assert "119 places left" in html
    assert "9:30" in html  # 09:30 in Athens, stored as 07:30 UTC


def test_calendar_file_has_the_event(seminar, user) -> None:
    publish(seminar, user)
    response = Client().get(f"/s/{seminar.slug}/calendar.ics")
    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "DTSTART:20261212T073000Z" in body
    assert "SUMMARY:Σεμινάριο Διαχείρισης Social Media 2026" in body


def test_register_creates_registration_with_attribution_and_consent(seminar, user) -> None:
    publish(seminar, user)
    client = Client(headers={"Accept-Language": "el"})
    client.cookies["kx_first"] = "FIRST1"
    client.cookies["kx_last"] = "OLDLAST"
    response = _post(client, seminar, kx="abc123")
    assert response.status_code == 302
    assert response["Location"] == f"/s/{seminar.slug}/thanks/"
    registration = Registration.objects.get()
    assert (registration.first_touch_code, registration.last_touch_code) == ("FIRST1", "abc123")
    assert (registration.language, registration.status) == ("el", "registered")
    assert (
        Consent.objects.filter(registration=registration, kind="privacy", version="1").count() == 1
    )
    thanks = client.get(response["Location"]).content.decode()
    assert 'data-status="registered"' in thanks


def test_register_ignores_forged_link_codes(seminar, user) -> None:
    publish(seminar, user)
    client = Client()
    client.cookies["kx_first"] = "<script>"
    _post(client, seminar, kx="x" * 40)
    registration = Registration.objects.get()
    assert (registration.first_touch_code, registration.last_touch_code) == ("", "")


def test_register_invalid_email_keeps_what_was_typed(seminar, user) -> None:
    publish(seminar, user)
    response = _post(Client(headers={"Accept-Language": "en"}), seminar, email="eleni.example.org")
    html = response.content.decode()
    assert response.status_code == 422
    assert "This is not an e-mail address. Check it, e.g. name@example.org." in html
    assert 'value="Ελένη Παπαδοπούλου"' in html
    assert 'value="eleni.example.org"' in html
    assert Registration.objects.count() == 0


def test_register_full_seminar_goes_to_waitlist_and_says_so(seminar, user) -> None:
    seminar.capacity = 1
    seminar.save(update_fields=["capacity"])
    publish(seminar, user)
    register(seminar, "first@example.org")
    client = Client(headers={"Accept-Language": "en"})
    page = client.get(f"/s/{seminar.slug}/").content.decode()
    assert 'id="waitlist-note"' in page
    response = _post(client, seminar)
    thanks = client.get(response["Location"]).content.decode()
    assert "You are on the waiting list" in thanks
    assert "in position 1" in thanks
    assert Registration.objects.get(email="eleni@example.org").status == "waitlisted"


def test_register_honeypot_is_refused(seminar, user) -> None:
    publish(seminar, user)
    response = _post(Client(headers={"Accept-Language": "en"}), seminar, website="http://spam")
    assert response.status_code == 422
    assert "We could not accept this form." in response.content.decode()
    assert Registration.objects.count() == 0


def test_register_too_fast_is_refused_but_keeps_input(seminar, user, settings) -> None:
    settings.KERYX_REGISTRATION_MIN_FILL_SECONDS = 60
    publish(seminar, user)
    response = _post(Client(headers={"Accept-Language": "en"}), seminar)
    html = response.content.decode()
    assert "That was very quick." in html
    assert 'value="eleni@example.org"' in html
    assert Registration.objects.count() == 0


def test_register_is_rate_limited_per_address(seminar, user, settings) -> None:
    settings.KERYX_REGISTRATION_RATE_LIMIT = (2, 600)
    publish(seminar, user)
    address = f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"  # a fresh counter
    client = Client(headers={"Accept-Language": "en"}, REMOTE_ADDR=address)
    codes = [_post(client, seminar, email=f"p{i}@example.org").status_code for i in range(3)]
    assert codes == [302, 302, 429]
    assert Registration.objects.count() == 2


def test_confirm_link_twice_answers_clearly(seminar, user) -> None:
    publish(seminar, user)
    registration = register(seminar, "a@example.org")
    url = f"/s/{seminar.slug}/confirm/{confirm_token_make(registration.public_id)}/"
    client = Client(headers={"Accept-Language": "en"})
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    assert 'data-state="confirmed"' in first
    assert 'data-state="already"' in second
    assert "Nothing has changed" in second
    assert Registration.objects.filter(confirmed_at__isnull=False).count() == 1


def test_confirm_forged_link_is_404_with_message(seminar, user) -> None:
    publish(seminar, user)
    response = Client(headers={"Accept-Language": "en"}).get(f"/s/{seminar.slug}/confirm/nonsense/")
    assert response.status_code == 404
    assert "This confirmation link is not valid." in response.content.decode()


def test_manage_shows_ticket_after_confirmation_and_cancels(seminar, user) -> None:
    publish(seminar, user)
    registration = register(seminar, "a@example.org")
    token = manage_token_make(registration.public_id)
    client = Client(headers={"Accept-Language": "en"})
    assert 'id="ticket-qr"' not in client.get(f"/s/{seminar.slug}/me/{token}/").content.decode()
    registration_confirm(token=confirm_token_make(registration.public_id), seminar=seminar)
    page = client.get(f"/s/{seminar.slug}/me/{token}/").content.decode()
    assert 'id="ticket-qr"' in page
    svg = client.get(f"/s/{seminar.slug}/me/{token}/ticket.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    client.post(f"/s/{seminar.slug}/me/{token}/", {"name": "Άννα Κ."})
    client.post(f"/s/{seminar.slug}/me/{token}/cancel/")
    registration.refresh_from_db()
    assert (registration.name, registration.status) == ("Άννα Κ.", "cancelled")


def test_manage_forged_token_is_404(seminar, user) -> None:
    publish(seminar, user)
    assert Client().get(f"/s/{seminar.slug}/me/forged:token/").status_code == 404


def test_emails_go_out_over_smtp_in_registrant_language(
    seminar, user, smtp_sink, django_capture_on_commit_callbacks
) -> None:
    publish(seminar, user)
    client = Client(headers={"Accept-Language": "en"})
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, seminar)
    [message] = smtp_sink.wait_for(1)
    assert message["To"] == "eleni@example.org"
    assert (
        str(message["Subject"]).strip()
        == "Confirm your registration: Σεμινάριο Διαχείρισης Social Media 2026"
    )
    text = smtp_sink.body(message)
    link = re.search(r"http\S+/confirm/\S+/", text)
    assert link is not None
    assert message.get_body(preferencelist=("html",)) is not None
    with django_capture_on_commit_callbacks(execute=True):
        client.get(link.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    ticket = smtp_sink.wait_for(2)[1]
    assert str(ticket["Subject"]).strip() == "Your ticket: Σεμινάριο Διαχείρισης Social Media 2026"
    names = sorted(part.get_filename() for part in ticket.iter_attachments())
    assert names == ["seminar.ics", "ticket.png"]


def test_losing_the_last_place_keeps_the_form_and_offers_the_waitlist(seminar, user) -> None:
    """Issue 16, bug 13: the page was shown with a place left; it went before the send."""
    seminar.capacity = 1
    seminar.save(update_fields=["capacity"])
    publish(seminar, user)
    client = Client(headers={"Accept-Language": "en"})
    url = f"/s/{seminar.slug}/"
    page = client.get(url).content.decode()
    assert 'name="places_seen" value="1"' in page
    register(seminar, "quicker@example.org")
    fields = {
        "started": re.search(r'name="started" value="([^"]+)"', page).group(1),  # type: ignore[union-attr]
        "places_seen": "1",
        "name": "Ελένη Παπαδοπούλου",
        "email": "eleni@example.org",
        "consent_privacy": "on",
    }
    response = client.post(url, fields)
    html = response.content.decode()
    assert response.status_code == 409
    assert "The last place was taken a moment ago" in html
    assert 'value="Ελένη Παπαδοπούλου"' in html and 'value="eleni@example.org"' in html
    assert (
        '<button type="submit" class="button primary" id="register-button">Join the waiting list</button>'
        in html
    )
    assert not Registration.objects.filter(email="eleni@example.org").exists()
    assert 'name="places_seen" value="1"' not in html  # the next send joins the waiting list
    client.post(url, {**fields, "places_seen": ""})
    assert Registration.objects.get(email="eleni@example.org").status == "waitlisted"


def test_a_full_seminar_without_waitlist_keeps_what_was_typed(seminar, user) -> None:
    seminar.capacity = 1
    seminar.save(update_fields=["capacity"])
    publish(seminar, user, waitlist_enabled=False)
    client = Client(headers={"Accept-Language": "en"})
    url = f"/s/{seminar.slug}/"
    page = client.get(url).content.decode()
    register(seminar, "quicker@example.org")
    started = re.search(r'name="started" value="([^"]+)"', page)
    assert started is not None
    response = client.post(
        url,
        {
            "started": started.group(1),
            "places_seen": "1",
            "name": "Ελένη Παπαδοπούλου",
            "email": "eleni@example.org",
            "consent_privacy": "on",
        },
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "This seminar is full and has no waiting list. Nothing was saved." in html
    assert 'value="Ελένη Παπαδοπούλου"' in html and 'value="eleni@example.org"' in html
