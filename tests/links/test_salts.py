from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from keryx.links.domain.salts import visitor_salt_get, visitor_salts_prune
from keryx.links.models import VisitorSalt
from keryx.links.tasks import prune_link_data

TODAY = dt.date(2026, 11, 28)


@pytest.mark.django_db
def test_each_day_has_its_own_random_salt_kept_only_until_the_next_day() -> None:
    salts = {
        day: visitor_salt_get(day=TODAY - dt.timedelta(days=n))
        for n, day in enumerate([0, 1, 2, 3])
    }
    assert len(set(salts.values())) == 4
    assert all(len(s) == 64 for s in salts.values())
    assert visitor_salt_get(day=TODAY) == salts[0]  # the same all day long
    assert visitor_salts_prune(today=TODAY) == 2
    assert sorted(VisitorSalt.objects.values_list("day", flat=True)) == [
        TODAY - dt.timedelta(days=1),
        TODAY,
    ]


@pytest.mark.django_db
def test_the_hourly_job_prunes_old_salts() -> None:
    VisitorSalt.objects.create(day=dt.date(2020, 1, 1), salt="ab" * 32)
    prune_link_data.call_local()
    assert not VisitorSalt.objects.filter(day=dt.date(2020, 1, 1)).exists()


def test_the_redirect_modules_never_import_the_registrations_app() -> None:
    """The hot path loads without the registrations app (the contract: no import at load)."""
    root = Path(__file__).resolve().parents[2] / "src" / "keryx" / "links"
    modules = [*sorted((root / "redirect").glob("*.py")), root / "domain" / "clicks.py"]
    for module in modules:
        tree = ast.parse(module.read_text())
        names = [
            node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        ] + [
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        ]
        assert not [n for n in names if n.startswith("keryx.registrations")], module
