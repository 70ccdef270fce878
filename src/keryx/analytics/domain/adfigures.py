"""What a set of ad campaigns cost and brought: spend, clicks, registrants and attendees
(registrations credited to the campaigns' tracked links by last touch), and the costs per
click, per registrant and per attendee."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Sum

from keryx.analytics.models import AdCampaign, AdResult
from keryx.links.enums import ClickKind
from keryx.links.models import Click
from keryx.registrations.enums import RegistrationStatus
from keryx.registrations.models import Registration

CENT = Decimal("0.01")


def _per(spend: Decimal, count: int) -> Decimal | None:
    return (spend / count).quantize(CENT, ROUND_HALF_UP) if count else None


if TYPE_CHECKING:
    from keryx.seminars.models import Seminar


@dataclass(frozen=True)
class AdFigures:
    spend: Decimal
    budget: Decimal
    impressions: int
    clicks: int
    registrants: int
    attendees: int
    currencies: frozenset[str]
    link_clicks: int = 0  # people's clicks on the campaign's tracked links

    def funnel(self) -> list[tuple[str, int, Decimal | None]]:
        """Ad clicks → clicks on the tracked links → registrants → attendees, each with the per
        cent of the step before (None for the first step or after a zero)."""
        steps = [
            ("ad_clicks", self.clicks),
            ("link_clicks", self.link_clicks),
            ("registrants", self.registrants),
            ("attendees", self.attendees),
        ]
        out: list[tuple[str, int, Decimal | None]] = []
        for i, (key, count) in enumerate(steps):
            before = steps[i - 1][1] if i else 0
            rate = (
                (Decimal(100) * count / before).quantize(Decimal("0.1"), ROUND_HALF_UP)
                if before
                else None
            )
            out.append((key, count, rate))
        return out

    @property
    def cost_per_click(self) -> Decimal | None:
        return _per(self.spend, self.clicks)

    @property
    def cost_per_registrant(self) -> Decimal | None:
        return _per(self.spend, self.registrants)

    @property
    def cost_per_attendee(self) -> Decimal | None:
        return _per(self.spend, self.attendees)


def ad_figures(campaigns: Iterable[AdCampaign]) -> AdFigures:
    campaigns = list(campaigns)
    ids = [c.pk for c in campaigns]
    totals = AdResult.objects.filter(campaign__in=ids).aggregate(
        spend=Sum("spend"), impressions=Sum("impressions"), clicks=Sum("clicks")
    )
    codes = set(
        AdCampaign.links.through.objects.filter(adcampaign_id__in=ids).values_list(
            "trackedlink__code", flat=True
        )
    )
    seminars = {c.seminar_id for c in campaigns}
    registrations = Registration.objects.filter(
        seminar__in=seminars, last_touch_code__in=codes
    ).exclude(status=RegistrationStatus.CANCELLED)
    return AdFigures(
        spend=(totals["spend"] or Decimal(0)).quantize(CENT),
        budget=sum((c.budget for c in campaigns), Decimal(0)).quantize(CENT),
        impressions=totals["impressions"] or 0,
        clicks=totals["clicks"] or 0,
        registrants=registrations.count() if codes else 0,
        attendees=registrations.filter(checked_in_at__isnull=False).count() if codes else 0,
        currencies=frozenset(c.currency for c in campaigns),
        link_clicks=Click.objects.filter(link__code__in=codes, kind=ClickKind.HUMAN).count()
        if codes
        else 0,
    )


def ad_figures_of_seminar(seminar: Seminar, campaigns: Iterable[AdCampaign]) -> AdFigures:
    """The same figures for the KPI registry, from the seminar's pre-aggregated counts
    (``domain.rollups``) instead of the registrations and clicks tables: the dashboard of a
    seminar with 100,000 registrations reads a few hundred rows."""
    from keryx.analytics.figures import series_per_key

    campaigns = list(campaigns)
    ids = [c.pk for c in campaigns]
    totals = AdResult.objects.filter(campaign__in=ids).aggregate(
        spend=Sum("spend"), impressions=Sum("impressions"), clicks=Sum("clicks")
    )
    links = set(
        AdCampaign.links.through.objects.filter(adcampaign_id__in=ids).values_list(
            "trackedlink_id", "trackedlink__code"
        )
    )
    found = series_per_key(seminar, "registrations", "checked_in", "clicks:human")
    return AdFigures(
        spend=(totals["spend"] or Decimal(0)).quantize(CENT),
        budget=sum((c.budget for c in campaigns), Decimal(0)).quantize(CENT),
        impressions=totals["impressions"] or 0,
        clicks=totals["clicks"] or 0,
        registrants=sum(found["registrations"].get(code, 0) for _pk, code in links),
        attendees=sum(found["checked_in"].get(code, 0) for _pk, code in links),
        currencies=frozenset(c.currency for c in campaigns),
        link_clicks=sum(found["clicks:human"].get(str(pk), 0) for pk, _code in links),
    )
