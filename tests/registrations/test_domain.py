from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.core.errors import Conflict, NotFound, ValidationFailed
from keryx.registrations.domain.emails import confirm_url
from keryx.registrations.domain.registrations import (
    RegistrantData,
    registration_cancel,
    registration_confirm,
    registration_create,
)
from keryx.registrations.domain.settings import settings_update
from keryx.registrations.domain.tokens import confirm_token_make
from keryx.registrations.models import Consent, Registration
from tests.registrations.helpers import publish, register

pytestmark = pytest.mark.django_db


def _token(registration: Registration) -> str:
    return confirm_token_make(registration.public_id)


def test_registration_gets_a_place_until_full_then_waitlist(seminar, user) -> None:
    seminar.capacity = 2
    seminar.save(update_fields=["capacity"])
    publish(seminar, user)
    statuses = [register(seminar, f"p{i}@example.org").status for i in range(4)]
    assert statuses == ["registered", "registered", "waitlisted", "waitlisted"]


def test_registration_full_without_waitlist_is_refused_and_saves_nothing(seminar, user) -> None:
    seminar.capacity = 1
    seminar.save(update_fields=["capacity"])
    publish(seminar, user, waitlist_enabled=False)
    register(seminar, "first@example.org")
    with pytest.raises(Conflict) as exc:
        register(seminar, "second@example.org")
    assert exc.value.code == "full"
    assert Registration.objects.filter(seminar=seminar).count() == 1


def test_registration_invalid_email_is_refused_with_field_message(seminar, user) -> None:
    publish(seminar, user)
    with pytest.raises(ValidationFailed) as exc:
        register(seminar, "eleni.example.org")
    assert list(exc.value.fields) == ["email"]
    assert "eleni.example.org" in exc.value.fields["email"][0]
    assert Registration.objects.count() == 0


def test_registration_same_email_twice_is_not_counted_twice(
    seminar, user, django_capture_on_commit_callbacks
) -> None:
    publish(seminar, user)
    first = register(seminar, "Eleni@Example.org")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = registration_create(
            seminar=seminar,
            data=RegistrantData(
                name="Eleni", email="eleni@example.org", language="en", consents=["privacy"]
            ),
        )
    assert outcome.created is False
    assert outcome.registration.pk == first.pk
    assert Registration.objects.filter(seminar=seminar).count() == 1
    assert [m.subject for m in mail.outbox] == [
        "Είστε ήδη εγγεγραμμένοι: Σεμινάριο Διαχείρισης Social Media 2026"
    ]


def test_registration_without_privacy_consent_is_refused(seminar, user) -> None:
    publish(seminar, user)
    with pytest.raises(ValidationFailed) as exc:
        registration_create(
            seminar=seminar,
            data=RegistrantData(name="A", email="a@example.org", language="en"),
        )
    assert list(exc.value.fields) == ["consent_privacy"]


def test_registration_unpublished_seminar_is_closed(seminar) -> None:
    with pytest.raises(Conflict) as exc:
        register(seminar, "a@example.org")
    assert exc.value.code == "closed"


def test_registration_records_consent_version_and_text(seminar, user) -> None:
    publish(
        seminar,
        user,
        privacy_notice={"el": "Κρατάμε τα στοιχεία σας.", "en": "We keep your data."},
        privacy_version="2026-03",
        ask_marketing_consent=True,
    )
    registration = registration_create(
        seminar=seminar,
        data=RegistrantData(
            name="Anna", email="anna@example.org", language="en", consents=["privacy", "marketing"]
        ),
    ).registration
    consents = list(
        Consent.objects.filter(registration=registration).values_list(
            "kind", "version", "text", "language"
        )
    )
    assert consents == [
        ("privacy", "2026-03", "We keep your data.", "en"),
        (
            "marketing",
            "2026-03",
            "Send me news about future seminars of the same organisers.",
            "en",
        ),
    ]


def test_registration_only_stores_questions_the_seminar_asks(seminar, user) -> None:
    publish(seminar, user, optional_fields=["profession"], required_fields=["profession"])
    with pytest.raises(ValidationFailed) as exc:
        register(seminar, "a@example.org")
    assert list(exc.value.fields) == ["profession"]
    registration = register(
        seminar, "b@example.org", answers={"profession": "Δημοσιογράφος", "region": "Κρήτη"}
    )
    assert (registration.profession, registration.region) == ("Δημοσιογράφος", "")


def test_settings_changed_notice_needs_new_version(seminar, user) -> None:
    publish(seminar, user, privacy_notice={"el": "Α"}, privacy_version="1")
    access = workspace_access(user, seminar.workspace, Perm.REGISTRATIONS_MANAGE)
    with pytest.raises(ValidationFailed) as exc:
        settings_update(access=access, seminar=seminar, fields={"privacy_notice": {"el": "Β"}})
    assert list(exc.value.fields) == ["privacy_version"]


def test_confirm_once_then_reused_link_changes_nothing(seminar, user) -> None:
    publish(seminar, user)
    registration = register(seminar, "a@example.org")
    first = registration_confirm(token=_token(registration), seminar=seminar)
    registration.refresh_from_db()
    confirmed_at = registration.confirmed_at
    second = registration_confirm(token=_token(registration), seminar=seminar)
    registration.refresh_from_db()
    assert (first.state, second.state) == ("confirmed", "already")
    assert registration.confirmed_at == confirmed_at


def test_confirm_expired_link_is_answered_and_confirms_nothing(seminar, user) -> None:
    publish(seminar, user, confirm_within_hours=2)
    with time_machine.travel(dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        registration = register(seminar, "a@example.org")
        token = _token(registration)
    with time_machine.travel(dt.datetime(2026, 5, 1, 11, 30, tzinfo=dt.UTC), tick=False):
        outcome = registration_confirm(token=token, seminar=seminar)
    registration.refresh_from_db()
    assert outcome.state == "expired"
    assert registration.confirmed_at is None


def test_confirm_forged_link_is_not_found(seminar, user) -> None:
    publish(seminar, user)
    registration = register(seminar, "a@example.org")
    with pytest.raises(NotFound):
        registration_confirm(token=_token(registration)[:-2] + "xx", seminar=seminar)


def test_cancel_promotes_first_waitlisted_and_emails_them(
    seminar, user, django_capture_on_commit_callbacks
) -> None:
    seminar.capacity = 1
    seminar.save(update_fields=["capacity"])
    publish(seminar, user)
    holder = register(seminar, "holder@example.org")
    first_waiting = register(seminar, "w1@example.org", language="en")
    register(seminar, "w2@example.org")
    registration_confirm(token=_token(first_waiting), seminar=seminar)
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=holder)
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {
        "holder@example.org": "cancelled",
        "w1@example.org": "registered",
        "w2@example.org": "waitlisted",
    }
    promoted = next(m for m in mail.outbox if m.to == ["w1@example.org"])
    assert promoted.subject == "A place is yours: Σεμινάριο Διαχείρισης Social Media 2026"
    assert [a[0] for a in promoted.attachments] == ["ticket.png", "seminar.ics"]


def test_cancel_twice_frees_one_place_only(seminar, user) -> None:
    seminar.capacity = 1
    seminar.save(update_fields=["capacity"])
    publish(seminar, user)
    holder = register(seminar, "holder@example.org")
    register(seminar, "w1@example.org")
    register(seminar, "w2@example.org")
    registration_cancel(registration=holder)
    registration_cancel(registration=holder)
    assert Registration.objects.filter(status="registered").count() == 1


def test_confirm_url_points_at_public_site(seminar, user, settings) -> None:
    settings.KERYX_BASE_URL = "https://keryx.example.org"
    publish(seminar, user)
    registration = register(seminar, "a@example.org")
    assert confirm_url(registration).startswith(
        f"https://keryx.example.org/s/{seminar.slug}/confirm/"
    )
