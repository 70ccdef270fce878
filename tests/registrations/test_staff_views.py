from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from keryx.registrations.domain.tokens import ticket_token_make
from keryx.registrations.models import Registration
from tests.registrations.helpers import publish, register

pytestmark = pytest.mark.django_db

EVENTBRITE = (
    "Order #,Order Date,First Name,Last Name,Email,Quantity,Ticket Type,Attendee Status,Job Title,Company,Cell Phone\n"
    "101,2026-05-01,Μαρία,Κωνσταντίνου,maria@example.org,1,General,Attending,Δημοσιογράφος,ΕΡΤ,6900000000\n"
    "102,2026-05-01,John,Smith,john@example.org,1,General,Checked In,,,\n"
    "103,2026-05-02,Old,Guest,old@example.org,1,General,Not Attending,,,\n"
)


def _base(seminar) -> str:  # type: ignore[no-untyped-def]
    return f"/w/{seminar.workspace.slug}/registrations/{seminar.pk}/"


def test_navigation_points_at_registrations_overview(owner_client, seminar, user) -> None:
    publish(seminar, user)
    register(seminar, "a@example.org")
    response = owner_client.get(f"/w/{seminar.workspace.slug}/registrations/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/w/{seminar.workspace.slug}/registrations/" aria-current="page"' in html
    assert "<td>1 / 120</td>" in html


def test_seminar_detail_includes_live_counts_panel(owner_client, seminar) -> None:
    html = owner_client.get(f"/w/{seminar.workspace.slug}/seminars/{seminar.pk}/").content.decode()
    assert f'hx-get="{_base(seminar)}counts/" hx-trigger="load, every 5s"' in html


def test_counts_partial_shows_live_numbers(owner_client, seminar, user) -> None:
    publish(seminar, user)
    register(seminar, "a@example.org")
    html = owner_client.get(_base(seminar) + "counts/").content.decode()
    assert 'data-registered="1" data-confirmed="0" data-checked-in="0" data-waitlist="0"' in html


def test_registrant_list_needs_registrations_view(member, seminar, user) -> None:
    publish(seminar, user)
    register(seminar, "a@example.org")
    editor = Client()
    editor.force_login(member("editor"))
    moderator = Client()
    moderator.force_login(member("moderator"))
    assert editor.get(_base(seminar)).status_code == 403
    response = moderator.get(_base(seminar) + "?q=a@example")
    assert response.status_code == 200
    assert "a@example.org" in response.content.decode()


def test_checkin_by_search_then_second_scan_says_already(
    owner_client, member, seminar, user
) -> None:
    publish(seminar, user)
    registration = register(seminar, "eleni@example.org")
    results = owner_client.get(_base(seminar) + "checkin/search/?q=Ελένη").content.decode()
    assert f'id="checkin-{registration.pk}"' in results
    first = owner_client.post(_base(seminar) + f"{registration.pk}/checkin/").content.decode()
    assert 'data-outcome="checked-in"' in first
    door = Client(headers={"Accept-Language": "en"})
    door.force_login(member("moderator"))
    token = ticket_token_make(registration.ticket_code)
    second = door.post(_base(seminar) + "checkin/scan/", {"token": token}).content.decode()
    registration.refresh_from_db()
    assert 'data-outcome="already"' in second
    when = registration.checked_in_at.astimezone(seminar.tz).strftime("%H:%M")
    assert f"was already checked in at {when} by owner." in second
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 1


def test_checkin_forged_ticket_is_refused(owner_client, seminar, user) -> None:
    publish(seminar, user)
    html = owner_client.post(
        _base(seminar) + "checkin/scan/", {"token": "abc:def"}
    ).content.decode()
    assert 'data-outcome="not_found"' in html


def test_import_dry_run_reports_every_bad_row_and_imports_nothing(
    owner_client, seminar, user
) -> None:
    publish(seminar, user)
    register(seminar, "taken@example.org")
    bad = (
        EVENTBRITE
        + "104,,,,not-an-email,1,General,Attending,,,\n105,,A,B,taken@example.org,1,General,Attending,,,\n106,,C,D,maria@example.org,1,General,Attending,,,\n"
    )
    response = owner_client.post(
        _base(seminar) + "import/", {"file": SimpleUploadedFile("eb.csv", bad.encode())}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'data-ok="false"' in html
    for line in ("<td>5</td>", "<td>6</td>", "<td>7</td>"):
        assert line in html
    assert 'id="import-button"' not in html
    assert Registration.objects.count() == 1


def test_import_dry_run_then_commit(owner_client, seminar, user) -> None:
    publish(seminar, user)
    response = owner_client.post(
        _base(seminar) + "import/",
        {"file": SimpleUploadedFile("eb.csv", EVENTBRITE.encode("utf-8-sig"))},
    )
    html = response.content.decode()
    assert 'data-ok="true"' in html
    assert "Cell Phone" in html  # listed as ignored
    assert Registration.objects.count() == 0
    key = html.split('name="upload_key" value="', 1)[1].split('"', 1)[0]
    done = owner_client.post(_base(seminar) + "import/", {"upload_key": key})
    assert done.status_code == 302
    rows = sorted(
        (r.name, r.email, r.profession, r.organisation, r.source, r.checked_in_at is not None)
        for r in Registration.objects.all()
    )
    assert rows == [
        ("John Smith", "john@example.org", "", "", "import", True),
        ("Μαρία Κωνσταντίνου", "maria@example.org", "Δημοσιογράφος", "ΕΡΤ", "import", False),
    ]


def test_export_csv_and_xlsx(owner_client, seminar, user) -> None:
    publish(seminar, user)
    register(seminar, "eleni@example.org", first_touch_code="ABC")
    csv_body = owner_client.get(_base(seminar) + "export.csv").content.decode("utf-8")
    assert csv_body.startswith("\ufeffname,email,status,")
    assert "Ελένη Παπαδοπούλου,eleni@example.org,registered," in csv_body
    xlsx = owner_client.get(_base(seminar) + "export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A2"].value == "Ελένη Παπαδοπούλου"
    assert sheet["N2"].value == "ABC"


def test_settings_form_publishes_page(owner_client, seminar) -> None:
    response = owner_client.post(
        _base(seminar) + "settings/",
        {
            "is_public": "on",
            "registration_open": "on",
            "waitlist_enabled": "on",
            "optional_fields": ["profession", "heard_from"],
            "required_fields": ["heard_from"],
            "privacy_notice_el": "Σημείωμα",
            "privacy_version": "2026-1",
            "confirm_within_hours": "48",
        },
    )
    assert response.status_code == 302
    page = Client(headers={"Accept-Language": "en"}).get(f"/s/{seminar.slug}/").content.decode()
    assert 'name="profession"' in page and 'name="heard_from"' in page
    assert 'name="age_band"' not in page
