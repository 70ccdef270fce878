"""``keryx compose check``: a post's text checked for one network, printed as one JSON object.

It runs :func:`keryx.networks.rules.check_text` (the text; media are checked in the composer) with the same code the
composer and the publisher use, and needs no database: Django is set up with the minimal
settings translation needs, unless ``DJANGO_SETTINGS_MODULE`` names full ones.

Exit status: 0 the text is valid for the network, 1 it is not, 2 bad usage (unknown network,
unreadable file, text that is not UTF-8).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import BinaryIO

PACKAGE = Path(__file__).resolve().parent.parent


def add_parser(sub: argparse._SubParsersAction) -> None:
    compose = sub.add_parser(
        "compose",
        help="Composer tools for scripts: check a post's text against a network's rules.",
        description="Composer tools for scripts.",
    )
    actions = compose.add_subparsers(dest="compose_command", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check",
        help="Check a text for one network; print the result as JSON.",
        description=(
            "Check a post's text against a network's rules, exactly as the composer and the "
            "publisher do, and print one JSON object: network, valid, length, limit, errors, "
            "warnings, facets. Exit 0 when valid, 1 when not, 2 on bad usage. The text is read "
            "as UTF-8; one final line break (as text files end with) and a byte-order mark are "
            "not part of the post."
        ),
    )
    from keryx.networks.registry import network_keys

    check.add_argument("--network", required=True, choices=network_keys())
    check.add_argument(
        "--text-file",
        default="-",
        metavar="FILE",
        help="The file to read, or - (the default) for standard input.",
    )
    check.add_argument(
        "--mastodon-max-characters",
        type=int,
        default=None,
        metavar="N",
        help="The Mastodon instance's max_characters (default 500).",
    )
    check.add_argument(
        "--instagram-max-hashtags",
        type=int,
        default=None,
        metavar="N",
        help="Instagram's hashtag cap (default 5).",
    )
    check.add_argument(
        "--language", choices=("en", "el"), default=None, help="Language of messages."
    )
    check.set_defaults(func=run)


def _setup(language: str | None) -> None:
    import django
    from django.conf import settings

    if os.environ.get("DJANGO_SETTINGS_MODULE"):
        django.setup()
    elif not settings.configured:
        settings.configure(
            USE_I18N=True,
            USE_TZ=True,
            LANGUAGE_CODE=language or os.environ.get("KERYX_LANGUAGE", "en"),
            LANGUAGES=[("el", "Greek"), ("en", "English")],
            LOCALE_PATHS=[
                str(PACKAGE / "networks" / "locale"),
                str(PACKAGE / "content" / "locale"),
            ],
            INSTALLED_APPS=[],
        )
        django.setup()
    from django.utils import translation

    translation.activate(language or settings.LANGUAGE_CODE)


def _read(path: str, stdin: BinaryIO) -> bytes:
    if path == "-":
        return stdin.read()
    return Path(path).read_bytes()


def decode(raw: bytes) -> str:
    """UTF-8 text (strict), without a leading byte-order mark or one final line break."""
    text = raw.decode("utf-8")
    text = text.removeprefix("\ufeff")
    if text.endswith("\r\n"):
        return text[:-2]
    return text.removesuffix("\n")


def run(args: argparse.Namespace) -> int:
    try:
        raw = _read(args.text_file, sys.stdin.buffer)
    except OSError as exc:
        sys.stderr.write(f"keryx compose check: cannot read {args.text_file}: {exc.strerror}\n")
        return 2
    try:
        text = decode(raw)
    except UnicodeDecodeError as exc:
        sys.stderr.write(
            "keryx compose check: the text is not valid UTF-8 "
            f"(byte {exc.start}: {raw[exc.start : exc.start + 1].hex()}). Save it as UTF-8 and retry.\n"
        )
        return 2
    _setup(args.language)
    from keryx.networks.rules import CheckOptions, check_text

    options = CheckOptions(
        mastodon_max_characters=args.mastodon_max_characters,
        instagram_max_hashtags=args.instagram_max_hashtags,
    )
    # The text alone: media (and Instagram's "at least one image or video") are the
    # composer's to check, with the files at hand.
    result = check_text(args.network, text, options=options)
    sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
    return 0 if result.valid else 1
