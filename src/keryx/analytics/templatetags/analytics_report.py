"""Tags of the seminar report: values in their unit, money, shares and server-drawn charts."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from keryx.analytics.charts import Chart
from keryx.analytics.reports.content import Mood
from keryx.analytics.svgcharts import chart_svg

register = template.Library()


@register.simple_tag
def kpi_value(value: Decimal | None, unit: str, currency: str) -> SafeString:
    """The KPI's value as the dashboard shows it (the same template)."""
    return SafeString(
        render_to_string(
            "analytics/_value.html", {"value": value, "unit": unit, "currency": currency}
        ).strip()
    )


@register.simple_tag
def money(value: Decimal | None, currency: str) -> str:
    return "—" if value is None else f"{floatformat(value, '2g')} {currency}"


@register.simple_tag
def mood_share(mood: Mood, count: int) -> str:
    share = mood.share(count)
    return "—" if share is None else f"{floatformat(share, '1g')}%"


@register.simple_tag
def svg_chart(chart: Chart) -> SafeString:
    return chart_svg(chart)
