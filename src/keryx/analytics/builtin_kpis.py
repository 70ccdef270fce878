"""The KPIs Keryx registers itself: those computable from registrations, tracked links and ad
campaigns, and the others as "not measured yet" with the reason (another app replaces them
when it brings the data: metric snapshots, live participation, surveys, the inbox)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from keryx.analytics.domain.adfigures import ad_figures
from keryx.analytics.kpis import Kpi, NotMeasured, Unit, Value, register_kpi
from keryx.analytics.models import AdCampaign, AdResult
from keryx.links.enums import ClickKind
from keryx.links.models import Click
from keryx.registrations.enums import RegistrationStatus
from keryx.registrations.models import Registration

if TYPE_CHECKING:
    from keryx.seminars.models import Seminar


def _active(seminar: Seminar) -> QuerySet[Registration]:
    return Registration.objects.filter(seminar=seminar).exclude(status=RegistrationStatus.CANCELLED)


def _per_day(queryset: QuerySet[Any], field: str, seminar: Seminar) -> dict[date, Decimal]:
    rows = (
        queryset.filter(**{f"{field}__isnull": False})
        .annotate(day=TruncDate(field, tzinfo=seminar.tz))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    return {row["day"]: Decimal(row["n"]) for row in rows}


def _count(build: Callable[[Seminar], QuerySet[Any]]) -> Callable[[Seminar], Value]:
    return lambda seminar: Decimal(build(seminar).count())


def _registrations(seminar: Seminar) -> QuerySet[Registration]:
    return _active(seminar)


def _confirmed(seminar: Seminar) -> QuerySet[Registration]:
    return _active(seminar).filter(confirmed_at__isnull=False)


def _checked_in(seminar: Seminar) -> QuerySet[Registration]:
    return Registration.objects.filter(seminar=seminar, checked_in_at__isnull=False)


def _clicks(seminar: Seminar) -> QuerySet[Click]:
    return Click.objects.filter(link__seminar=seminar, kind=ClickKind.HUMAN)


def _campaigns(seminar: Seminar) -> list[AdCampaign]:
    return list(AdCampaign.objects.filter(seminar=seminar))


def _ad_value(pick: Callable[[Any], Decimal | None], empty: Any) -> Callable[[Seminar], Value]:
    def compute(seminar: Seminar) -> Value:
        campaigns = _campaigns(seminar)
        if not campaigns:
            return NotMeasured(_("No ad campaigns for this seminar."))
        figures = ad_figures(campaigns)
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


SNAPSHOTS = _("Comes from the networks' metric snapshots, which Keryx does not collect yet.")

register_kpi(
    Kpi(
        key="registrations",
        label=_("Registrations"),
        unit=Unit.COUNT,
        compute=_count(_registrations),
        daily=lambda s: _per_day(_registrations(s), "created_at", s),
        source=_("Registrations not cancelled, waiting list included."),
    )
)
register_kpi(
    Kpi(
        key="confirmed",
        label=_("Confirmed registrations"),
        unit=Unit.COUNT,
        compute=_count(_confirmed),
        daily=lambda s: _per_day(_confirmed(s), "confirmed_at", s),
        source=_("Registrations not cancelled whose e-mail address is confirmed."),
    )
)
register_kpi(
    Kpi(
        key="attendance",
        label=_("Attendance (checked in)"),
        unit=Unit.COUNT,
        compute=_count(_checked_in),
        daily=lambda s: _per_day(_checked_in(s), "checked_in_at", s),
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
        compute=_count(_clicks),
        daily=lambda s: _per_day(_clicks(s), "at", s),
        source=_("Clicks by people on the seminar's tracked links (previews and bots left out)."),
    )
)
for _key, _label in (
    ("engagement", _("Engagement (likes, shares, comments)")),
    ("reach", _("Reach")),
    ("impressions", _("Impressions")),
    ("likes", _("Likes")),
    ("shares", _("Shares")),
    ("comments", _("Comments")),
):
    register_kpi(Kpi(key=_key, label=_label, unit=Unit.COUNT, reason=SNAPSHOTS))
register_kpi(
    Kpi(
        key="average_rating",
        label=_("Average rating (1–5)"),
        unit=Unit.RATING,
        reason=_(
            "Comes from the feedback ratings of the surveys and live apps, not installed yet."
        ),
    )
)
register_kpi(
    Kpi(
        key="nps",
        label=_("Net Promoter Score (−100 to 100)"),
        unit=Unit.SCORE,
        reason=_("Comes from the feedback survey, whose app is not installed yet."),
    )
)
register_kpi(
    Kpi(
        key="survey_response_rate",
        label=_("Survey response rate"),
        unit=Unit.PERCENT,
        reason=_("Comes from the surveys app, not installed yet."),
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
