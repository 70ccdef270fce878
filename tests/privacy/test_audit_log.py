"""The audit log keeps ids, not names and e-mail addresses, and shows actions in words."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.test import Client

from keryx.core.domain.audit import audit_record
from keryx.core.models import AuditEntry
from keryx.links.models import TrackedLink
from keryx.registrations.models import Registration
from tests.registrations.helpers import publish, register

pytestmark = pytest.mark.django_db


def test_an_entry_about_a_registrant_holds_no_name_or_address(user, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    publish(seminar, user)
    registration = register(seminar, "danae.k@example.org", name="Δανάη Καλλιγά")
    entry = audit_record(
        action="registration.update",
        actor=user,
        workspace=workspace,
        obj=registration,
        changes={"name": ["Δανάη Κ.", "Δανάη Καλλιγά"], "status": ["waitlisted", "registered"]},
    )
    entry.refresh_from_db()
    assert (entry.actor_id, entry.actor_label) == (user.pk, "")
    assert (entry.object_type, entry.object_id, entry.object_repr) == (
        "registrations.registration",
        str(registration.pk),
        "",
    )
    assert entry.changes == {"name": ["•", "•"], "status": ["waitlisted", "registered"]}
    system = audit_record(action="variant.settle", actor=None, workspace=workspace)
    assert system.actor_label == "system"


def test_the_page_shows_actions_and_actors_in_words(
    owner_client: Client, user, workspace, seminar
) -> None:  # type: ignore[no-untyped-def]
    link = TrackedLink.objects.create(
        workspace=workspace, seminar=seminar, code="abc123", destination="https://example.org/"
    )
    audit_record(action="link.create", actor=user, workspace=workspace, obj=link)
    audit_record(action="variant.unschedule", actor=None, workspace=workspace)
    audit_record(action="speaker.frobnicate", actor=None, workspace=workspace)
    audit_record(
        action="seminar.update",
        actor=user,
        workspace=workspace,
        obj=seminar,
        changes={"capacity": [120, 80]},
    )
    page = owner_client.get(f"/w/{workspace.slug}/settings/audit/").content.decode()
    assert "Tracked link created" in page
    assert "Post unscheduled" in page
    assert "Speaker: frobnicate" in page
    assert "Keryx (automatic)" in page
    assert "Capacity: 120 → 80" in page
    assert "link.create" not in page and "variant.unschedule" not in page
    assert ">system<" not in page
    assert user.email not in page

    owner_client.post("/language/", {"language": "el", "next": "/"})
    greek = owner_client.get(f"/w/{workspace.slug}/settings/audit/").content.decode()
    assert "Keryx (αυτόματα)" in greek and "Δημιουργήθηκε σύνδεσμος παρακολούθησης" in greek


def test_an_entry_about_an_erased_user_shows_them_as_erased(
    owner_client: Client, user, workspace, seminar
) -> None:  # type: ignore[no-untyped-def]
    from keryx.privacy.domain.erasure import subject_erase
    from tests.factories import make_member

    editor = make_member(workspace, "editor", email="leaving.editor@example.org")
    audit_record(action="seminar.update", actor=editor, workspace=workspace, obj=seminar)
    subject_erase("leaving.editor@example.org")
    page = owner_client.get(f"/w/{workspace.slug}/settings/audit/").content.decode()
    assert "Erased user" in page
    assert "leaving.editor" not in page


def test_the_migration_blanks_addresses_and_personal_texts_of_old_entries(
    user, workspace, seminar
) -> None:  # type: ignore[no-untyped-def]
    publish(seminar, user)
    registration = register(seminar, "old.entry@example.org", name="Παλιά Εγγραφή")
    old = AuditEntry.objects.create(
        workspace=workspace,
        actor=user,
        actor_label=user.email,
        action="registration.update",
        object_type="registrations.registration",
        object_id=str(registration.pk),
        object_repr=str(registration),
        changes={"email": ["a@example.org", "old.entry@example.org"], "status": ["x", "y"]},
    )
    kept = AuditEntry.objects.create(
        workspace=workspace,
        actor_label="system",
        action="seminar.update",
        object_type="seminars.seminar",
        object_id=str(seminar.pk),
        object_repr=seminar.title,
        changes={"capacity": [1, 2]},
    )
    migration = importlib.import_module("keryx.core.migrations.0002_audit_without_personal_data")
    migration.forwards(django_apps, None)
    old.refresh_from_db()
    kept.refresh_from_db()
    assert (old.actor_id, old.actor_label, old.object_repr) == (user.pk, "", "")
    assert old.changes == {"email": ["•", "•"], "status": ["x", "y"]}
    assert (kept.actor_label, kept.object_repr, kept.changes) == (
        "system",
        seminar.title,
        {"capacity": [1, 2]},
    )
    assert Registration.objects.filter(pk=registration.pk).exists()
