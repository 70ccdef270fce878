"""Charts drawn on the server as SVG, for the report (WeasyPrint runs no JavaScript, so the
dashboard's Chart.js canvases cannot be printed). They draw the same :class:`Chart` data the
dashboard draws; the report puts the chart's table beside each one, so nothing is only in a
picture. Two kinds: horizontal bars (labels may be long: KPI names, post titles) and lines
(a running total over days). Series differ by colour and by dash, so they survive printing in
black and white."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

from keryx.analytics.charts import Chart

COLOURS = ["#1f5f99", "#d9822b", "#3c8d40", "#8e44ad", "#c0392b", "#5d6d7e"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "4 4"]
FONT = "DejaVu Sans, sans-serif"
WIDTH = 640


def _attr(text: object) -> str:
    return escape(str(text), {'"': "&quot;"})


def _number(value: float) -> str:
    """At most two decimals, none that are zeros (32.5, not 32.50), grouped as the language
    groups (1.234,5 in Greek)."""
    rounded = Decimal(str(round(value, 2))).normalize()
    decimals = max(-rounded.as_tuple().exponent, 0)  # type: ignore[operator]
    return number_format(rounded, decimals, force_grouping=True)


def _nice_max(top: float) -> float:
    """A round number at or above ``top`` for the scale's end (1, 2, 2.5, 5 × 10ⁿ)."""
    if top <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(top))) - 1) if top >= 1 else 1
    for step in (1, 2, 2.5, 5, 10):
        if top <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _values(chart: Chart) -> list[list[float | None]]:
    return [[None if v is None else float(v) for v in d["data"]] for d in chart.datasets]


def _legend(chart: Chart, y: float, *, lines: bool) -> tuple[list[str], float]:
    parts, x = [], 10.0
    for i, dataset in enumerate(chart.datasets):
        colour, dash = COLOURS[i % len(COLOURS)], DASHES[i % len(DASHES)]
        if lines:
            parts.append(
                f'<line x1="{x}" y1="{y - 4}" x2="{x + 22}" y2="{y - 4}" stroke="{colour}" '
                f'stroke-width="2.5" stroke-dasharray="{dash}"/>'
            )
        else:
            parts.append(f'<rect x="{x}" y="{y - 10}" width="14" height="10" fill="{colour}"/>')
        label = str(dataset["label"])
        parts.append(f'<text x="{x + 28}" y="{y}" font-size="11">{escape(label)}</text>')
        x += 40 + 6.5 * len(label)
        if x > WIDTH - 120 and i < len(chart.datasets) - 1:
            x, y = 10.0, y + 16
    return parts, y


def _svg(chart: Chart, height: float, body: list[str]) -> SafeString:
    title = escape(chart.title)
    return mark_safe(  # noqa: S308 - every text inside is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
        f'aria-label="{_attr(chart.title)}" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" font-family="{FONT}" fill="#222">'
        f"<title>{title}</title>{''.join(body)}</svg>"
    )


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_svg(chart: Chart) -> SafeString:
    """Horizontal bars, one group per label, one bar per dataset."""
    series = _values(chart)
    groups = len(chart.labels)
    per_group = max(len(series), 1)
    bar, gap = 14.0, 10.0
    left, right, top = 230.0, 70.0, 10.0
    plot_w = WIDTH - left - right
    group_h = per_group * bar + gap
    top_value = _nice_max(max((v for s in series for v in s if v is not None), default=0.0))
    body: list[str] = []
    for g, label in enumerate(chart.labels):
        y0 = top + g * group_h
        body.append(
            f'<text x="{left - 8}" y="{y0 + per_group * bar / 2 + 4:.1f}" font-size="11" '
            f'text-anchor="end">{escape(_short(str(label)))}</text>'
        )
        for s, values in enumerate(series):
            value = values[g] if g < len(values) else None
            y = y0 + s * bar
            width = 0.0 if value is None else max(plot_w * max(value, 0) / top_value, 0.0)
            colour = COLOURS[s % len(COLOURS)]
            body.append(
                f'<rect x="{left}" y="{y:.1f}" width="{width:.1f}" height="{bar - 2}" '
                f'fill="{colour}"/>'
            )
            text = "—" if value is None else _number(value)
            body.append(
                f'<text x="{left + width + 4:.1f}" y="{y + bar - 4:.1f}" font-size="10">'
                f"{escape(text)}</text>"
            )
    axis_y = top + groups * group_h
    body.append(
        f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{axis_y}" stroke="#888" '
        f'stroke-width="1"/>'
    )
    height = axis_y + 8
    if len(series) > 1:
        legend, last = _legend(chart, axis_y + 20, lines=False)
        body.extend(legend)
        height = last + 10
    return _svg(chart, height, body)


def line_svg(chart: Chart) -> SafeString:
    """Lines over the labels (days); a gap (None) breaks the line."""
    series = _values(chart)
    n = len(chart.labels)
    left, right, top, plot_h = 60.0, 20.0, 12.0, 180.0
    plot_w = WIDTH - left - right
    top_value = _nice_max(max((v for s in series for v in s if v is not None), default=0.0))
    bottom = top + plot_h

    def x_of(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y_of(v: float) -> float:
        return bottom - plot_h * max(v, 0) / top_value

    body: list[str] = []
    for k in range(5):
        tick = top_value * k / 4
        tick_y = y_of(tick)
        body.append(
            f'<line x1="{left}" y1="{tick_y:.1f}" x2="{WIDTH - right}" y2="{tick_y:.1f}" '
            f'stroke="#ddd"/>'
        )
        body.append(
            f'<text x="{left - 6}" y="{tick_y + 4:.1f}" font-size="10" text-anchor="end">'
            f"{escape(_number(tick))}</text>"
        )
    step = max(1, (n + 5) // 6)
    for i in range(0, n, step):
        body.append(
            f'<text x="{x_of(i):.1f}" y="{bottom + 14}" font-size="10" text-anchor="middle">'
            f"{escape(str(chart.labels[i]))}</text>"
        )
    for s, values in enumerate(series):
        colour, dash = COLOURS[s % len(COLOURS)], DASHES[s % len(DASHES)]
        runs: list[list[str]] = [[]]
        for i, value in enumerate(values):
            if value is None:
                runs.append([])
                continue
            runs[-1].append(f"{x_of(i):.1f},{y_of(value):.1f}")
        for run in runs:
            if len(run) == 1:
                cx, cy = run[0].split(",")
                body.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{colour}"/>')
            elif run:
                body.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2" stroke-dasharray="{dash}"/>'
                )
    body.append(
        f'<line x1="{left}" y1="{bottom}" x2="{WIDTH - right}" y2="{bottom}" stroke="#888"/>'
    )
    legend, last = _legend(chart, bottom + 34, lines=True)
    body.extend(legend)
    return _svg(chart, last + 10, body)


def chart_svg(chart: Chart) -> SafeString:
    return bar_svg(chart) if chart.kind == "bar" else line_svg(chart)


def bar_chart(
    key: str, title: str, labels: Sequence[str], values: Sequence[float | int | Decimal | None]
) -> Chart:
    """A one-series bar chart from plain values (the funnel's steps, the mood of mentions)."""
    return Chart(
        key=key,
        title=title,
        labels=list(labels),
        datasets=[{"label": title, "data": list(values)}],
        kind="bar",
    )
