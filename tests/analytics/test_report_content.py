"""The seminar report's content in its three formats, on the known data set (conftest): the
PDF's text as pypdf extracts it, the workbook as openpyxl reads it."""

from __future__ import annotations

import io

import pytest

from keryx.analytics.reports import render_html, render_pdf, render_xlsx
from tests.analytics.conftest import NOW

pytestmark = pytest.mark.django_db


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_report_pdf_in_greek_has_title_kpis_and_greek_text(known) -> None:  # type: ignore[no-untyped-def]
    pdf = render_pdf(known.seminar, language="el", now=NOW)
    assert pdf.startswith(b"%PDF-")
    text = _pdf_text(pdf)
    assert "Σεμινάριο Διαχείρισης Social Media 2026" in text
    assert "Δείκτες έναντι στόχων" in text
    assert "Εγγραφές 5 10 50,0% 9,71 Σε καλό δρόμο" in text
    assert "Κόστος ανά εγγεγραμμένο 16,83 EUR" in text


def test_report_pdf_embeds_dejavu_for_greek(known) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(render_pdf(known.seminar, language="el", now=NOW))).pages[0]
    fonts = page["/Resources"]["/Font"]
    names = {str(fonts[key].get_object()["/BaseFont"]) for key in fonts}
    assert names and all("DejaVu-Sans" in name for name in names), names


def test_report_pdf_in_english(known) -> None:  # type: ignore[no-untyped-def]
    text = _pdf_text(render_pdf(known.seminar, language="en", now=NOW))
    assert "KPIs against targets" in text
    assert "Registrations 5 10 50.0% 9.71 On track" in text
    assert "Link clicks 5 4 125.0% 11.34 Ahead" in text
    assert "Rated the seminar 0 0.0%" in text


def test_report_html_lists_every_part(known) -> None:  # type: ignore[no-untyped-def]
    html = render_html(known.seminar, language="en", now=NOW)
    for part in ("kpis", "funnel", "engagement", "posts", "sentiment", "surveys", "ads"):
        assert f'<section id="{part}">' in html
    assert "<svg" in html and "<script" not in html


def test_report_xlsx_matches_the_numbers(known) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render_xlsx(known.seminar, language="en", now=NOW)))
    assert book.sheetnames[:3] == ["Report", "KPIs", "Funnel"]
    kpis = {row[0]: row for row in book["KPIs"].iter_rows(min_row=2, values_only=True)}
    assert kpis["Registrations"][1:4] == (5, 10, 50)
    assert kpis["Link clicks"][1:4] == (5, 4, 125)
    ads = list(book["Ad campaigns"].iter_rows(min_row=2, values_only=True))
    assert ads[0][0] == "Χειμερινή καμπάνια"
    assert ads[0][3] == 50.5


def test_report_xlsx_cells_are_never_formulas(known, workspace) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt
    from decimal import Decimal

    from openpyxl import load_workbook

    from keryx.analytics.models import AdCampaign

    AdCampaign.objects.create(
        workspace=workspace,
        seminar=known.seminar,
        platform="google",
        name='=HYPERLINK("http://example.org")',
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 2),
        budget=Decimal(10),
    )
    book = load_workbook(io.BytesIO(render_xlsx(known.seminar, language="en", now=NOW)))
    names = [row[0] for row in book["Ad campaigns"].iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://example.org")' in names
