"""The demo's ad campaigns (``keryx demo``): a Meta and a LinkedIn campaign on the seminar's
tracked links, with ten days of results imported through the real CSV importers (the Meta
export in Greek, the LinkedIn one in English), so the dashboard shows spend, cost per
registrant and budget pacing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.accounts.models import User
from keryx.accounts.roles import Perm, Role
from keryx.analytics.domain.campaigns import CampaignData, campaign_create
from keryx.analytics.importers import import_results
from keryx.links.models import TrackedLink
from keryx.seminars.models import Seminar

DAYS = 10


def _greek(amount: Decimal) -> str:
    whole, cents = f"{amount:.2f}".split(".")
    return f"{int(whole):,}".replace(",", ".") + "," + cents


def demo_campaigns(seminar: Seminar, users: Mapping[Role, User]) -> int:
    """Create the demo's campaigns and import their results; returns how many campaigns."""
    access = workspace_access(users[Role.OWNER], seminar.workspace, Perm.ANALYTICS_EDIT)
    today = timezone.now().astimezone(seminar.tz).date()
    first = today - dt.timedelta(days=DAYS - 1)
    last = max(seminar.starts_at.astimezone(seminar.tz).date(), today + dt.timedelta(days=5))
    days = [first + dt.timedelta(days=i) for i in range(DAYS)]

    def links(*networks: str) -> list[int]:
        return list(
            TrackedLink.objects.filter(seminar=seminar, network__in=networks).values_list(
                "pk", flat=True
            )
        )

    meta = campaign_create(
        access=access,
        seminar=seminar,
        data=CampaignData(
            platform="meta",
            name="Σεμινάριο 2026 — Facebook & Instagram",
            starts_on=first,
            ends_on=last,
            budget=Decimal(600),
            currency=seminar.currency,
            link_ids=links("facebook", "instagram"),
        ),
    )
    rows = [
        '"Όνομα καμπάνιας","Ημέρα","Ποσό που δαπανήθηκε (EUR)","Εμφανίσεις","Κάλυψη","Κλικ σε σύνδεσμο"'
    ]
    for i, day in enumerate(days):
        spend = Decimal(18) + Decimal(i * 137 % 90) / 10
        rows.append(
            f'"{meta.name}","{day.isoformat()}","{_greek(spend)}","{_greek(Decimal(1200 + 97 * i))[:-3]}",'
            f'"{900 + 61 * i}","{14 + i % 5}"'
        )
    import_results(access=access, campaign=meta, raw="\n".join(rows).encode())

    linkedin = campaign_create(
        access=access,
        seminar=seminar,
        data=CampaignData(
            platform="linkedin",
            name="Seminar 2026 — professionals",
            starts_on=first,
            ends_on=last,
            budget=Decimal(900),
            currency=seminar.currency,
            link_ids=links("linkedin"),
        ),
    )
    rows = [
        "Campaign Performance Report (in UTC)",
        "Account Name: Keryx demo",
        "",
        "Start Date (in UTC),Campaign Name,Currency,Total Spent,Impressions,Clicks",
    ]
    for i, day in enumerate(days):
        spend = Decimal(41) + Decimal(i * 53 % 70) / 10
        rows.append(
            f"{day.month}/{day.day}/{day.year},{linkedin.name},{seminar.currency},{spend:.2f},"
            f"{800 + 45 * i},{9 + i % 4}"
        )
    import_results(access=access, campaign=linkedin, raw="\n".join(rows).encode())
    return 2
