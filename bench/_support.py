"""What the benchmarks that measure Django pages share: a child process on the test settings
(SQLite, or PostgreSQL when given a URL), a fresh database in it, and an owner with a
workspace. Each benchmark runs its timed part in such a child so that the two databases are
measured by the same code, one after the other."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def run_child(script: str, args: list[str], *, database_url: str | None) -> dict[str, Any]:
    """Run ``python script *args`` on ``keryx.settings.test`` (PostgreSQL at
    ``database_url``, else SQLite) and return the JSON its last line prints. Raises
    ``RuntimeError`` with the end of its error output if it fails."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KERYX_", "DJANGO_"))}
    env.update(
        {
            "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
            "DJANGO_SETTINGS_MODULE": "keryx.settings.test",
        }
    )
    if database_url:
        ensure_database(database_url)
        env["KERYX_TEST_DATABASE_URL"] = database_url
    out = subprocess.run(
        [sys.executable, script, *args], env=env, capture_output=True, text=True, check=False
    )
    if out.returncode:
        sys.stderr.write(out.stderr[-3000:])
        last = out.stderr.strip().splitlines()[-1:] or ["(no output)"]
        raise RuntimeError(last[0][:300])
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database ``url`` names if the server does not have it yet (a new
    machine has only ``postgres`` and ``test``); the child empties it anyway."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if found is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def fresh_database() -> None:
    """In the child: set Django up, let the test client in, and migrate an empty database
    (PostgreSQL's public schema is dropped first: the URL names a scratch database)."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)


def owner_and_workspace() -> tuple[Any, Any]:
    """The benchmark's owner (``bench@example.org``) and their workspace."""
    from keryx.accounts.domain.workspaces import workspace_create
    from keryx.accounts.models import User

    user = User.objects.create_user("bench@example.org", "bench-password-1")
    return user, workspace_create(owner=user, name="Bench")
