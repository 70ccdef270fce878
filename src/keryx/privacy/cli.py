"""``keryx privacy``: export, erase, retention — for the data protection officer's scripts.

* ``keryx privacy export --email ADDRESS --out FILE.zip``
* ``keryx privacy erase --email ADDRESS --yes``
* ``keryx privacy retention [--dry-run]``

Exit status: 0 done, 1 nobody has that address (nothing written or erased), 2 bad usage
(a missing ``--yes``, an address that is not one). The address is never printed to the log.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TextIO

NOBODY = 1
USAGE = 2


def add_parser(sub: argparse._SubParsersAction) -> None:
    privacy = sub.add_parser(
        "privacy",
        help="Personal data: export or erase a person, enforce retention.",
        description="Personal data: export or erase everything Keryx holds on a person.",
    )
    actions = privacy.add_subparsers(dest="privacy_command", required=True, metavar="ACTION")
    export = actions.add_parser(
        "export",
        help="Write a ZIP (JSON and CSV per kind) of everything held on an address.",
        description="Exit 0 written, 1 nobody has that address, 2 bad usage.",
    )
    export.add_argument("--email", required=True, metavar="ADDRESS")
    export.add_argument("--out", required=True, metavar="FILE.zip", type=Path)
    export.set_defaults(func=run_export)
    erase = actions.add_parser(
        "erase",
        help="Erase everything held on an address, in every app (counts stay).",
        description="Exit 0 erased, 1 nobody has that address, 2 bad usage (no --yes).",
    )
    erase.add_argument("--email", required=True, metavar="ADDRESS")
    erase.add_argument("--yes", action="store_true", help="Confirm: this cannot be undone.")
    erase.set_defaults(func=run_erase)
    retention = actions.add_parser(
        "retention",
        help="Remove personal data kept longer than its retention period.",
        description="Print, as JSON, what was removed (or would be, with --dry-run) per kind.",
    )
    retention.add_argument("--dry-run", action="store_true")
    retention.set_defaults(func=run_retention)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keryx.settings.production")
    import django

    django.setup()


def _say(stream: TextIO, text: str) -> None:
    stream.write(text + "\n")


def _address(value: str) -> str | None:
    from keryx.core.errors import ValidationFailed
    from keryx.privacy.domain.subjects import clean_email

    try:
        return clean_email(value)
    except ValidationFailed:
        _say(sys.stderr, "keryx privacy: --email is not an e-mail address.")
        return None


def run_export(args: argparse.Namespace) -> int:
    _setup()
    email = _address(args.email)
    if email is None:
        return USAGE
    from keryx.privacy.domain.requests import subject_export_logged

    data, request = subject_export_logged(email)
    if not request.summary:
        _say(sys.stderr, "keryx privacy: nobody has that address; nothing written.")
        return NOBODY
    args.out.write_bytes(data)
    _say(sys.stdout, json.dumps({"out": str(args.out), "records": request.summary}, indent=2))
    return 0


def run_erase(args: argparse.Namespace) -> int:
    if not args.yes:
        _say(sys.stderr, "keryx privacy erase: add --yes to confirm; erasure cannot be undone.")
        return USAGE
    _setup()
    email = _address(args.email)
    if email is None:
        return USAGE
    from keryx.privacy.domain.erasure import subject_erase

    result = subject_erase(email)
    if not result.found_anything:
        _say(sys.stderr, "keryx privacy: nobody has that address; nothing erased.")
        return NOBODY
    _say(
        sys.stdout,
        json.dumps({"request": result.request.pk, "records": result.summary}, indent=2),
    )
    return 0


def run_retention(args: argparse.Namespace) -> int:
    _setup()
    from keryx.privacy.domain.retention import retention_enforce

    report = retention_enforce(dry_run=args.dry_run)
    _say(sys.stdout, json.dumps({"dry_run": args.dry_run, "removed": report.removed}, indent=2))
    return 0
