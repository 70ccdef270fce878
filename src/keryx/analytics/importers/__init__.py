"""Import an ad campaign's results from the CSV export of Meta Ads Manager, LinkedIn Campaign
Manager or Google Ads. The platform is recognised from the header; rows before the header
(report titles, date ranges) and total rows are skipped; rows of other campaigns in the same
file are left out and counted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.analytics.enums import AdPlatform
from keryx.analytics.importers.layouts import LAYOUTS, Layout
from keryx.analytics.importers.parsing import (
    ParseError,
    comma_is_decimal,
    day_first_from,
    decode,
    parse_date,
    parse_number,
    rows_of,
)
from keryx.analytics.models import AdCampaign, AdResult
from keryx.core.errors import ValidationFailed
from keryx.core.text import text_key

_TOTALS = {text_key(w) for w in ("total", "totals", "σύνολο", "σύνολα")}
MAX_BYTES = 5 * 1024 * 1024


class ImportProblem(ValidationFailed):
    code = "import_problem"


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    spend: Decimal
    impressions: int | None
    reach: int | None
    clicks: int | None


@dataclass(frozen=True)
class Parsed:
    layout: Layout
    periods: list[Period]
    other_campaigns: list[str]
    currency: str


@dataclass(frozen=True)
class Outcome:
    platform_label: str
    rows: int
    other_campaigns: list[str]


def _header(rows: list[list[str]]) -> tuple[int, Layout, dict[str, int]]:
    for index, row in enumerate(rows[:40]):
        for layout in LAYOUTS:
            found = layout.find(row)
            if all(f in found for f in layout.signature) and "campaign" in found:
                return index, layout, found
    raise ImportProblem(
        _(
            "This file does not look like an export of Meta Ads Manager, LinkedIn Campaign Manager or Google Ads: no row names the campaign and the amount spent."
        )
    )


def _int(value: Decimal | None) -> int | None:
    return None if value is None else int(value)


def parse_export(raw: bytes, *, campaign_name: str, platform: str = "") -> Parsed:
    """The rows of one campaign, summed per period (several ad sets on the same day add up).
    With ``platform``, an export of another platform is refused."""
    rows = rows_of(decode(raw))
    start_at, layout, col = _header(rows)
    if platform and layout.platform != platform:
        raise ImportProblem(
            _("This is an export of %(found)s, but the campaign runs on %(platform)s.")
            % {"found": layout.platform.label, "platform": AdPlatform(platform).label}
        )
    body = [r for r in rows[start_at + 1 :] if any(r)]
    spend_header = rows[start_at][col["spend"]]
    number_cells = [
        r[col[f]]
        for r in body
        for f in ("spend", "impressions", "clicks")
        if f in col and col[f] < len(r)
    ]
    comma = comma_is_decimal(number_cells)
    date_cells = [
        r[col[f]] for r in body for f in ("day", "start", "end") if f in col and col[f] < len(r)
    ]
    # Numbers written the Greek way come with dates written the Greek way (day first).
    day_first = day_first_from(date_cells, default=comma or layout.day_first)
    wanted = text_key(campaign_name)
    names: dict[str, str] = {}
    sums: dict[tuple[date, date], list[Decimal | None]] = {}
    currency = ""
    for row in body:
        cell = row[col["campaign"]] if col["campaign"] < len(row) else ""
        key = text_key(cell)
        first = text_key(row[0]).split(":")[0].strip()
        if not key or first in _TOTALS or key.split(":")[0].strip() in _TOTALS:
            continue
        if key != wanted:
            names.setdefault(key, cell)
            continue
        try:
            if "day" in col and row[col["day"]]:
                start = parse_date(row[col["day"]], day_first=day_first)
                end = (
                    parse_date(row[col["end"]], day_first=day_first)
                    if "end" in col and row[col["end"]]
                    else start
                )
            elif "start" in col and row[col["start"]]:
                start = parse_date(row[col["start"]], day_first=day_first)
                end = parse_date(row[col["end"]], day_first=day_first) if "end" in col else start
            else:
                raise ImportProblem(_("The file has no dates: export it with a day breakdown."))
            values = [
                parse_number(row[col[f]], comma_decimal=comma) if f in col else None
                for f in ("spend", "impressions", "reach", "clicks")
            ]
        except (ParseError, IndexError, ValueError) as exc:
            raise ImportProblem(
                _("Row %(row)s: a date or a number cannot be read (%(cell)s).")
                % {"row": body.index(row) + start_at + 2, "cell": exc}
            ) from exc
        if "currency" in col and row[col["currency"]]:
            currency = row[col["currency"]].upper()
        total = sums.setdefault((start, end), [None, None, None, None])
        for i, value in enumerate(values):
            if value is not None:
                total[i] = (total[i] or Decimal(0)) + value
    if not currency and "(" in spend_header:
        currency = spend_header.rsplit("(", 1)[1].rstrip(")").strip().upper()
    if not sums:
        raise ImportProblem(
            _(
                "No row of this file is for the campaign “%(name)s”. Campaigns in the file: %(names)s."
            )
            % {"name": campaign_name, "names": ", ".join(names.values()) or "—"}
        )
    periods = [
        Period(
            start=start,
            end=max(end, start),
            spend=(v[0] or Decimal(0)).quantize(Decimal("0.01")),
            impressions=_int(v[1]),
            reach=_int(v[2]),
            clicks=_int(v[3]),
        )
        for (start, end), v in sorted(sums.items())
    ]
    return Parsed(layout, periods, sorted(names.values()), currency)


def import_results(*, access: Access, campaign: AdCampaign, raw: bytes) -> Outcome:
    """Store the campaign's rows of an export; a period imported before is replaced."""
    access.require(Perm.ANALYTICS_EDIT)
    if campaign.workspace_id != access.workspace.pk:
        raise ImportProblem(_("This campaign is not in this workspace."))
    if len(raw) > MAX_BYTES:
        raise ImportProblem(_("The file is larger than 5 MB."))
    parsed = parse_export(raw, campaign_name=campaign.name, platform=campaign.platform)
    if parsed.currency and parsed.currency != campaign.currency:
        raise ImportProblem(
            _("The export is in %(found)s, the campaign's budget in %(currency)s.")
            % {"found": parsed.currency, "currency": campaign.currency}
        )
    now = timezone.now()
    with transaction.atomic():
        for p in parsed.periods:
            AdResult.objects.update_or_create(
                campaign=campaign,
                period_start=p.start,
                period_end=p.end,
                defaults={
                    "spend": p.spend,
                    "impressions": p.impressions,
                    "reach": p.reach,
                    "clicks": p.clicks,
                    "imported_at": now,
                },
            )
    return Outcome(str(parsed.layout.platform.label), len(parsed.periods), parsed.other_campaigns)
