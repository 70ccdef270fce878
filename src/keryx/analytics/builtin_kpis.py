"""The KPIs Keryx registers itself: those computable from registrations, tracked links and ad
campaigns, and the others as "not measured yet" with the reason (another app replaces them
when it brings the data: metric snapshots, live participation, surveys, the inbox)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from keryx.analytics.domain.adfigures import ad_figures_of_seminar
from keryx.analytics.engagement import ENGAGEMENT, snapshot_daily, snapshot_value
from keryx.analytics.feedback_kpis import average_rating, nps, survey_response_rate
from keryx.analytics.figures import series_per_day, series_total
from keryx.analytics.kpis import Kpi, NotMeasured, Unit, Value, register_kpi, shared
from keryx.analytics.models import AdCampaign, AdResult

if TYPE_CHECKING:
    from keryx.seminars.models import Seminar


def _total(series: str) -> Callable[[Seminar], Value]:
    return lambda seminar: Decimal(series_total(seminar, series))


def _daily(series: str) -> Callable[[Seminar], dict[date, Decimal]]:
    return lambda seminar: series_per_day(seminar, series)


def _campaigns(seminar: Seminar) -> list[AdCampaign]:
    return list(AdCampaign.objects.filter(seminar=seminar))


def _ad_value(pick: Callable[[Any], Decimal | None], empty: Any) -> Callable[[Seminar], Value]:
    def compute(seminar: Seminar) -> Value:
        campaigns = shared(("campaigns", seminar.pk), lambda: _campaigns(seminar))
        if not campaigns:
            return NotMeasured(_("No ad campaigns for this seminar."))
        figures = shared(
            ("ad_figures", seminar.pk), lambda: ad_figures_of_seminar(seminar, campaigns)
        )
        if figures.currencies != {seminar.currency}:
            return NotMeasured(
                _(
                    "The ad campaigns are in a currency other than the seminar's; Keryx does not convert currencies."
                )
            )
        value = pick(figures)
        return NotMeasured(empty) if value is None else value

    return compute


def _spend_per_day(seminar: Seminar) -> dict[date, Decimal]:
    """Spend of each day; a row covering several days is spread evenly over them."""
    days: dict[date, Decimal] = {}
    rows = AdResult.objects.filter(
        campaign__seminar=seminar, campaign__currency=seminar.currency
    ).values_list("period_start", "period_end", "spend")
    for start, end, spend in rows:
        length = (end - start).days + 1
        for offset in range(length):
            day = date.fromordinal(start.toordinal() + offset)
            days[day] = days.get(day, Decimal(0)) + spend / length
    return dict(sorted(days.items()))


def _spend(seminar: Seminar) -> Value:
    return _ad_value(lambda f: f.spend, "")(seminar)


register_kpi(
    Kpi(
        key="registrations",
        label=_("Registrations"),
        unit=Unit.COUNT,
        compute=_total("registrations"),
        daily=_daily("registrations"),
        source=_("Registrations not cancelled, waiting list included."),
    )
)
register_kpi(
    Kpi(
        key="confirmed",
        label=_("Confirmed registrations"),
        unit=Unit.COUNT,
        compute=_total("confirmed"),
        daily=_daily("confirmed"),
        source=_("Registrations not cancelled whose e-mail address is confirmed."),
    )
)
register_kpi(
    Kpi(
        key="attendance",
        label=_("Attendance (checked in)"),
        unit=Unit.COUNT,
        compute=_total("checked_in"),
        daily=_daily("checked_in"),
        forecastable=False,
        source=_("People checked in at the door or online."),
    )
)
register_kpi(
    Kpi(
        key="participants_online",
        label=_("Participants online"),
        unit=Unit.COUNT,
        reason=_("Counted by the live app (Q&A, polls, stream), which is not installed yet."),
    )
)
register_kpi(
    Kpi(
        key="clicks",
        label=_("Link clicks"),
        unit=Unit.COUNT,
        compute=_total("clicks:human"),
        daily=_daily("clicks:human"),
        source=_("Clicks by people on the seminar's tracked links (previews and bots left out)."),
    )
)
SNAPSHOTS = _("The last metric snapshot of each published post, summed.")
for _key, _label, _fields in (
    ("engagement", _("Engagement (likes, shares, comments)"), ENGAGEMENT),
    ("reach", _("Reach"), ("reach",)),
    ("impressions", _("Impressions"), ("impressions",)),
    ("likes", _("Likes"), ("likes",)),
    ("shares", _("Shares"), ("shares",)),
    ("comments", _("Comments"), ("comments",)),
):
    register_kpi(
        Kpi(
            key=_key,
            label=_label,
            unit=Unit.COUNT,
            compute=snapshot_value(_fields),
            daily=snapshot_daily(_fields),
            source=SNAPSHOTS,
        )
    )
register_kpi(
    Kpi(
        key="average_rating",
        label=_("Average rating (1–5)"),
        unit=Unit.RATING,
        compute=average_rating,
        forecastable=False,
        source=_("Live rating polls and the feedback surveys' 1–5 ratings."),
    )
)
register_kpi(
    Kpi(
        key="nps",
        label=_("Net Promoter Score (−100 to 100)"),
        unit=Unit.SCORE,
        compute=nps,
        forecastable=False,
        source=_("The feedback surveys' 0–10 recommendation question."),
    )
)
register_kpi(
    Kpi(
        key="survey_response_rate",
        label=_("Survey response rate"),
        unit=Unit.PERCENT,
        compute=survey_response_rate,
        forecastable=False,
        source=_("Submitted responses per 100 personal survey invitations sent."),
    )
)
register_kpi(
    Kpi(
        key="first_reply_time",
        label=_("Time to first reply"),
        unit=Unit.MINUTES,
        lower_is_better=True,
        reason=_("Comes from the inbox (comments and messages), not built yet."),
    )
)
register_kpi(
    Kpi(
        key="budget",
        label=_("Ad spend (against the budget)"),
        unit=Unit.MONEY,
        compute=_spend,
        daily=_spend_per_day,
        lower_is_better=True,
        source=_("Spend imported from the ad platforms' exports."),
    )
)
register_kpi(
    Kpi(
        key="cost_per_click",
        label=_("Cost per ad click"),
        unit=Unit.MONEY,
        compute=_ad_value(lambda f: f.cost_per_click, _("The ad platforms report no clicks yet.")),
        lower_is_better=True,
        source=_("Ad spend divided by the clicks the ad platforms report."),
    )
)
register_kpi(
    Kpi(
        key="cost_per_registrant",
        label=_("Cost per registrant"),
        unit=Unit.MONEY,
        compute=_ad_value(
            lambda f: f.cost_per_registrant,
            _("No registrations came through the campaigns' tracked links yet."),
        ),
        lower_is_better=True,
        source=_("Ad spend divided by the registrations whose last tracked link is a campaign's."),
    )
)
register_kpi(
    Kpi(
        key="cost_per_attendee",
        label=_("Cost per attendee"),
        unit=Unit.MONEY,
        compute=_ad_value(
            lambda f: f.cost_per_attendee,
            _("Nobody who came through the campaigns' tracked links has checked in yet."),
        ),
        lower_is_better=True,
        source=_("Ad spend divided by the check-ins of those registrants."),
    )
)
