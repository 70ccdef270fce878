"""Where Keryx keeps its files, and the secrets it generates for the embedded shape."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path
from typing import Literal

from cryptography.fernet import Fernet

PACKAGE_DIR = Path(__file__).resolve().parent.parent
_CHECKOUT_ROOT = PACKAGE_DIR.parent.parent


def default_home() -> Path:
    """``./var`` inside a source checkout, the XDG data directory otherwise."""
    if (_CHECKOUT_ROOT / "pyproject.toml").is_file() and (_CHECKOUT_ROOT / ".git").exists():
        return _CHECKOUT_ROOT / "var"
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "keryx"


def keryx_home() -> Path:
    raw = os.environ.get("KERYX_HOME")
    home = Path(raw).expanduser().resolve() if raw else default_home()
    home.mkdir(parents=True, exist_ok=True)
    return home


def read_or_create_secret(path: Path, *, kind: Literal["django", "fernet"]) -> str:
    """Return the secret kept in ``path``; on first use create it with 0600 permissions.

    The file appears atomically (written aside, then hard-linked into place), so a web
    process and a worker starting together agree on one secret.
    """
    if not path.exists():
        value = (
            Fernet.generate_key().decode("ascii") if kind == "fernet" else secrets.token_urlsafe(50)
        )
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        tmp = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(value + "\n")
            tmp.chmod(0o600)
            with contextlib.suppress(FileExistsError):  # another process won the race
                os.link(tmp, path)
        finally:
            tmp.unlink()
    return path.read_text(encoding="ascii").strip()
