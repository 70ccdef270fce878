"""The ``keryx`` command.

Embedded shape: ``keryx serve``. Scaled shape: ``keryx migrate`` once, then ``keryx web`` and
``keryx worker`` on as many machines as needed (one worker with ``--periodic``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

DEFAULT_SETTINGS = "keryx.settings.production"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


def _call(name: str, *args: str, **options: Any) -> None:
    from django.core.management import call_command

    call_command(name, *args, **options)


# --- commands ------------------------------------------------------------------------------


def cmd_migrate(args: argparse.Namespace) -> int:
    _setup()
    _call("migrate", interactive=False, verbosity=args.verbosity)
    return 0


def _granian_argv(host: str, port: int, workers: int, *, serve_media: bool) -> list[str]:
    """granian serving Django over ASGI, with the static files (and media) in front of it."""
    from django.conf import settings

    argv = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "asgi",  # with lifespan: the links router loads links at start, writes clicks at stop
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-ws",
        "--log-level",
        "warning",
        # Each open event stream is a request in progress: granian's default (backlog/workers,
        # 1,024) would stop accepting a room of 5,000 phones. Django's share is bounded
        # separately (KERYX_WEB_CONCURRENCY); docs/live.md.
        "--backlog",
        "2048",
        "--backpressure",
        os.environ.get("KERYX_WEB_BACKPRESSURE", "12000"),
    ]
    # Static files and media are answered by keryx.core.files in front of Django, with
    # nosniff and a CSP on every file (granian's static serving cannot add headers).
    if serve_media:
        Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
        os.environ["KERYX_SERVE_MEDIA"] = "1"
    return [*argv, "keryx.asgi:application"]


def cmd_web(args: argparse.Namespace) -> int:
    """One web server (granian, ASGI) for the scaled shape."""
    _setup()
    from django.conf import settings

    _call("collectstatic", interactive=False, verbosity=0)
    if settings.KERYX_EMBEDDED:
        print(
            "keryx web: no DATABASE_URL set; using the embedded SQLite database.", file=sys.stderr
        )
    # Django over ASGI runs each request in a thread of its own: no persistent connections.
    os.environ.setdefault("KERYX_DB_CONN_MAX_AGE", "0")
    os.execv(  # noqa: S606 - replaces this process with granian
        sys.executable,
        _granian_argv(args.host, args.port, args.workers, serve_media=args.serve_media),
    )
    return 0  # pragma: no cover - execv does not return


def cmd_worker(args: argparse.Namespace) -> int:
    """A Huey consumer; only a worker started with --periodic runs the periodic jobs."""
    from keryx.lean import skip_unused_clients

    skip_unused_clients()
    _setup()
    options: dict[str, Any] = {"periodic": bool(args.periodic)}
    if args.threads:
        options["workers"] = args.threads
    _call("run_huey", **options)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """The embedded shape: migrate, then the web server, a worker and the periodic jobs."""
    _setup()
    from django.conf import settings

    _call("migrate", interactive=False, verbosity=0)
    _call("collectstatic", interactive=False, verbosity=0)
    print(f"keryx: data in {settings.KERYX_HOME}", file=sys.stderr)
    print(f"keryx: serving on http://{args.host}:{args.port}/  (Ctrl-C stops)", file=sys.stderr)
    # Two malloc arenas, not one per thread: idle threads then hold no memory of their own
    # (docs/operations.md, "Memory").
    lean = {"MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2")}
    children = [
        (
            "web",
            _granian_argv(args.host, args.port, 1, serve_media=True),
            # Under ASGI each request runs in a thread of its own with its own connection:
            # keep none open between requests (docs/live.md).
            {"KERYX_DB_CONN_MAX_AGE": os.environ.get("KERYX_DB_CONN_MAX_AGE", "0"), **lean},
        ),
        ("worker", [sys.executable, "-m", "keryx", "worker", "--periodic"], lean),
    ]
    sys.stderr.flush()
    # The supervisor only waits: it replaces this process (and its loaded Django) with one that
    # imports nothing but the standard library.
    os.execv(  # noqa: S606
        sys.executable, [sys.executable, "-m", "keryx.supervise", json.dumps(children)]
    )
    return 0  # pragma: no cover - execv does not return


def cmd_demo(args: argparse.Namespace) -> int:
    _setup()
    from keryx.accounts.models import User
    from keryx.seminars.domain.demo import DEMO_PASSWORD, demo_create

    if args.if_empty and User.objects.exists():
        print("keryx demo: the database has users already; nothing to do.")
        return 0
    from django.db import transaction

    from keryx.analytics.domain.demo import demo_campaigns, demo_metrics
    from keryx.community.domain.demo import demo_community
    from keryx.content.domain.demo import demo_content
    from keryx.inbox.domain.demo import demo_inbox
    from keryx.insights.domain.demo import demo_listening
    from keryx.links.domain.demo import demo_audience
    from keryx.surveys.domain.demo import demo_surveys

    with transaction.atomic():
        result = demo_create()
        posts = demo_content(result.seminar, result.users)
        registered = demo_audience(result.seminar, result.users)
        demo_listening(result.seminar)
        demo_inbox(result.seminar, result.users)
        responses = demo_surveys(result.seminar, result.users)
        demo_campaigns(result.seminar, result.users)
        demo_metrics(result.seminar, result.users)
        demo_community(result.seminar, result.users)
    print(
        "Demo ready:",
        result.seminar.title,
        f"({len(posts)} posts, {registered} registrations, {responses} survey responses)",
    )
    print(f"Sign in at /accounts/login/ with any of these (password: {DEMO_PASSWORD}):")
    for role, email in result.logins.items():
        print(f"  {role:<10} {email}")
    return 0


def cmd_createuser(args: argparse.Namespace) -> int:
    _setup()
    import getpass

    from keryx.accounts.domain.users import user_create
    from keryx.accounts.domain.workspaces import workspace_create
    from keryx.core.errors import KeryxError

    password = args.password or os.environ.get("KERYX_PASSWORD") or ""
    if not password:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            print("The passwords differ.", file=sys.stderr)
            return 2
    try:
        user = user_create(
            email=args.email, password=password, full_name=args.name, superuser=args.superuser
        )
        if args.workspace:
            workspace_create(owner=user, name=args.workspace)
    except KeryxError as exc:
        print(f"keryx createuser: {exc.message}", file=sys.stderr)
        for field, messages in exc.fields.items():
            for message in messages:
                print(f"  {field}: {message}", file=sys.stderr)
        return 1
    print(f"Created {user.email}" + (f", owner of “{args.workspace}”" if args.workspace else ""))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Django's deployment checks plus Keryx's own (secrets, encryption keys, hosts, HTTPS)."""
    _setup()
    from django.core.management.base import SystemCheckError

    try:
        _call("check", deploy=True, fail_level="ERROR")
    except SystemCheckError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def _passphrase(ask: bool, *, confirm: bool) -> str:
    """The backup passphrase: KERYX_BACKUP_PASSPHRASE, else asked when ``ask``."""
    given = os.environ.get("KERYX_BACKUP_PASSPHRASE", "")
    if given or not ask:
        return given
    import getpass

    passphrase = getpass.getpass("Backup passphrase: ")
    if confirm and passphrase != getpass.getpass("Backup passphrase (again): "):
        raise SystemExit("keryx: the passphrases differ.")
    return passphrase


def cmd_backup(args: argparse.Namespace) -> int:
    """The embedded shape's data, keys and media in one (optionally encrypted) file."""
    # Settings only, no app loading: a backup starts at once, even on a busy server.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.conf import settings

    from keryx.core.backup import BackupError, backup_create, default_backup_path

    if not settings.KERYX_EMBEDDED:
        print(
            "keryx backup: this Keryx uses PostgreSQL; back it up with pg_dump and copy the "
            'media storage (docs/operations.md, "Backups").',
            file=sys.stderr,
        )
        return 2
    home = Path(settings.KERYX_HOME)
    out = Path(args.out) if args.out else default_backup_path(home)
    try:
        report = backup_create(
            home, out, passphrase=_passphrase(args.encrypt, confirm=True), keep=args.keep
        )
    except BackupError as exc:
        print(f"keryx backup: {exc}", file=sys.stderr)
        return 1
    kind = "encrypted backup" if report.encrypted else "backup"
    print(f"Wrote the {kind} {report.path} ({report.files} files, {report.bytes:,} bytes).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Put a backup back into KERYX_HOME (stop `keryx serve` first)."""
    from keryx.core.backup import BackupError, backup_restore, is_encrypted
    from keryx.settings.paths import keryx_home

    source = Path(args.file)
    home = keryx_home()
    try:
        needs = source.is_file() and is_encrypted(source)
        result = backup_restore(
            source,
            home,
            passphrase=_passphrase(needs and sys.stdin.isatty(), confirm=False) if needs else "",
            force=args.force,
        )
    except BackupError as exc:
        print(f"keryx restore: {exc}", file=sys.stderr)
        return 1
    print(
        f"Restored {result['files']} files from the backup of {result['created_at']} into {home}."
    )
    if result["aside"]:
        print(f"What was there before is kept in {result['aside']}.")
    return 0


class ProgressBar:
    """A one-line progress bar on stderr: ``label [#####.....] done/total``."""

    def __init__(self, width: int = 30) -> None:
        self.width = width
        self.label = ""

    def __call__(self, label: str, done: int, total: int) -> None:
        if label != self.label and self.label:
            print(file=sys.stderr)
        self.label = label
        filled = int(self.width * done / total) if total else self.width
        bar = "#" * filled + "." * (self.width - filled)
        print(f"\r{label:<40} [{bar}] {done}/{total}", end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.label:
            print(file=sys.stderr)


def cmd_rotate_keys(args: argparse.Namespace) -> int:
    """Re-encrypt every stored secret with the first key of KERYX_ENCRYPTION_KEYS."""
    _setup()
    from keryx.core.crypto import rotate_all

    bar = ProgressBar()
    try:
        report = rotate_all(progress=bar)
    except KeyboardInterrupt:
        bar.close()
        print("keryx rotate-keys: interrupted; run it again to finish.", file=sys.stderr)
        return 130
    bar.close()
    print(
        f"Re-encrypted {report.rotated} value(s) in {len(report.fields)} encrypted field(s); "
        f"{report.current} already used the first key. Keys after the first can now be removed "
        "from KERYX_ENCRYPTION_KEYS."
    )
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["keryx manage", *args.rest])
    return 0


# --- parser --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="keryx", description="Keryx: the social media workbench for seminars."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(
        name: str, func: Callable[[argparse.Namespace], int], help_: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(func=func)
        return p

    port = int(os.environ.get("PORT", "8000"))
    p = add(
        "serve", cmd_serve, "Embedded shape: migrate, then web server + worker + periodic jobs."
    )
    p.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=port)

    p = add("web", cmd_web, "Scaled shape: a web server process (set DATABASE_URL and REDIS_URL).")
    p.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=port)
    p.add_argument("--workers", type=int, default=int(os.environ.get("KERYX_WEB_WORKERS", "1")))
    p.add_argument(
        "--serve-media",
        action="store_true",
        help="Also serve uploaded media (when MEDIA_ROOT is shared storage and no proxy serves it).",
    )

    p = add("worker", cmd_worker, "Scaled shape: a task worker.")
    p.add_argument(
        "--periodic",
        action="store_true",
        help="Also run the periodic jobs (exactly one worker should).",
    )
    p.add_argument(
        "--threads",
        type=int,
        default=0,
        help="Worker threads (default: KERYX_WORKER_THREADS or 4).",
    )

    p = add("migrate", cmd_migrate, "Create or update the database tables.")
    p.add_argument("-v", "--verbosity", type=int, default=1)

    p = add("demo", cmd_demo, "Create a bilingual demo workspace and seminar; prints the logins.")
    p.add_argument(
        "--if-empty", action="store_true", help="Only when the database has no users yet."
    )

    p = add("createuser", cmd_createuser, "Create a user (and optionally their workspace).")
    p.add_argument("email")
    p.add_argument("--name", default="")
    p.add_argument("--password", default="", help="Or set KERYX_PASSWORD, or be asked.")
    p.add_argument(
        "--superuser", action="store_true", help="Also an operator (Django admin, system page)."
    )
    p.add_argument(
        "--workspace", default="", help="Create a workspace with this name, owned by the user."
    )

    add("check", cmd_check, "Check the configuration for production (secrets, keys, hosts, HTTPS).")

    add(
        "rotate-keys",
        cmd_rotate_keys,
        "Re-encrypt every stored token and secret with the first key of KERYX_ENCRYPTION_KEYS.",
    )

    p = add("backup", cmd_backup, "Back up the embedded shape (database, queue, keys, media).")
    p.add_argument("--out", default="", help="The file to write (default: KERYX_HOME/backups/).")
    p.add_argument(
        "--encrypt",
        action="store_true",
        help="Encrypt with a passphrase (asked, or KERYX_BACKUP_PASSPHRASE).",
    )
    p.add_argument(
        "--keep", type=int, default=None, help="Keep only the newest N backups in that folder."
    )

    p = add("restore", cmd_restore, "Restore a backup into KERYX_HOME (stop Keryx first).")
    p.add_argument("file")
    p.add_argument(
        "--force", action="store_true", help="Replace a home that holds data (moved aside)."
    )

    from keryx.content.check_cli import add_parser as add_compose

    add_compose(sub)

    from keryx.insights.cli import add_parser as add_analyze

    add_analyze(sub)

    from keryx.privacy.cli import add_parser as add_privacy

    add_privacy(sub)

    p = add("manage", cmd_manage, "Run a Django management command: keryx manage <command> [...]")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
