"""Backups of the embedded shape, and restoring them (docs/operations.md, "Backups").

A backup is one tar file (gzip-compressed) holding:

* ``keryx.sqlite3`` and ``queue.sqlite3``: copied with SQLite's online backup API, so a backup
  taken while Keryx serves and publishes is a consistent snapshot of each database;
* ``secret_key`` and ``encryption_key``: without the encryption key the stored network tokens
  cannot be read, so they travel with the data (encrypt the backup, or keep it as safe as
  the server);
* ``media/`` (uploads) and the clicks waiting in ``clicks-spool/`` and ``clicks-spill/``;
* ``manifest.json``: what is inside, with a SHA-256 of every file, checked on restore.

With a passphrase the whole tar is encrypted: scrypt derives a key, and the stream is cut into
1 MiB chunks sealed with AES-256-GCM (the chunk's number and a last-chunk flag are
authenticated, so a reordered or cut file is refused). Nothing is held in memory whole.

The scaled shape (PostgreSQL) is backed up with ``pg_dump`` plus the media storage; see the
operations guide. Core imports no other app: this module knows only files and settings.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import struct
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

FORMAT = 1
DATABASES = ("keryx.sqlite3", "queue.sqlite3")
KEY_FILES = ("secret_key", "encryption_key")
FOLDERS = ("media", "clicks-spool", "clicks-spill")
# What makes a home "not empty": restoring over these needs --force.
_HOME_CONTENT = (*DATABASES, "media")

MAGIC = b"KERYXBK1"
CHUNK = 1 << 20
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 1 << 15, 8, 1


class BackupError(Exception):
    """Something a person must fix; the message says what."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    files: int
    bytes: int
    encrypted: bool


# --- encryption: a chunked AES-GCM stream ------------------------------------------------------


def _derive(passphrase: str, salt: bytes) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    return kdf.derive(passphrase.encode("utf-8"))


class _EncryptingWriter(io.RawIOBase):
    """A write-only file object that seals what it is given in 1 MiB chunks."""

    def __init__(self, out: IO[bytes], passphrase: str) -> None:
        super().__init__()
        salt = os.urandom(16)
        self._out = out
        self._aead = AESGCM(_derive(passphrase, salt))
        self._prefix = os.urandom(7)
        self._counter = 0
        self._buffer = bytearray()
        self._header = MAGIC + salt + self._prefix
        out.write(self._header)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._buffer += bytes(data)
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        nonce = self._prefix + struct.pack(">I", self._counter) + (b"\x01" if last else b"\x00")
        sealed = self._aead.encrypt(nonce, chunk, self._header)
        self._out.write(struct.pack(">I", len(sealed)) + sealed)
        self._counter += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
        super().close()


def _decrypted_chunks(source: IO[bytes], passphrase: str) -> Iterator[bytes]:
    header = source.read(len(MAGIC) + 16 + 7)
    salt, prefix = header[len(MAGIC) : len(MAGIC) + 16], header[len(MAGIC) + 16 :]
    aead = AESGCM(_derive(passphrase, salt))
    counter = 0
    while True:
        size_bytes = source.read(4)
        if len(size_bytes) < 4:
            raise BackupError("The backup file is cut short (its last part is missing).")
        sealed = source.read(struct.unpack(">I", size_bytes)[0])
        for last in (False, True):
            nonce = prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")
            try:
                chunk = aead.decrypt(nonce, sealed, header)
            except InvalidTag:
                continue
            yield chunk
            break
        else:
            raise BackupError("The passphrase is wrong, or the backup file was changed or damaged.")
        if last:
            if source.read(1):
                raise BackupError("The backup file has data after its end; it was changed.")
            return
        counter += 1


class _ChunkReader(io.RawIOBase):
    def __init__(self, chunks: Iterator[bytes]) -> None:
        super().__init__()
        self._chunks = chunks
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


# --- backup ----------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _snapshot_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup: consistent even while other processes write."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            with dst:
                src.backup(dst, pages=1024)
        finally:
            dst.close()
    finally:
        src.close()


def default_backup_path(home: Path, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return home / "backups" / f"keryx-{stamp}.tar.gz"


def backup_create(
    home: Path, out: Path, *, passphrase: str = "", keep: int | None = None
) -> BackupReport:
    """Write a backup of ``home`` to ``out``. ``keep``: also delete all but the newest ``keep``
    backups in ``out``'s folder (the rotation that lets an erasure reach old backups)."""
    if not (home / DATABASES[0]).exists():
        raise BackupError(f"No Keryx database in {home}: nothing to back up.")
    out.parent.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": {},
    }
    total = 0
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=out.parent) as scratch:
        staging = Path(scratch)
        entries: list[tuple[Path, str]] = []
        for name in DATABASES:
            if (home / name).exists():
                _snapshot_sqlite(home / name, staging / name)
                entries.append((staging / name, name))
        for name in KEY_FILES:
            if (home / name).exists():
                entries.append((home / name, name))
        for folder in FOLDERS:
            root = home / folder
            if not root.is_dir():
                continue
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                entries.append((path, path.relative_to(home).as_posix()))
        for path, name in entries:
            manifest["files"][name] = {"sha256": _sha256(path), "size": path.stat().st_size}
            total += path.stat().st_size
        partial = out.with_name(out.name + ".partial")
        with partial.open("wb") as raw:
            sink: IO[bytes] = _EncryptingWriter(raw, passphrase) if passphrase else raw  # type: ignore[assignment]
            with tarfile.open(fileobj=sink, mode="w|gz") as tar:
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
                for path, name in entries:
                    tar.add(path, arcname=name, recursive=False)
            if passphrase:
                sink.close()
        partial.chmod(0o600)
        partial.replace(out)
    if keep:
        _rotate(out.parent, keep)
    return BackupReport(out, len(entries), total, bool(passphrase))


def _rotate(folder: Path, keep: int) -> None:
    backups = sorted(folder.glob("keryx-*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in backups[keep:]:
        old.unlink()


# --- restore ---------------------------------------------------------------------------------


def home_is_empty(home: Path) -> bool:
    return not any((home / name).exists() for name in _HOME_CONTENT)


def _safe_member(member: tarfile.TarInfo) -> bool:
    path = Path(member.name)
    return member.isfile() and not path.is_absolute() and ".." not in path.parts


def backup_restore(
    source: Path, home: Path, *, passphrase: str = "", force: bool = False
) -> dict[str, Any]:
    """Restore ``source`` into ``home``; what was there is moved aside, never deleted."""
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    if not home_is_empty(home) and not force:
        raise BackupError(
            f"{home} already holds a Keryx database. Restoring would replace it: "
            "add --force (what is there is moved aside, not deleted)."
        )
    encrypted = is_encrypted(source)
    if encrypted and not passphrase:
        raise BackupError("This backup is encrypted: give its passphrase.")
    home.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        raw = stack.enter_context(source.open("rb"))
        stream: IO[bytes] = (
            io.BufferedReader(_ChunkReader(_decrypted_chunks(raw, passphrase)))
            if encrypted
            else raw
        )
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(dir=home)))
        manifest: dict[str, Any] | None = None
        try:
            with tarfile.open(fileobj=stream, mode="r|gz") as tar:
                for member in tar:
                    if not _safe_member(member):
                        raise BackupError(f"The backup holds an unexpected entry: {member.name}")
                    tar.extract(member, scratch, filter="data")
                    if member.name == "manifest.json":
                        manifest = json.loads((scratch / "manifest.json").read_text())
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise BackupError(f"The backup file cannot be read: {exc}") from exc
        if manifest is None or manifest.get("format") != FORMAT:
            raise BackupError("This is not a Keryx backup (or one of a newer format).")
        for name, meta in manifest["files"].items():
            path = scratch / name
            if not path.is_file() or _sha256(path) != meta["sha256"]:
                raise BackupError(f"{name} in the backup is damaged (its checksum differs).")
        aside = _move_aside(home)
        for name in manifest["files"]:
            target = home / name
            target.parent.mkdir(parents=True, exist_ok=True)
            (scratch / name).replace(target)
        for name in KEY_FILES:
            if (home / name).exists():
                (home / name).chmod(0o600)
    return {"files": len(manifest["files"]), "created_at": manifest["created_at"], "aside": aside}


def _move_aside(home: Path) -> str:
    """Move what a restore replaces into ``home/replaced-<time>/``; returns that folder."""
    present = [
        name
        for name in (*DATABASES, *KEY_FILES, *FOLDERS)
        if (home / name).exists()
        or any((home / f"{name}{suffix}").exists() for suffix in ("-wal", "-shm"))
    ]
    if not present:
        return ""
    folder = home / f"replaced-{datetime.now(UTC):%Y%m%d-%H%M%S}"
    folder.mkdir()
    for name in present:
        for candidate in (name, f"{name}-wal", f"{name}-shm"):
            if (home / candidate).exists():
                shutil.move(str(home / candidate), folder / candidate)
    return str(folder)
