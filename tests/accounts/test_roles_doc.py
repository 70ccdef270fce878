from __future__ import annotations

from pathlib import Path

from keryx.accounts.roles_doc import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "roles.md"


def test_docs_roles_md_matches_the_role_table_and_the_api() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), "run: keryx manage roles_doc"
