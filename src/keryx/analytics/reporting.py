"""One ad campaign's figures and its budget pacing, for the campaign pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.analytics.domain.adfigures import AdFigures, ad_figures
from keryx.analytics.models import AdCampaign

# Spending faster than the calendar by more than 15 % (or slower by more than 25 %) is flagged.
OVERPACE = Decimal("1.15")
UNDERPACE = Decimal("0.75")


@dataclass(frozen=True)
class Pacing:
    elapsed_share: Decimal  # 0…1 of the campaign's days gone by (today included)
    spent_share: Decimal | None  # spend ÷ budget; None without a budget
    level: str  # "ok", "over", "under", "over_budget", "not_started"
    message: str

    @property
    def alert(self) -> bool:
        return self.level in {"over", "under", "over_budget"}


@dataclass(frozen=True)
class CampaignReport:
    campaign: AdCampaign
    figures: AdFigures
    pacing: Pacing


def _percent(share: Decimal) -> str:
    return str((100 * share).quantize(Decimal(1), ROUND_HALF_UP))


def pacing_of(campaign: AdCampaign, spend: Decimal, *, today: date) -> Pacing:
    days = (campaign.ends_on - campaign.starts_on).days + 1
    if today < campaign.starts_on:
        return Pacing(Decimal(0), None, "not_started", _("The campaign has not started yet."))
    elapsed = min((today - campaign.starts_on).days + 1, days)
    elapsed_share = (Decimal(elapsed) / days).quantize(Decimal("0.001"), ROUND_HALF_UP)
    if not campaign.budget:
        return Pacing(elapsed_share, None, "ok", _("No budget set."))
    spent_share = (spend / campaign.budget).quantize(Decimal("0.001"), ROUND_HALF_UP)
    values = {"spent": _percent(spent_share), "elapsed": _percent(elapsed_share)}
    if spent_share > 1:
        level, message = "over_budget", _("Over budget: %(spent)s%% of the budget spent.")
    elif spent_share > elapsed_share * OVERPACE:
        level, message = (
            "over",
            _(
                "Spending too fast: %(spent)s%% of the budget spent in %(elapsed)s%% of the time; the budget will run out before the end."
            ),
        )
    elif elapsed < days and spent_share < elapsed_share * UNDERPACE:
        level, message = (
            "under",
            _(
                "Spending too slowly: %(spent)s%% of the budget spent in %(elapsed)s%% of the time; part of the budget will be left unspent."
            ),
        )
    else:
        level, message = (
            "ok",
            _("On pace: %(spent)s%% of the budget spent in %(elapsed)s%% of the time."),
        )
    return Pacing(elapsed_share, spent_share, level, message % values)


def campaign_report(campaign: AdCampaign, *, today: date | None = None) -> CampaignReport:
    figures = ad_figures([campaign])
    today = today or timezone.now().astimezone(campaign.seminar.tz).date()
    return CampaignReport(campaign, figures, pacing_of(campaign, figures.spend, today=today))
