"""The Greek catalogue is complete, compiled and up to date with the code."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "keryx"
CATALOGUES = sorted(SRC.glob("*/locale/el/LC_MESSAGES/django.po"))
APPS_WITH_STRINGS = sorted(p.parent for p in SRC.glob("*/apps.py"))


def _ids(po: polib.POFile) -> set[tuple[str, str, str]]:
    return {
        (e.msgctxt or "", e.msgid, e.msgid_plural or "") for e in po if not e.obsolete and e.msgid
    }


def test_there_are_catalogues() -> None:
    assert len(CATALOGUES) >= 5


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_every_message_has_a_greek_translation(po_path: Path) -> None:
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [], f"translate these in {po_path} (make messages):"
    assert fuzzy == []
    placeholders = [
        e.msgid
        for e in po.translated_entries()
        if not e.msgid_plural and sorted(_fmt(e.msgid)) != sorted(_fmt(e.msgstr))
    ]
    assert placeholders == [], "a translation lost or added a %(name)s placeholder"


def _fmt(text: str) -> list[str]:
    return re.findall(r"%\([a-z_]+\)[sd]|\{\{\s*\w+\s*\}\}", text)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_compiled_catalogue_matches_the_source(po_path: Path) -> None:
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"compile {po_path} (make messages)"
    po = polib.pofile(str(po_path))
    mo = polib.mofile(str(mo_path))
    translated = {(e.msgid, e.msgstr) for e in po.translated_entries() if not e.msgid_plural}
    compiled = {(e.msgid, e.msgstr) for e in mo if e.msgid and not e.msgid_plural}
    assert translated == compiled, f"{mo_path} is stale: run make messages"


@pytest.mark.parametrize("app", APPS_WITH_STRINGS, ids=lambda p: p.name)
def test_catalogue_has_every_string_of_the_code(app: Path, tmp_path: Path) -> None:
    """Extract the app's strings afresh (xgettext) and compare with the committed catalogue."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext is missing: apt-get install gettext (make test installs it)")
    copy = tmp_path / app.name
    shutil.copytree(
        app, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "static", "migrations")
    )
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "-P", "-m", "django", "makemessages", "--no-location", "--locale=el"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "keryx.settings.test"},
    )
    fresh_path = copy / "locale" / "el" / "LC_MESSAGES" / "django.po"
    fresh = _ids(polib.pofile(str(fresh_path))) if fresh_path.exists() else set()
    committed_path = app / "locale" / "el" / "LC_MESSAGES" / "django.po"
    committed = _ids(polib.pofile(str(committed_path))) if committed_path.exists() else set()
    assert sorted(fresh - committed) == [], (
        f"new strings in {app.name}: run make messages and translate them"
    )
