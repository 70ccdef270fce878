"""The CLI contract of `keryx privacy`, run as a user would, on SQLite and on PostgreSQL + Redis.

After `keryx privacy erase --email ADDRESS --yes` a dump of the database (SQLite's `.dump`, or
`pg_dump`) and every file under KERYX_HOME hold neither the address nor the person's name,
including the task queue (an invitation message naming the person was waiting in it).
"""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import uuid
import zipfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from cryptography.fernet import Fernet

from tests.cli.support import clean_env, keryx
from tests.conftest import services_or_skip
from tests.support.databases import scratch_database

pytestmark = pytest.mark.slow

EMAIL = "Kleio.Vasileiou@example.org"
NAME = "Κλειώ Βασιλείου"
OTHER = "someone.else@example.org"

MAKE_PEOPLE = f"""
from tests.privacy.people import make_world, make_person
from keryx.accounts.models import Membership
from keryx.accounts.tasks import send_invitation
world = make_world()
person = make_person(world, {EMAIL!r}, {NAME!r})
make_person(world, {OTHER!r}, "Άλλος Άνθρωπος")
send_invitation(Membership.objects.get(user=person.user).pk, False, {NAME!r})
send_invitation(Membership.objects.get(user=world.owner).pk, False, "Κυρία Ιδιοκτήτρια")
"""


def _contract(env: dict[str, str], tmp_path: Path) -> None:
    assert keryx("migrate", "-v", "0", env=env).returncode == 0
    made = keryx("manage", "shell", "-c", MAKE_PEOPLE, env=env)
    assert made.returncode == 0, made.stderr

    out = tmp_path / "export.zip"
    exported = keryx("privacy", "export", "--email", EMAIL.upper(), "--out", str(out), env=env)
    assert exported.returncode == 0, exported.stderr
    archive = zipfile.ZipFile(io.BytesIO(out.read_bytes()))
    registrations = json.loads(archive.read("registrations-registration.json"))
    assert [(r["name"], r["email"]) for r in registrations] == [(NAME, EMAIL.lower())]

    nobody = tmp_path / "nobody.zip"
    missing = keryx(
        "privacy", "export", "--email", "no.one@example.org", "--out", str(nobody), env=env
    )
    assert (missing.returncode, nobody.exists()) == (1, False)
    assert (
        keryx(
            "privacy", "export", "--email", "not-an-address", "--out", str(nobody), env=env
        ).returncode
        == 2
    )
    assert keryx("privacy", "erase", "--email", EMAIL, env=env).returncode == 2
    assert keryx("privacy", "erase", "--email", "@@", "--yes", env=env).returncode == 2
    assert keryx("privacy", "erase", "--yes", env=env).returncode == 2

    erased = keryx("privacy", "erase", "--email", EMAIL, "--yes", env=env)
    assert erased.returncode == 0, erased.stderr
    summary = json.loads(erased.stdout)["records"]
    assert summary["registrations.registration"] == 1
    assert summary["queue"] == 1
    assert keryx("privacy", "erase", "--email", EMAIL, "--yes", env=env).returncode == 1


def _files_holding(home: Path, *needles: str) -> list[str]:
    wanted = [n.encode() for n in needles] + [n.lower().encode() for n in needles]
    return sorted(
        str(path.relative_to(home))
        for path in home.rglob("*")
        if path.is_file() and any(w in path.read_bytes() for w in wanted)
    )


def test_erase_on_sqlite_leaves_nothing_in_a_dump_or_under_keryx_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = clean_env(home)
    _contract(env, tmp_path)

    db = sqlite3.connect(home / "keryx.sqlite3")
    dump = "\n".join(db.iterdump())
    db.close()
    assert OTHER in dump  # the dump is readable, and the other person is still there
    assert EMAIL.lower() not in dump.lower()
    assert NAME not in dump
    assert _files_holding(home, EMAIL, NAME) == []
    assert _files_holding(home, OTHER) == ["keryx.sqlite3"]


def test_erase_on_postgresql_leaves_nothing_in_pg_dump(tmp_path: Path) -> None:
    db_url, redis_url = services_or_skip()
    with scratch_database(db_url, "kx_privacy") as database_url:
        redis_db = urlunsplit(urlsplit(redis_url)._replace(path="/14"))
        redis.Redis.from_url(redis_db).flushdb()
        home = tmp_path / "home"
        env = clean_env(
            home,
            DATABASE_URL=database_url,
            REDIS_URL=redis_db,
            KERYX_SECRET_KEY="privacy-test-" + uuid.uuid4().hex,
            KERYX_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        )
        _contract(env, tmp_path)

        dump = subprocess.run(
            ["pg_dump", "--data-only", database_url], capture_output=True, text=True, check=True
        ).stdout
        assert OTHER in dump
        assert EMAIL.lower() not in dump.lower()
        assert NAME not in dump
        queued = redis.Redis.from_url(redis_db)
        assert not any(
            EMAIL.lower().encode() in value.lower() or NAME.encode() in value
            for key in queued.keys("*")
            if queued.type(key) == b"list"
            for value in queued.lrange(key, 0, -1)
        )
        assert _files_holding(home, EMAIL, NAME) == []
