"""No string is translated at import time (issue 16, bug 7).

``gettext`` called while a module is imported runs in whatever language is active then (none:
English), and the result stays for the life of the process. Module-level and class-level
strings use ``gettext_lazy``; ``gettext``/``ngettext`` run only inside functions. This test reads
every module of ``src/keryx`` and fails on an eager translation call evaluated at import time:
at module or class level, in a default argument, or in a decorator's arguments.
"""

from __future__ import annotations

import ast
from pathlib import Path

import keryx

SOURCE = Path(keryx.__file__).parent
EAGER = {"gettext", "ngettext", "pgettext", "npgettext", "ugettext", "ungettext"}
LAZY = {"gettext_lazy", "ngettext_lazy", "pgettext_lazy", "npgettext_lazy"}
MODULES = ("django.utils.translation", "gettext")


def _names(tree: ast.Module, functions: set[str]) -> set[str]:
    """Local names bound to one of ``functions`` (``from … import gettext as _``)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in MODULES:
            for alias in node.names:
                if alias.name in functions:
                    names.add(alias.asname or alias.name)
    return names


class _ImportTimeCalls(ast.NodeVisitor):
    """Eager translation calls, and lazy strings forced into text (``str()``, ``%``,
    ``.format``, f-strings), evaluated while the module is imported."""

    def __init__(self, eager: set[str], lazy: set[str]) -> None:
        self.eager = eager
        self.lazy = lazy
        self.found: list[int] = []

    def _is_call_of(self, node: ast.expr, names: set[str], attrs: set[str]) -> bool:
        if not isinstance(node, ast.Call):
            return False
        func = node.func
        if isinstance(func, ast.Name):
            return func.id in names
        # translation.gettext(...) / django.utils.translation.gettext(...)
        return isinstance(func, ast.Attribute) and func.attr in attrs

    def _is_lazy(self, node: ast.expr) -> bool:
        return self._is_call_of(node, self.lazy, LAZY)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        forced = (
            isinstance(func, ast.Name) and func.id == "str" and self._is_lazy(node.args[0])
            if node.args
            else False
        ) or (
            isinstance(func, ast.Attribute) and func.attr == "format" and self._is_lazy(func.value)
        )
        if self._is_call_of(node, self.eager, EAGER) or forced:
            self.found.append(node.lineno)
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if isinstance(node.op, ast.Mod) and self._is_lazy(node.left):
            self.found.append(node.lineno)
        self.generic_visit(node)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> None:
        if self._is_lazy(node.value):
            self.found.append(node.lineno)
        self.generic_visit(node)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        # The body runs later; defaults and decorators run now.
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.visit(default)
        if not isinstance(node, ast.Lambda):
            for decorator in node.decorator_list:
                self.visit(decorator)

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function
    visit_Lambda = _function


def import_time_translations(source: str) -> list[int]:
    tree = ast.parse(source)
    visitor = _ImportTimeCalls(_names(tree, EAGER), _names(tree, LAZY))
    visitor.visit(tree)
    return visitor.found


def test_scanner_finds_module_class_default_and_decorator_level_calls() -> None:
    source = (
        "from django.utils.translation import gettext as _, gettext_lazy\n"
        "from django.utils import translation\n"
        "A = _('x')\n"
        "B = {'k': _('y')}\n"
        "C = gettext_lazy('fine')\n"
        "class K:\n"
        "    label = translation.gettext('z')\n"
        "    def m(self, t=_('d')):\n"
        "        return _('fine at request time')\n"
        "@register(_('deco'))\n"
        "def f():\n"
        "    return [_('fine') for _x in ()]\n"
        "g = lambda: _('fine')\n"
        "H = str(gettext_lazy('forced'))\n"
        "I = gettext_lazy('forced %s') % 1\n"
        "J = f\"{gettext_lazy('forced')}\"\n"
    )
    assert import_time_translations(source) == [3, 4, 7, 8, 10, 14, 15, 16]


def test_no_string_is_translated_at_import_time() -> None:
    offenders = [
        f"{path.relative_to(SOURCE.parent)}:{line}"
        for path in sorted(SOURCE.rglob("*.py"))
        for line in import_time_translations(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
