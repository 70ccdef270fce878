"""Fill empty Greek msgstrs from a translation table (a Python file defining T and P).

Usage: python scripts/apply_translations.py TABLE.py [APP ...]
T maps msgid → msgstr; P maps a plural msgid → (singular, plural). Only empty entries are
filled; existing translations are kept. Prints what is still untranslated.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import polib

SRC = Path(__file__).resolve().parent.parent / "src" / "keryx"


def main() -> int:
    table = runpy.run_path(sys.argv[1])
    singular: dict[str, str] = table.get("T", {})
    plural: dict[str, tuple[str, str]] = table.get("P", {})
    only = set(sys.argv[2:])
    missing = 0
    for po_path in sorted(SRC.glob("*/locale/el/LC_MESSAGES/django.po")):
        app = po_path.parts[-5]
        if only and app not in only:
            continue
        po = polib.pofile(str(po_path))
        for entry in po:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                # msgmerge guessed from a similar message: never trust the guess.
                entry.flags.remove("fuzzy")
                entry.previous_msgid = None
                entry.msgstr = ""
                entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
            if entry.msgid_plural:
                if not all(entry.msgstr_plural.values()) and entry.msgid in plural:
                    one, many = plural[entry.msgid]
                    entry.msgstr_plural = {0: one, 1: many}
                if not all(entry.msgstr_plural.values()):
                    missing += 1
                    print(f"{app}: untranslated plural {entry.msgid!r}")
            else:
                if not entry.msgstr and entry.msgid in singular:
                    entry.msgstr = singular[entry.msgid]
                if not entry.msgstr:
                    missing += 1
                    print(f"{app}: untranslated {entry.msgid!r}")
        po.save()
    print(f"{missing} untranslated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
