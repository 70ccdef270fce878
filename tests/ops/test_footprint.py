"""The embedded shape stays small: a web or worker process loads no library it does not use
at start (docs/operations.md, "Memory"). The figure itself is measured by bench/footprint.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.cli.support import clean_env

# Each costs 10–40 MB a process and is needed only by a page or task that imports it itself.
HEAVY = (
    "openpyxl",
    "xlsxwriter",
    "numpy",
    "icalendar",
    "segno",
    "redis",
    "psycopg",
    "rich",
    "yake",
    "simplemma",
    "weasyprint",
    "openai",
)

PROBE = """
import importlib, json, sys
from keryx.lean import skip_unused_clients
skip_unused_clients()
import django
django.setup()
from django.apps import apps
from django.urls import get_resolver
get_resolver().url_patterns  # what the web process loads for its first request
for app in apps.get_app_configs():
    try:
        importlib.import_module(app.name + ".tasks")  # what the worker loads
    except ModuleNotFoundError as exc:
        if exc.name != app.name + ".tasks":
            raise
print(json.dumps(sorted(m for m, mod in sys.modules.items() if mod is not None and m.split(".")[0] in HEAVY)))
"""


def test_web_and_worker_processes_load_no_heavy_library_at_start(tmp_path: Path) -> None:
    env = clean_env(tmp_path / "home", DJANGO_SETTINGS_MODULE="keryx.settings.production")
    done = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{PROBE}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == [], f"imported at start (import them where they are used): {loaded}"


def test_the_scaled_shape_keeps_its_redis_and_postgresql_clients(tmp_path: Path) -> None:
    env = clean_env(tmp_path / "home", REDIS_URL="redis://127.0.0.1:6379/0")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from keryx.lean import skip_unused_clients; skip_unused_clients(); "
            "import redis, huey.storage; print(huey.storage.Redis is redis.Redis)",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip() == "True", done.stderr
