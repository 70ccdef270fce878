"""The seminar report in HTML, PDF and XLSX (public interface; bench/dashboard.py times it).

    from keryx.analytics.reports import render_pdf
    pdf: bytes = render_pdf(seminar, language="el")

Each call gathers the report's content in ``language`` (:mod:`.content`) and renders it. The
caller checks who may read it; the report holds aggregates only. WeasyPrint and XlsxWriter are
imported when a report is rendered, never at start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from keryx.analytics.reports.content import ReportContent, report_content
from keryx.seminars.models import Seminar

Progress = Callable[[int], None]

__all__ = ["FORMATS", "render", "render_html", "render_pdf", "render_xlsx"]


def _language(language: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise ValueError(f"unknown language {language!r}")
    return language


def _content(seminar: Seminar, language: str, now: dt.datetime | None) -> ReportContent:
    return report_content(seminar, language=language, now=now)


def _html(content: ReportContent) -> str:
    return render_to_string("analytics/report.html", {"r": content})


def _fetch_nothing(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """The report needs nothing from outside (charts are inline SVG, fonts are local): a URL
    in it is never fetched."""
    raise ValueError(f"the report fetches no URL ({url[:60]})")


def _pdf(content: ReportContent) -> bytes:
    import weasyprint  # imported when used: pango, harfbuzz and fonts load with it
    from PIL import ImageFile

    # Importing WeasyPrint makes Pillow accept truncated images in the whole process; the
    # report has no raster images, and uploads must keep refusing damaged files.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    html = weasyprint.HTML(string=_html(content), url_fetcher=_fetch_nothing)
    pdf: bytes = html.write_pdf()
    return pdf


def _xlsx(content: ReportContent) -> bytes:
    from keryx.analytics.reports.workbook import workbook_of

    return workbook_of(content)


_RENDERERS: dict[str, Callable[[ReportContent], str | bytes]] = {
    "html": _html,
    "pdf": _pdf,
    "xlsx": _xlsx,
}
FORMATS = tuple(_RENDERERS)


def render(
    seminar: Seminar,
    *,
    fmt: str,
    language: str,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The report as bytes (HTML in UTF-8). ``progress`` hears 50 once the numbers are
    gathered, 90 once the file is drawn."""
    language = _language(language)
    renderer = _RENDERERS[fmt]
    with translation.override(language):
        content = _content(seminar, language, now)
        if progress is not None:
            progress(50)
        out = renderer(content)
        if progress is not None:
            progress(90)
    return out.encode("utf-8") if isinstance(out, str) else out


def render_html(seminar: Seminar, *, language: str, now: dt.datetime | None = None) -> str:
    return render(seminar, fmt="html", language=language, now=now).decode("utf-8")


def render_pdf(seminar: Seminar, *, language: str, now: dt.datetime | None = None) -> bytes:
    return render(seminar, fmt="pdf", language=language, now=now)


def render_xlsx(seminar: Seminar, *, language: str, now: dt.datetime | None = None) -> bytes:
    return render(seminar, fmt="xlsx", language=language, now=now)
