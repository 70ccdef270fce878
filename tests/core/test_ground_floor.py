"""Core is the ground floor: no module under keryx/core imports another Keryx app."""

from __future__ import annotations

import ast
from pathlib import Path

import keryx.core

CORE = Path(keryx.core.__file__).resolve().parent


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_core_imports_no_other_keryx_app() -> None:
    offenders = {
        str(path.relative_to(CORE)): name
        for path in CORE.rglob("*.py")
        for name in _imports(path)
        if name.startswith("keryx.") and not name.startswith("keryx.core")
    }
    assert offenders == {}


def test_the_check_sees_imports_inside_functions_and_type_checking_blocks(tmp_path: Path) -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from keryx.accounts.models import User\n"
        "def f():\n    import keryx.api.auth\n"
    )
    sample = tmp_path / "sample.py"
    sample.write_text(source, encoding="utf-8")
    assert _imports(sample)[1:] == ["keryx.accounts.models", "keryx.api.auth"]
