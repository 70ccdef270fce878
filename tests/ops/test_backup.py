"""`keryx backup` and `keryx restore`: round trips, refusals, and a backup taken while posts
are being published that, restored, loses nothing and publishes nothing twice."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from keryx.core.backup import BackupError, backup_create, backup_restore
from keryx.networks.testnet import harness
from tests.cli.support import clean_env, keryx

ROOT = Path(__file__).resolve().parents[2]


def _home(path: Path) -> Path:
    path.mkdir(parents=True)
    with sqlite3.connect(path / "keryx.sqlite3") as conn:
        conn.execute("CREATE TABLE t (v TEXT)")
        conn.execute("INSERT INTO t VALUES ('Σεμινάριο')")
    (path / "encryption_key").write_text("key\n")
    (path / "media" / "content").mkdir(parents=True)
    (path / "media" / "content" / "a.jpg").write_bytes(b"\xff\xd8" + b"x" * 3_000_000)
    return path


def _value(home: Path) -> str:
    with sqlite3.connect(home / "keryx.sqlite3") as conn:
        return str(conn.execute("SELECT v FROM t").fetchone()[0])


def test_an_encrypted_backup_round_trips_and_a_wrong_passphrase_or_tampering_is_refused(
    tmp_path: Path,
) -> None:
    home = _home(tmp_path / "home")
    out = tmp_path / "b.tar.gz"
    report = backup_create(home, out, passphrase="correct horse")
    assert report.encrypted and report.files == 3
    assert b"encryption_key" not in out.read_bytes()  # nothing readable inside

    with pytest.raises(BackupError, match="passphrase is wrong"):
        backup_restore(out, tmp_path / "other", passphrase="wrong")
    with pytest.raises(BackupError, match="encrypted"):
        backup_restore(out, tmp_path / "other")

    damaged = tmp_path / "damaged.tar.gz"
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(BackupError):
        backup_restore(damaged, tmp_path / "other", passphrase="correct horse")
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(out.read_bytes()[:-100])
    with pytest.raises(BackupError):
        backup_restore(cut, tmp_path / "other", passphrase="correct horse")

    restored = tmp_path / "restored"
    backup_restore(out, restored, passphrase="correct horse")
    assert _value(restored) == "Σεμινάριο"
    assert (restored / "media" / "content" / "a.jpg").read_bytes() == (
        home / "media" / "content" / "a.jpg"
    ).read_bytes()
    assert (restored / "encryption_key").stat().st_mode & 0o777 == 0o600


def test_restore_refuses_a_home_with_data_unless_forced_and_then_keeps_it_aside(
    tmp_path: Path,
) -> None:
    home = _home(tmp_path / "home")
    out = tmp_path / "b.tar.gz"
    backup_create(home, out)
    with sqlite3.connect(home / "keryx.sqlite3") as conn:
        conn.execute("UPDATE t SET v = 'changed later'")
    with pytest.raises(BackupError, match="--force"):
        backup_restore(out, home)
    assert _value(home) == "changed later"
    result = backup_restore(out, home, force=True)
    assert _value(home) == "Σεμινάριο"
    aside = Path(result["aside"])
    assert _value(aside) == "changed later"


def test_rotation_keeps_the_newest(tmp_path: Path) -> None:
    home = _home(tmp_path / "home")
    folder = tmp_path / "backups"
    for n in range(4):
        backup_create(home, folder / f"keryx-2026120{n}-000000.tar.gz", keep=2)
        time.sleep(0.01)
    assert sorted(p.name for p in folder.glob("*.tar.gz")) == [
        "keryx-20261202-000000.tar.gz",
        "keryx-20261203-000000.tar.gz",
    ]


def _script(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tests.ops.home_script", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow
def test_a_backup_taken_while_publishing_restores_with_nothing_lost_or_published_twice(
    tmp_path: Path,
) -> None:
    variants = 100
    server = harness.Server(latency_ms=600, seed=20261206)
    home, restored = tmp_path / "home", tmp_path / "restored"
    knobs = {
        "KERYX_ENABLE_TEST_NETWORK": "1",
        "KERYX_PUBLISH_RETRY_BASE": "0.5",
        "KERYX_PUBLISH_STUCK_AFTER": "4",
        "KERYX_PUBLISH_RECONCILE_AFTER": "1",
        "KERYX_LOG_LEVEL": "WARNING",
    }
    env = clean_env(home, **knobs)
    restored_env = clean_env(restored, **knobs)
    ids_file = tmp_path / "ids.json"
    workers = None
    try:
        assert keryx("migrate", "-v", "0", env=env, timeout=300).returncode == 0
        _script(env, "seed", str(variants), server.url, str(ids_file))

        # One worker, two threads against a 600 ms network: publishing takes ~30 s, and the
        # backup is taken while it is under way.
        workers = harness.Workers(env, count=1, threads=2, log_dir=tmp_path)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if server.stats()["posts"] >= variants // 5:
                break
            time.sleep(0.2)
        backup = keryx("backup", "--out", str(tmp_path / "during.tar.gz"), env=env)
        assert backup.returncode == 0, backup.stderr
        workers.stop()
        workers = None

        restore = keryx("restore", str(tmp_path / "during.tar.gz"), env=restored_env)
        assert restore.returncode == 0, restore.stderr
        at_backup = json.loads(_script(restored_env, "counts", str(ids_file)))
        # The backup really was taken mid-run: some published, some not yet.
        assert 0 < at_backup.get("published", 0) < variants, at_backup

        workers = harness.Workers(restored_env, count=1, threads=4, log_dir=tmp_path)
        deadline = time.monotonic() + 240
        counts: dict[str, int] = {}
        while time.monotonic() < deadline:
            harness.manage(restored_env, "publishing_sweep")
            counts = json.loads(_script(restored_env, "counts", str(ids_file)))
            if counts.get("published", 0) + counts.get("failed", 0) >= variants:
                break
            time.sleep(1)
        result = json.loads(_script(restored_env, "audit", str(ids_file), server.url))
        stats = server.stats()
    finally:
        if workers is not None:
            workers.stop()
        server.stop()
    assert result["statuses"] == {"published": variants}, (counts, result)
    assert result["lost"] == 0
    assert result["duplicates"] == 0
    assert result["phantom"] == 0
    assert stats["posts"] == variants
    assert stats["duplicate_fingerprints"] == 0
