"""The UI shell: no CDN, every area named, unbuilt areas say so, language persists, audit log."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from keryx.web.navigation import AREAS

SRC = Path(__file__).resolve().parents[2] / "src"
EXTERNAL = re.compile(r"<(script|link)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//", re.IGNORECASE)


def test_no_template_loads_a_script_or_stylesheet_from_another_site() -> None:
    offenders = []
    for template in SRC.rglob("templates/**/*.html"):
        for match in EXTERNAL.finditer(template.read_text(encoding="utf-8")):
            offenders.append(f"{template.relative_to(SRC)}: {match.group(0)}")
    assert offenders == []


def test_vendored_libraries_carry_their_licences() -> None:
    vendor = SRC / "keryx" / "web" / "static" / "vendor"
    for library in ("htmx", "chartjs", "fullcalendar"):
        assert any(p.name.upper().startswith("LICENSE") for p in (vendor / library).iterdir()), (
            library
        )


def test_no_inline_scripts_anywhere() -> None:
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE
    )
    handlers = re.compile(r"\son(click|submit|change|load|input)\s*=", re.IGNORECASE)
    offenders = [
        str(t.relative_to(SRC))
        for t in SRC.rglob("templates/**/*.html")
        if inline.search(t.read_text(encoding="utf-8"))
        or handlers.search(t.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.django_db
def test_navigation_names_every_area_and_csp_forbids_inline_scripts(
    owner_client: Client, workspace
) -> None:  # type: ignore[no-untyped-def]
    response = owner_client.get(f"/w/{workspace.slug}/seminars/")
    page = response.content.decode()
    for label in [
        "Plan",
        "Compose",
        "Calendar",
        "Inbox",
        "Live",
        "Registrations",
        "Surveys",
        "Analytics",
        "Settings",
    ]:
        assert f">{label}" in page, label
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    csp = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )


@pytest.mark.django_db
def test_areas_not_built_yet_say_so_plainly(owner_client: Client, workspace) -> None:  # type: ignore[no-untyped-def]
    for area in [a for a in AREAS if not a.built]:
        page = owner_client.get(f"/w/{workspace.slug}/{area.key}/").content.decode()
        assert "This area is not built yet." in page, area.key
    assert owner_client.get(f"/w/{workspace.slug}/nonsense/").status_code == 404


@pytest.mark.django_db
def test_language_switch_persists_on_the_user(owner_client: Client, user, workspace) -> None:  # type: ignore[no-untyped-def]
    owner_client.post("/language/", {"language": "el", "next": "/"})
    user.refresh_from_db()
    assert user.language == "el"
    fresh = Client()  # another browser: no cookie, but the profile remembers
    fresh.force_login(user)
    assert "<h1>Σεμινάρια</h1>" in fresh.get(f"/w/{workspace.slug}/seminars/").content.decode()
    redirect = owner_client.post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert redirect["Location"] == "/"


@pytest.mark.django_db
def test_audit_log_is_for_owners_and_managers_only(
    owner_client: Client, workspace, seminar, member
) -> None:  # type: ignore[no-untyped-def]
    page = owner_client.get(f"/w/{workspace.slug}/settings/audit/").content.decode()
    assert "Seminar created" in page and seminar.title in page
    editor = Client()
    editor.force_login(member("editor"))
    assert editor.get(f"/w/{workspace.slug}/settings/audit/").status_code == 403
    outsider = Client()
    from tests.factories import make_user

    outsider.force_login(make_user("x@example.org"))
    assert outsider.get(f"/w/{workspace.slug}/settings/audit/").status_code == 404


@pytest.mark.django_db
def test_seminar_edit_is_audited_with_the_changed_fields(
    owner_client: Client, workspace, seminar
) -> None:  # type: ignore[no-untyped-def]
    from keryx.core.models import AuditEntry
    from keryx.seminars.forms import SeminarForm

    data = {k: v for k, v in SeminarForm.initial_from(seminar).items() if v is not None}
    data.update(
        capacity="80",
        starts_at="2026-12-12T09:30",
        ends_at="2026-12-12T17:00",
        hashtags="#Σεμινάριο2026",
    )
    owner_client.post(f"/w/{workspace.slug}/seminars/{seminar.pk}/edit/", data)
    entry = AuditEntry.objects.filter(action="seminar.update").get()
    assert entry.changes == {"capacity": [120, 80]}
