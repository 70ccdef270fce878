"""API: a seminar's KPIs against their targets (read from the KPI registry) and its ad
campaigns with their costs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router

from keryx.accounts.roles import Perm
from keryx.analytics import queries
from keryx.analytics.presenters import dashboard_of
from keryx.analytics.reporting import campaign_report
from keryx.analytics.schemas import CampaignOut, DashboardOut
from keryx.api.permissions import access_for, needs
from keryx.seminars.queries import seminar_in

router = Router(tags=["analytics"])
SEMINAR = "/workspaces/{workspace}/seminars/{seminar_id}"


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@router.get(
    f"{SEMINAR}/kpis",
    response=DashboardOut,
    operation_id="analytics_kpis",
    openapi_extra=needs(Perm.ANALYTICS_VIEW),
)
def kpis(request: HttpRequest, workspace: str, seminar_id: int) -> Any:
    """Every KPI of the registry for the seminar: its value (null with the reason when Keryx
    does not measure it yet), the target, progress, forecast at the current pace and status."""
    access = access_for(request, workspace, Perm.ANALYTICS_VIEW)
    board = dashboard_of(access, seminar_in(access, seminar_id))
    return {
        "seminar_id": seminar_id,
        "computed_at": board.computed_at,
        "ads_imported_at": board.ads_imported_at,
        "figures_as_of": board.figures_as_of,
        "days_left": board.days_left,
        "kpis": [
            {
                "key": r.kpi.key,
                "label": str(r.kpi.label),
                "unit": str(r.kpi.unit),
                "measured": r.value is not None,
                "value": _f(r.value),
                "reason": r.reason,
                "target": _f(r.target),
                "progress_percent": _f(r.progress),
                "forecast": _f(r.forecast),
                "pace_per_day": _f(r.pace),
                "status": str(r.status),
            }
            for r in board.rows
        ],
    }


@router.get(
    f"{SEMINAR}/ad-campaigns",
    response=list[CampaignOut],
    operation_id="analytics_campaigns",
    openapi_extra=needs(Perm.ANALYTICS_VIEW),
)
def campaigns(request: HttpRequest, workspace: str, seminar_id: int) -> Any:
    access = access_for(request, workspace, Perm.ANALYTICS_VIEW)
    out = []
    for campaign in queries.campaigns_of(access, seminar_in(access, seminar_id)):
        report = campaign_report(campaign)
        f = report.figures
        out.append(
            {
                "id": campaign.pk,
                "platform": campaign.platform,
                "name": campaign.name,
                "starts_on": campaign.starts_on,
                "ends_on": campaign.ends_on,
                "budget": float(campaign.budget),
                "currency": campaign.currency,
                "objective": campaign.objective,
                "spend": float(f.spend),
                "clicks": f.clicks,
                "registrants": f.registrants,
                "attendees": f.attendees,
                "cost_per_click": _f(f.cost_per_click),
                "cost_per_registrant": _f(f.cost_per_registrant),
                "cost_per_attendee": _f(f.cost_per_attendee),
                "pacing": report.pacing.level,
                "pacing_message": report.pacing.message,
            }
        )
    return out
