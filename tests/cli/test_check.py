"""`keryx check` with production settings: clean for a proper configuration, and a warning
when outbound requests may reach private addresses (probe finding 9)."""

from __future__ import annotations

from pathlib import Path

from tests.cli.support import clean_env, keryx

PRODUCTION = {
    "KERYX_BASE_URL": "https://keryx.example.org",
    "ALLOWED_HOSTS": "keryx.example.org",
    "EMAIL_URL": "smtp+tls://keryx:secret@smtp.example.org:587",
}


def test_check_is_clean_for_a_proper_embedded_configuration(tmp_path: Path) -> None:
    result = keryx("check", env=clean_env(tmp_path / "home", **PRODUCTION))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (3 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_warns_when_private_urls_are_allowed(tmp_path: Path) -> None:
    env = clean_env(tmp_path / "home", KERYX_ALLOW_PRIVATE_URLS="1", **PRODUCTION)
    result = keryx("check", env=env)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "(keryx.W003) KERYX_ALLOW_PRIVATE_URLS is on" in output
