"""The Meta Marketing API's insights of an ad account (``GET /act_{id}/insights``): spend,
impressions, reach, clicks and actions of each campaign for each day, through the shared Graph
client (``keryx.networks.meta_graph``: one host, its error mapping and its paging).

- Ads Insights API: https://developers.facebook.com/documentation/ads-commerce/marketing-api/insights
- Ad account insights edge: https://developers.facebook.com/documentation/ads-commerce/marketing-api/reference/ad-account/insights
- Paging (``paging.next`` / ``cursors.after``): https://developers.facebook.com/docs/graph-api/results

Numbers come as strings ("5339.5"); a field Meta leaves out of a row is unknown, not 0.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx
from django.utils.translation import gettext as _

from keryx.core.http import AuthExpired, OutboundError, RateLimited, Rejected
from keryx.networks.meta_graph import GRAPH_URL, GraphAPI

SERVICE = "Meta Marketing API"
FIELDS = "campaign_id,campaign_name,spend,impressions,reach,clicks,actions"
MAX_PAGES = 100  # 100 rows a page: 10,000 campaign-days


@dataclass(frozen=True)
class InsightRow:
    campaign_name: str
    start: date
    end: date
    spend: Decimal
    impressions: int | None
    reach: int | None
    clicks: int | None
    actions: dict[str, int] = field(default_factory=dict)


class MetaAdsProblem(Exception):
    """Reading the insights failed; ``message`` says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _number(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(Decimal(str(value)))
    except InvalidOperation:
        return None


def _row(item: dict[str, Any]) -> InsightRow:
    actions = {
        str(a.get("action_type")): n
        for a in item.get("actions") or []
        if (n := _number(a.get("value"))) is not None
    }
    return InsightRow(
        campaign_name=str(item.get("campaign_name") or ""),
        start=date.fromisoformat(item["date_start"]),
        end=date.fromisoformat(item["date_stop"]),
        spend=Decimal(str(item.get("spend") or "0")).quantize(Decimal("0.01")),
        impressions=_number(item.get("impressions")),
        reach=_number(item.get("reach")),
        clicks=_number(item.get("clicks")),
        actions=actions,
    )


def _plain(exc: OutboundError) -> str:
    if isinstance(exc, AuthExpired):
        return _(
            "Meta did not accept the access token (expired, revoked or without the ads_read "
            "permission). Enter a new token and import again."
        )
    if isinstance(exc, RateLimited):
        return _("Meta asks Keryx to slow down. Try the import again in a few minutes.")
    if isinstance(exc, Rejected):
        return _("Meta refused the request: %(reason)s") % {"reason": exc.message}
    return _("Meta could not be reached or answered with an error: %(reason)s") % {
        "reason": exc.message
    }


def fetch_insights(
    *,
    ad_account_id: str,
    token: str,
    since: date,
    until: date,
    transport: httpx.BaseTransport | None = None,
) -> list[InsightRow]:
    """Each campaign's figures for each day from ``since`` to ``until`` (the ad account's
    time zone), every page of them."""
    account = ad_account_id.removeprefix("act_").strip()
    if not account.isdigit():
        raise MetaAdsProblem(_("The ad account ID is the number after “act_” in Ads Manager."))
    params = {
        "level": "campaign",
        "fields": FIELDS,
        "time_increment": 1,
        "time_range": json.dumps({"since": since.isoformat(), "until": until.isoformat()}),
        "limit": 100,
    }
    try:
        with GraphAPI(
            service=SERVICE, base_url=GRAPH_URL, access_token=token, transport=transport
        ) as api:
            return [
                _row(item)
                for item in api.pages(f"act_{account}/insights", params, max_pages=MAX_PAGES)
            ]
    except OutboundError as exc:
        raise MetaAdsProblem(_plain(exc)) from exc
    except (KeyError, ValueError) as exc:
        raise MetaAdsProblem(_("Meta answered in a way Keryx cannot read.")) from exc
