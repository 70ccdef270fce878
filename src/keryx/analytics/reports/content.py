"""What the seminar report says, gathered once for its three formats (HTML, PDF, XLSX): the
KPIs against their targets (from the KPI registry, through the dashboard's presenter), the
funnel down to the rating, engagement over time, top posts, the mood of mentions and the
crisis alerts, the survey results and the ad campaigns' return.

Built inside the report's language (``translation.override``), so every label is already in
it. The report holds aggregates only — no names, no e-mail addresses, no texts of mentions —
which is why anyone who may see the seminar's analytics may read it (decision 0961).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.models import User
from keryx.accounts.roles import Role
from keryx.analytics.charts import Chart
from keryx.analytics.domain.adfigures import AdFigures, ad_figures
from keryx.analytics.presenters import Dashboard, KpiRow, dashboard_of
from keryx.analytics.reporting import CampaignReport, campaign_report
from keryx.analytics.svgcharts import bar_chart
from keryx.links.funnel import Funnel, funnel_of
from keryx.seminars.models import Seminar

SHOWN_ALERTS = 10


@dataclass(frozen=True)
class FunnelStep:
    key: str
    label: str
    count: int
    conversion: Decimal | None  # per cent of the step before


@dataclass(frozen=True)
class Mood:
    positive: int
    neutral: int
    negative: int

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative

    def share(self, count: int) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(100) * count / self.total).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class AlertLine:
    detected_at: dt.datetime
    kind: str
    mentions: int
    negative_share: Decimal


@dataclass(frozen=True)
class ScaleLine:
    question: str
    average: float
    n: int


@dataclass
class SurveyLine:
    title: str
    kind: str
    responses: int
    invited: int
    nps: int | None = None
    nps_n: int = 0
    csat: int | None = None
    scales: list[ScaleLine] = field(default_factory=list)

    @property
    def response_rate(self) -> Decimal | None:
        if not self.invited:
            return None
        return (Decimal(100) * self.responses / self.invited).quantize(Decimal("0.1"))


@dataclass
class ReportContent:
    seminar: Seminar
    language: str
    title: str
    generated_at: dt.datetime
    board: Dashboard
    funnel_steps: list[FunnelStep]
    funnel_chart: Chart
    funnel: Funnel  # its rows per network are the report's table
    engagement: list[KpiRow]
    top_posts: Chart
    mood: Mood
    mood_chart: Chart
    alerts: list[AlertLine]
    crises: int
    spikes: int
    surveys: list[SurveyLine]
    campaigns: list[CampaignReport]
    ads: AdFigures | None

    @property
    def currency(self) -> str:
        return self.seminar.currency

    @property
    def kpi_rows(self) -> list[KpiRow]:
        return self.board.rows


def reader_for(seminar: Seminar) -> Access:
    """The report reads the seminar as an analyst of its workspace would: every aggregate,
    no personal data. Nobody signs in as this reader; the caller checked who asked."""
    return Access(
        user=User(email="reports@keryx.invalid"), workspace=seminar.workspace, role=Role.ANALYST
    )


def title_in(seminar: Seminar, language: str) -> str:
    if language == seminar.language:
        return seminar.title
    translated = seminar.translations.filter(language=language).values_list("title", flat=True)
    return next(iter(translated), seminar.title)


def _conversion(count: int, before: int) -> Decimal | None:
    return (Decimal(100) * count / before).quantize(Decimal("0.1")) if before else None


def _funnel(access: Access, seminar: Seminar) -> tuple[list[FunnelStep], Funnel]:
    funnel = funnel_of(access, seminar)
    steps = [(s.key, s.label, s.count) for s in funnel.stages()]
    steps.append(("ratings", _("Rated the seminar"), funnel.total.ratings))
    out = []
    for i, (key, label, count) in enumerate(steps):
        out.append(
            FunnelStep(key, str(label), count, _conversion(count, steps[i - 1][2]) if i else None)
        )
    return out, funnel


def _mood(seminar: Seminar) -> tuple[Mood, list[AlertLine], int, int]:
    from django.db.models import Count

    from keryx.insights.enums import AlertKind
    from keryx.insights.models import AnalysedText, CrisisAlert

    counts = dict(
        AnalysedText.objects.filter(seminar=seminar, workspace=seminar.workspace)
        .values_list("label")
        .annotate(n=Count("pk"))
        .order_by()
    )
    mood = Mood(counts.get("positive", 0), counts.get("neutral", 0), counts.get("negative", 0))
    alerts = CrisisAlert.objects.filter(seminar=seminar, workspace=seminar.workspace)
    kinds = dict(alerts.values_list("kind").annotate(n=Count("pk")).order_by())
    labels = dict(AlertKind.choices)
    lines = [
        AlertLine(
            a.detected_at,
            str(labels.get(a.kind, a.kind)),
            a.mentions,
            Decimal(str(round(100 * a.negative_share, 1))),
        )
        for a in alerts.order_by("-detected_at")[:SHOWN_ALERTS]
    ]
    return mood, lines, kinds.get(AlertKind.CRISIS, 0), kinds.get(AlertKind.SPIKE, 0)


def _surveys(seminar: Seminar) -> list[SurveyLine]:
    from keryx.surveys.domain.results import question_results
    from keryx.surveys.enums import SCALES
    from keryx.surveys.models import Survey

    out = []
    for survey in Survey.objects.filter(seminar=seminar, workspace=seminar.workspace).order_by(
        "created_at", "pk"
    ):
        line = SurveyLine(
            title=survey.name or str(survey),
            kind=str(survey.get_kind_display()),
            responses=survey.responses.filter(submitted=True).count(),
            invited=survey.invitations.count(),
        )
        for result in question_results(survey):
            kind = result.question.kind
            if kind == "nps" and result.nps is not None and line.nps is None:
                line.nps, line.nps_n = result.nps.score, result.nps.n
            if kind == "rating5" and result.csat is not None and line.csat is None:
                line.csat = result.csat
            if kind in SCALES and result.average is not None:
                line.scales.append(ScaleLine(result.question.label, result.average, result.n))
        out.append(line)
    return out


def report_content(
    seminar: Seminar, *, language: str, now: dt.datetime | None = None
) -> ReportContent:
    """Everything the report shows. Call inside ``translation.override(language)``."""
    now = now or timezone.now()
    access = reader_for(seminar)
    board = dashboard_of(access, seminar, now=now)
    steps, funnel = _funnel(access, seminar)
    mood, alerts, crises, spikes = _mood(seminar)
    campaigns = [
        campaign_report(c, today=now.astimezone(seminar.tz).date())
        for c in seminar.ad_campaigns.filter(workspace=seminar.workspace)
    ]
    ads = ad_figures([r.campaign for r in campaigns]) if campaigns else None
    top = board.posts[0] if board.posts else Chart("posts-top", _("Top posts"), [], [])
    return ReportContent(
        seminar=seminar,
        language=language,
        title=title_in(seminar, language),
        generated_at=now,
        board=board,
        funnel_steps=steps,
        funnel_chart=bar_chart(
            "funnel", _("The funnel"), [s.label for s in steps], [s.count for s in steps]
        ),
        funnel=funnel,
        engagement=[r for r in board.rows if r.chart is not None and r.chart.labels],
        top_posts=top,
        mood=mood,
        mood_chart=bar_chart(
            "mood",
            _("Mood of the mentions"),
            [_("Positive"), _("Neutral"), _("Negative")],
            [mood.positive, mood.neutral, mood.negative],
        ),
        alerts=alerts,
        crises=crises,
        spikes=spikes,
        surveys=_surveys(seminar),
        campaigns=campaigns,
        ads=ads,
    )
