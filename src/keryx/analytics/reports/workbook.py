"""The seminar report as an XLSX workbook: one sheet per part of the report, numbers as
numbers. XlsxWriter in constant-memory mode (rows go to disk as they are written, so a big
seminar does not fill the memory); every text through ``safe_cell``."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from keryx.analytics.reports.content import ReportContent
from keryx.core.spreadsheet import safe_cell


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (int, float)):
        return value
    return safe_cell(str(value))


def _sheet_name(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31]


class _Sheet:
    def __init__(self, book: Any, name: str, bold: Any) -> None:
        self.sheet = book.add_worksheet(_sheet_name(name))
        self.bold = bold
        self.row = 0

    def write(self, values: Sequence[Any], *, header: bool = False) -> None:
        for col, value in enumerate(values):
            self.sheet.write(self.row, col, _cell(value), self.bold if header else None)
        self.row += 1

    def gap(self) -> None:
        self.row += 1


def workbook_of(r: ReportContent) -> bytes:
    import xlsxwriter  # imported when used

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    bold = book.add_format({"bold": True})
    currency = r.currency

    about = _Sheet(book, _("Report"), bold)
    about.sheet.set_column(0, 0, 28)
    about.sheet.set_column(1, 1, 50)
    about.write([_("Seminar"), r.title])
    about.write(
        [_("Starts"), r.seminar.starts_at.astimezone(r.seminar.tz).strftime("%Y-%m-%d %H:%M")]
    )
    about.write(
        [_("Numbers as of"), r.generated_at.astimezone(r.seminar.tz).strftime("%Y-%m-%d %H:%M")]
    )
    about.write([_("Currency"), currency])

    kpis = _Sheet(book, _("KPIs"), bold)
    kpis.sheet.set_column(0, 0, 36)
    kpis.write(
        [
            _("KPI"),
            _("Now"),
            _("Target"),
            _("Progress (%)"),
            _("Forecast for the seminar date"),
            _("Status"),
            _("Note"),
        ],
        header=True,
    )
    for row in r.kpi_rows:
        kpis.write(
            [
                row.kpi.label,
                row.value,
                row.target,
                row.progress,
                row.forecast,
                row.status.label,
                row.reason or row.kpi.source,
            ]
        )

    funnel = _Sheet(book, _("Funnel"), bold)
    funnel.sheet.set_column(0, 0, 30)
    funnel.write([_("Step"), _("People"), _("Of the step before (%)")], header=True)
    for step in r.funnel_steps:
        funnel.write([step.label, step.count, step.conversion])
    funnel.gap()
    funnel.write(
        [_("Network"), _("Clicks (people)"), _("Registrations"), _("Check-ins"), _("Rated")],
        header=True,
    )
    for net in r.funnel.networks:
        funnel.write([net.label, net.clicks, net.registrations, net.check_ins, net.ratings])

    engagement = _Sheet(book, _("Over time"), bold)
    engagement.sheet.set_column(0, 0, 30)
    engagement.write([_("KPI"), _("Day"), _("Running total"), _("Target")], header=True)
    for row in r.engagement:
        assert row.chart is not None
        series = row.chart.datasets[0]["data"]
        for i, day in enumerate(row.chart.labels):
            if series[i] is not None:
                engagement.write([row.kpi.label, day, series[i], row.target])

    posts = _Sheet(book, _("Top posts"), bold)
    posts.sheet.set_column(0, 0, 50)
    posts.write(r.top_posts.header(), header=True)
    for line in r.top_posts.rows():
        posts.write(line)

    mood = _Sheet(book, _("Sentiment"), bold)
    mood.sheet.set_column(0, 0, 24)
    mood.write([_("Mood"), _("Mentions"), _("Share (%)")], header=True)
    for label, count in (
        (_("Positive"), r.mood.positive),
        (_("Neutral"), r.mood.neutral),
        (_("Negative"), r.mood.negative),
    ):
        mood.write([label, count, r.mood.share(count)])
    mood.gap()
    mood.write([_("Crises detected"), r.crises])
    mood.write([_("Positive spikes"), r.spikes])
    if r.alerts:
        mood.gap()
        mood.write([_("Detected"), _("Kind"), _("Mentions"), _("Negative (%)")], header=True)
        for alert in r.alerts:
            at = alert.detected_at.astimezone(r.seminar.tz).strftime("%Y-%m-%d %H:%M")
            mood.write([at, alert.kind, alert.mentions, alert.negative_share])

    surveys = _Sheet(book, _("Surveys"), bold)
    surveys.sheet.set_column(0, 0, 40)
    surveys.write(
        [
            _("Survey"),
            _("Responses"),
            _("Invited"),
            _("Response rate (%)"),
            _("Net Promoter Score"),
            _("Satisfied (4 or 5 of 5) (%)"),
        ],
        header=True,
    )
    for s in r.surveys:
        surveys.write([s.title, s.responses, s.invited, s.response_rate, s.nps, s.csat])
    scales = [(s, q) for s in r.surveys for q in s.scales]
    if scales:
        surveys.gap()
        surveys.write([_("Survey"), _("Question"), _("Average"), _("Answers")], header=True)
        for s, q in scales:
            surveys.write([s.title, q.question, q.average, q.n])

    ads = _Sheet(book, _("Ad campaigns"), bold)
    ads.sheet.set_column(0, 0, 40)
    ads.write(
        [
            _("Campaign"),
            _("Ad platform"),
            _("Currency"),
            _("Spent"),
            _("Budget"),
            _("Clicks"),
            _("Registrants"),
            _("Attendees"),
            _("Cost per click"),
            _("Cost per registrant"),
            _("Cost per attendee"),
            _("Pacing"),
        ],
        header=True,
    )
    for c in r.campaigns:
        f = c.figures
        ads.write(
            [
                c.campaign.name,
                c.campaign.get_platform_display(),
                c.campaign.currency,
                f.spend,
                c.campaign.budget,
                f.clicks,
                f.registrants,
                f.attendees,
                f.cost_per_click,
                f.cost_per_registrant,
                f.cost_per_attendee,
                c.pacing.message,
            ]
        )
    book.close()
    return out.getvalue()
