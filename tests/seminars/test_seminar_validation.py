"""An invalid seminar is refused with translated errors, in the UI and the API, and nothing is
saved half-way."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import translation

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.core.errors import ValidationFailed
from keryx.seminars.domain.seminars import SeminarData, seminar_create
from keryx.seminars.models import Persona, Seminar
from tests.factories import make_token, seminar_fields

pytestmark = pytest.mark.django_db

BAD = {
    "starts_at": "2026-12-12T17:00:00",
    "ends_at": "2026-12-12T09:00:00",
    "time_zone": "Europe/Atlantis",
    "capacity": -5,
}


def test_domain_refuses_all_three_problems_at_once_and_saves_no_persona(user, workspace) -> None:  # type: ignore[no-untyped-def]
    access = workspace_access(user, workspace, Perm.SEMINAR_CREATE)
    fields = seminar_fields(capacity=-5, time_zone="Europe/Atlantis")
    fields["ends_at"], fields["starts_at"] = fields["starts_at"], fields["ends_at"]
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        seminar_create(
            access=access,
            data=SeminarData(fields=fields, personas=[{"name": "Φοιτητές"}, {"name": ""}]),
        )
    assert caught.value.fields == {
        "time_zone": [
            "“Europe/Atlantis” is not a known time zone. Use a name such as Europe/Athens."
        ],
        "capacity": ["The capacity cannot be negative. Leave it empty for no limit."],
        "ends_at": ["The seminar must end after it starts."],
        "personas[1].name": ["This field cannot be blank."],
    }
    assert Seminar.objects.count() == 0
    assert Persona.objects.count() == 0


def test_api_answers_422_with_greek_messages_in_the_error_shape(user, workspace) -> None:  # type: ignore[no-untyped-def]
    user.language = "el"
    user.save()
    client = Client(headers={"Authorization": f"Bearer {make_token(user)}"})
    body = {
        "title": "Λάθος σεμινάριο",
        "format": "online",
        **BAD,
        "personas": [{"name": "Φοιτητές"}],
    }
    response = client.post(
        f"/api/v1/workspaces/{workspace.slug}/seminars",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"] == "Κάποια πεδία δεν είναι έγκυρα. Δεν αποθηκεύτηκε τίποτα."
    assert error["fields"]["ends_at"] == ["Το σεμινάριο πρέπει να λήγει μετά την έναρξή του."]
    assert error["fields"]["time_zone"] == [
        "Το «Europe/Atlantis» δεν είναι γνωστή ζώνη ώρας. Χρησιμοποιήστε όνομα όπως Europe/Athens."
    ]
    assert error["fields"]["capacity"] == [
        "Οι θέσεις δεν μπορεί να είναι αρνητικός αριθμός. Αφήστε κενό για απεριόριστες."
    ]
    assert Seminar.objects.count() == 0
    assert Persona.objects.count() == 0


def test_api_pydantic_errors_use_the_same_shape(api, workspace) -> None:  # type: ignore[no-untyped-def]
    response = api.post(
        f"/api/v1/workspaces/{workspace.slug}/seminars",
        json.dumps({"title": "", "starts_at": "tomorrow"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert fields["title"] == ["Use at least 1 characters."]
    assert fields["starts_at"] == ["Enter a date and time such as 2026-05-14T09:30:00+03:00."]
    assert fields["ends_at"] == ["This field is required."]


def test_ui_shows_translated_errors_and_keeps_what_was_typed(user, workspace) -> None:  # type: ignore[no-untyped-def]
    user.language = "el"
    user.save()
    client = Client()
    client.force_login(user)
    response = client.post(
        f"/w/{workspace.slug}/seminars/new/",
        {
            "title": "Εργαστήριο που δεν θα σωθεί",
            "language": "el",
            "languages": ["el"],
            "format": "in_person",
            "venue_name": "Τεχνόπολη",
            "time_zone": "Europe/Athens",
            "starts_at": "2026-12-12T17:00",
            "ends_at": "2026-12-12T09:00",
            "capacity": "-3",
            "currency": "EUR",
            "hashtags": "#καλό #2026",
            "personas-TOTAL_FORMS": "1",
            "personas-INITIAL_FORMS": "0",
            "personas-MIN_NUM_FORMS": "0",
            "personas-MAX_NUM_FORMS": "20",
            "personas-0-name": "Φοιτητές",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Διορθώστε τα πεδία που σημειώνονται παρακάτω. Δεν αποθηκεύτηκε τίποτα." in page
    assert "Το σεμινάριο πρέπει να λήγει μετά την έναρξή του." in page
    assert "Μη έγκυρο hashtag: #2026." in page
    assert "Οι θέσεις δεν μπορεί να είναι αρνητικός αριθμός. Αφήστε κενό για απεριόριστες." in page
    assert 'value="Εργαστήριο που δεν θα σωθεί"' in page
    assert 'value="Φοιτητές"' in page
    assert Seminar.objects.count() == 0


def test_ui_creates_a_seminar_with_a_persona_in_the_seminar_time_zone(user, workspace) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    response = client.post(
        f"/w/{workspace.slug}/seminars/new/",
        {
            "title": "Webinar για το LinkedIn",
            "language": "en",
            "languages": ["en", "el"],
            "format": "online",
            "time_zone": "America/New_York",
            "starts_at": "2027-01-15T12:00",
            "ends_at": "2027-01-15T13:30",
            "currency": "EUR",
            "hashtags": "LinkedIn, #Σεμινάριο2027",
            "kpi_registrations": "150",
            "other_title": "Webinar για το LinkedIn (ελληνικά)",
            "personas-TOTAL_FORMS": "2",
            "personas-INITIAL_FORMS": "0",
            "personas-MIN_NUM_FORMS": "0",
            "personas-MAX_NUM_FORMS": "20",
            "personas-0-name": "Press officers",
            "personas-0-interests": "research, open science",
            "personas-0-preferred_networks": ["linkedin", "bluesky"],
        },
    )
    seminar = Seminar.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/w/{workspace.slug}/seminars/{seminar.pk}/"
    assert seminar.starts_at.isoformat() == "2027-01-15T17:00:00+00:00"
    assert seminar.hashtags == ["#LinkedIn", "#Σεμινάριο2027"]
    assert list(seminar.kpi_targets.values_list("metric", "target")) == [("registrations", 150)]
    assert list(seminar.translations.values_list("language", "title")) == [
        ("el", "Webinar για το LinkedIn (ελληνικά)")
    ]
    persona = Persona.objects.get()
    assert (persona.name, persona.interests, persona.preferred_networks) == (
        "Press officers",
        ["research", "open science"],
        ["linkedin", "bluesky"],
    )
    detail = client.get(response["Location"]).content.decode()
    assert "Press officers" in detail and "America/New_York" in detail


def test_ui_shows_a_kpi_error_beside_its_field_without_internal_names(user, workspace) -> None:  # type: ignore[no-untyped-def]
    """Issue 16, bug 9."""
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    response = client.post(
        f"/w/{workspace.slug}/seminars/new/",
        {
            "title": "Βαθμολογία εκτός ορίων",
            "language": "en",
            "languages": ["en"],
            "format": "online",
            "time_zone": "Europe/Athens",
            "starts_at": "2027-01-15T12:00",
            "ends_at": "2027-01-15T13:30",
            "currency": "EUR",
            "kpi_average_rating": "7",
            "personas-TOTAL_FORMS": "0",
            "personas-INITIAL_FORMS": "0",
            "personas-MIN_NUM_FORMS": "0",
            "personas-MAX_NUM_FORMS": "20",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["kpi_average_rating"] == ["Give a value between 1 and 5."]
    assert form.non_field_errors() == []
    assert "kpi_targets" not in response.content.decode()
