"""What the race scripts share: a process of their own on a fresh database (the test's side),
and, inside it, Django set up on that database with a published seminar (the script's side)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def run_race(module: str, *args: str) -> dict[str, Any]:
    """Run ``python -m <module> <args>`` from the checkout and return the JSON object it
    prints last; its stderr is shown if it fails."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def race_seminar(database_url: str, *, capacity: int | None) -> tuple[Any, Any]:
    """In the race process: Django on ``database_url``, migrated, with a published seminar of
    ``capacity`` places (``None``: no limit) owned by a fresh user. Returns (seminar, owner)."""
    os.environ["KERYX_TEST_DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "keryx.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)

    from tests.factories import make_seminar, make_user, make_workspace
    from tests.registrations.helpers import publish

    owner = make_user("race-owner@example.org")
    seminar = make_seminar(make_workspace(owner, "Race"), owner, capacity=capacity)
    publish(seminar, owner)
    return seminar, owner
