"""The privacy pages: the staff's tab (export, erase, retention, the request log) and the
person's own (a link by e-mail to their data, withdrawing a consent with one click)."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
import time_machine
from django.core import mail
from django.test import Client

from keryx.core.models import AuditEntry
from keryx.privacy.domain.links import consent_in_force, consent_token_make, my_data_token_make
from keryx.privacy.models import PrivacyRequest, RetentionSetting
from keryx.registrations.domain.registrations import RegistrantData, registration_create
from keryx.registrations.models import Consent, Registration
from tests.factories import make_member
from tests.registrations.helpers import publish

pytestmark = pytest.mark.django_db

EMAIL = "irini.stavrou@example.org"
NAME = "Ειρήνη Σταύρου"


@pytest.fixture
def registrant(user, seminar) -> Registration:  # type: ignore[no-untyped-def]
    publish(seminar, user, ask_marketing_consent=True)
    return registration_create(
        seminar=seminar,
        data=RegistrantData(
            name=NAME, email=EMAIL, language="el", consents=["privacy", "marketing"]
        ),
    ).registration


def test_staff_export_is_a_zip_of_this_workspace_only(
    owner_client: Client, workspace, registrant
) -> None:  # type: ignore[no-untyped-def]
    response = owner_client.post(
        f"/w/{workspace.slug}/settings/privacy/export/", {"export-email": EMAIL.upper()}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    rows = json.loads(archive.read("registrations-registration.json"))
    assert [(r["name"], r["email"]) for r in rows] == [(NAME, EMAIL)]
    logged = PrivacyRequest.objects.get()
    assert (logged.kind, logged.channel, logged.workspace_id) == ("export", "staff", workspace.pk)
    assert logged.summary["registrations.registration"] == 1
    assert AuditEntry.objects.filter(action="privacy.export").count() == 1


def test_staff_export_finds_nothing_of_another_workspace(registrant) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_user, make_workspace

    other_owner = make_user("other.owner@example.org")
    other = make_workspace(other_owner, "Άλλη ομάδα")
    client = Client()
    client.force_login(other_owner)
    response = client.post(
        f"/w/{other.slug}/settings/privacy/export/", {"export-email": EMAIL}, follow=True
    )
    assert "This workspace holds nothing on that address." in response.content.decode()


def test_the_privacy_tab_is_for_owners_and_managers(workspace, member) -> None:  # type: ignore[no-untyped-def]
    editor = Client()
    editor.force_login(member("editor"))
    assert editor.get(f"/w/{workspace.slug}/settings/privacy/").status_code == 403
    assert editor.post(f"/w/{workspace.slug}/settings/privacy/erase/", {}).status_code == 403
    manager = Client()
    manager.force_login(member("manager"))
    assert manager.get(f"/w/{workspace.slug}/settings/privacy/").status_code == 200


def test_staff_erase_needs_the_address_twice_and_then_erases(
    owner_client: Client, workspace, registrant
) -> None:  # type: ignore[no-untyped-def]
    url = f"/w/{workspace.slug}/settings/privacy/erase/"
    page = owner_client.post(
        url, {"erase-email": EMAIL, "erase-confirm": "other@example.org"}, follow=True
    ).content.decode()
    assert "The two addresses differ." in page
    assert Registration.objects.get(pk=registrant.pk).name == NAME

    page = owner_client.post(
        url, {"erase-email": EMAIL, "erase-confirm": EMAIL}, follow=True
    ).content.decode()
    erased = Registration.objects.get(pk=registrant.pk)
    assert (erased.name, erased.status) == ("", "cancelled")
    assert "Erased:" in page
    assert EMAIL not in page
    logged = PrivacyRequest.objects.get(kind="erasure")
    assert logged.channel == "staff"
    assert AuditEntry.objects.get(action="privacy.erase").changes["records"][1] >= 3


def test_a_member_erased_by_the_workspace_keeps_their_account(
    owner_client: Client, workspace
) -> None:  # type: ignore[no-untyped-def]
    colleague = make_member(workspace, "editor", email="colleague@example.org")
    owner_client.post(
        f"/w/{workspace.slug}/settings/privacy/erase/",
        {"erase-email": "colleague@example.org", "erase-confirm": "colleague@example.org"},
    )
    colleague.refresh_from_db()
    assert (colleague.email, colleague.is_active) == ("colleague@example.org", True)


def test_retention_is_set_per_workspace_and_reset_to_the_default(
    owner_client: Client, workspace
) -> None:  # type: ignore[no-untyped-def]
    url = f"/w/{workspace.slug}/settings/privacy/retention/"
    owner_client.post(url, {"kind": "links.click", "days": "90"})
    assert RetentionSetting.objects.get(workspace=workspace, kind="links.click").days == 90
    page = owner_client.get(f"/w/{workspace.slug}/settings/privacy/").content.decode()
    assert 'value="90"' in page and "default: 395" in page
    owner_client.post(url, {"kind": "links.click", "days": "395"})
    assert not RetentionSetting.objects.exists()
    page = owner_client.post(url, {"kind": "links.nothing", "days": "5"}, follow=True)
    assert "Unknown kind of data." in page.content.decode()


def test_a_person_gets_a_link_to_their_data_and_downloads_it(client: Client, registrant) -> None:  # type: ignore[no-untyped-def]
    page = client.post("/privacy/", {"email": EMAIL}).content.decode()
    assert "If we hold anything on this address" in page
    [message] = mail.outbox
    assert message.to == [EMAIL]
    link = re.search(r"http\S+/privacy/me/(\S+)/", message.body)
    assert link is not None
    assert EMAIL not in link.group(0)
    me = client.get(f"/privacy/me/{link.group(1)}/").content.decode()
    assert "News about future seminars" in me
    download = client.get(f"/privacy/me/{link.group(1)}/export.zip")
    assert download["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert "registrations-consent.csv" in names
    assert PrivacyRequest.objects.get().channel == "self"


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client: Client, registrant) -> None:  # type: ignore[no-untyped-def]
    page = client.post("/privacy/", {"email": "stranger@example.org"}).content.decode()
    assert "If we hold anything on this address" in page
    assert mail.outbox == []


def test_the_link_expires_after_a_day(client: Client, registrant) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-12-01 10:00Z", tick=False):
        token = my_data_token_make(EMAIL)
    with time_machine.travel("2026-12-02 09:59Z", tick=False):
        assert client.get(f"/privacy/me/{token}/").status_code == 200
    with time_machine.travel("2026-12-02 10:01Z", tick=False):
        assert client.get(f"/privacy/me/{token}/").status_code == 410
    assert client.get("/privacy/me/forged/").status_code == 410


def test_withdrawing_marketing_consent_is_one_click(client: Client, registrant) -> None:  # type: ignore[no-untyped-def]
    consent = Consent.objects.get(registration=registrant, kind="marketing")
    url = f"/privacy/consent/{consent_token_make(consent.pk)}/"
    assert "Withdraw my consent" in client.get(url).content.decode()
    page = client.post(url, follow=True).content.decode()
    assert "Your consent is withdrawn." in page
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert not consent_in_force(registrant.pk, "marketing")
    assert consent_in_force(registrant.pk, "privacy")
    assert Registration.objects.get(pk=registrant.pk).name == NAME  # the registration stays
    assert client.get(f"/privacy/consent/{consent.pk}:forged/").status_code == 404


def test_withdrawing_the_privacy_consent_erases_the_registration(
    client: Client, registrant
) -> None:  # type: ignore[no-untyped-def]
    consent = Consent.objects.get(registration=registrant, kind="privacy")
    client.post(f"/privacy/consent/{consent_token_make(consent.pk)}/")
    erased = Registration.objects.get(pk=registrant.pk)
    assert (erased.name, erased.status) == ("", "cancelled")


def test_the_registrants_own_page_links_to_each_consent(client: Client, registrant) -> None:  # type: ignore[no-untyped-def]
    from keryx.registrations.domain.tokens import manage_token_make

    page = client.get(
        f"/s/{registrant.seminar.slug}/me/{manage_token_make(registrant.public_id)}/"
    ).content.decode()
    for consent in registrant.consents.all():
        assert f"/privacy/consent/{consent_token_make(consent.pk)}/" in page


def test_staff_see_when_a_consent_was_withdrawn(owner_client: Client, registrant) -> None:  # type: ignore[no-untyped-def]
    consent = Consent.objects.get(registration=registrant, kind="marketing")
    Client().post(f"/privacy/consent/{consent_token_make(consent.pk)}/")
    seminar = registrant.seminar
    page = owner_client.get(
        f"/w/{seminar.workspace.slug}/registrations/{seminar.pk}/{registrant.pk}/"
    ).content.decode()
    assert page.count("withdrawn") == 1
