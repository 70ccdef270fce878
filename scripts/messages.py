"""Refresh every app's Greek catalogue from the code and compile it.

Each app keeps its own catalogue (src/keryx/<app>/locale/el/LC_MESSAGES/django.po), so work on
one app never conflicts with another's. Run with `make messages`; then translate the new
entries (empty msgstr) and run it again to compile. tests/web/test_i18n.py fails while any
entry is untranslated or a catalogue is out of date.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "keryx"
LANGUAGES = ["el"]


def apps() -> list[Path]:
    return sorted(p.parent for p in SRC.glob("*/apps.py"))


def makemessages(app: Path) -> None:
    (app / "locale").mkdir(exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-P",
            "-m",
            "django",
            "makemessages",
            "--no-location",
            "--no-obsolete",
            "--ignore=migrations/*",
            "--ignore=static/*",
            "--ignore=fixtures/*",
            *[f"--locale={lang}" for lang in LANGUAGES],
        ],
        cwd=app,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "keryx.settings.test"},
    )


HEADER = {
    "Project-Id-Version": "Keryx",
    "Report-Msgid-Bugs-To": "",
    "Language-Team": "Greek",
    "Language": "el",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
}


def normalise_header(po_path: Path) -> None:
    """A fixed header: no creation dates (they would make every run a merge conflict)."""
    import polib

    po = polib.pofile(str(po_path), wrapwidth=0)
    po.metadata = dict(HEADER)
    po.header = "Greek translations of Keryx. Maintained with `make messages`."
    po.metadata_is_fuzzy = False
    po.save()


def compilemessages(app: Path) -> None:
    for po in sorted(app.glob("locale/*/LC_MESSAGES/*.po")):
        subprocess.run(
            ["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)], check=True
        )


def main() -> int:
    only = set(sys.argv[1:])
    for app in apps():
        if only and app.name not in only:
            continue
        makemessages(app)
        po = app / "locale" / "el" / "LC_MESSAGES" / "django.po"
        if po.exists() and "msgid" in po.read_text(encoding="utf-8"):
            normalise_header(po)
            compilemessages(app)
        else:
            # No strings to translate in this app: keep no empty catalogue around.
            for path in (app / "locale").rglob("*"):
                if path.is_file():
                    path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
