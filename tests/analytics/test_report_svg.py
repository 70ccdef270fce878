"""The server-drawn charts of the report: valid SVG, escaped text, the values written out."""

from __future__ import annotations

from xml.etree import ElementTree

from django.utils import translation

from keryx.analytics.charts import Chart
from keryx.analytics.svgcharts import bar_chart, chart_svg

NS = "{http://www.w3.org/2000/svg}"


def test_bar_chart_is_valid_svg_with_escaped_labels_and_greek_numbers() -> None:
    chart = bar_chart(
        "funnel", "Το χωνί <μετατροπών>", ["Κλικ & επισκέψεις", "Εγγραφές"], [1234, 32.5]
    )
    with translation.override("el"):
        svg = str(chart_svg(chart))
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Το χωνί <μετατροπών>"
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts == ["Κλικ & επισκέψεις", "1.234", "Εγγραφές", "32,5"]
    widths = [float(r.get("width", 0)) for r in root.iter(f"{NS}rect")]
    assert widths[0] > widths[1] > 0


def test_line_chart_breaks_at_gaps_and_draws_every_series() -> None:
    chart = Chart(
        key="registrations",
        title="Registrations",
        labels=["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"],
        datasets=[
            {"label": "Running total", "data": [2, 3, None, None]},
            {"label": "Forecast", "data": [None, 3, 4, 5]},
            {"label": "Target", "data": [10, 10, 10, 10]},
        ],
    )
    root = ElementTree.fromstring(str(chart_svg(chart)))  # noqa: S314 - our own output
    lines = list(root.iter(f"{NS}polyline"))
    assert len(lines) == 3
    assert [len(p.get("points", "").split()) for p in lines] == [2, 3, 4]
    legend = [t.text for t in root.iter(f"{NS}text")][-3:]
    assert legend == ["Running total", "Forecast", "Target"]
