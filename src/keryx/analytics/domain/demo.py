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


# Demo data only: which of the demo's networks report views (Mastodon and Bluesky give no
# impressions nor reach to their API, so their snapshots keep those numbers unknown).
_NO_VIEWS = frozenset({"mastodon", "bluesky"})


def demo_metrics(seminar: Seminar, users: Mapping[Role, User]) -> int:
    """Numbers over time for the demo: six of the seminar's variants marked published over
    the last ten days with metric snapshots (every six hours for two days, then daily), and a
    live rating poll answered by some attendees. Returns how many snapshots were made."""
    from keryx.analytics.domain.rollups import rollups_refresh
    from keryx.content.models import Variant
    from keryx.live.domain.polls import poll_create
    from keryx.live.domain.rooms import room_open
    from keryx.live.models import Participant, PollStatus, Vote
    from keryx.networks.models import MetricSnapshot
    from keryx.registrations.models import Registration

    now = timezone.now()
    variants = list(
        Variant.objects.filter(post__seminar=seminar, account__isnull=False).order_by("pk")[:6]
    )
    made: list[MetricSnapshot] = []
    for i, variant in enumerate(variants):
        published = now - dt.timedelta(days=DAYS - i, hours=3)
        Variant.objects.filter(pk=variant.pk).update(
            status="published", published_at=published, remote_id=f"demo-{variant.pk}"
        )
        times = [published + dt.timedelta(hours=6 * k) for k in range(1, 9)]
        day = published + dt.timedelta(days=3)
        while day < now:
            times.append(day)
            day += dt.timedelta(days=1)
        for k, at in enumerate(times):
            growth = 1 - 0.8 ** (k + 1)
            views = None if variant.network in _NO_VIEWS else round((900 + 150 * i) * growth)
            made.append(
                MetricSnapshot(
                    account_id=variant.account_id,
                    remote_id=f"demo-{variant.pk}",
                    taken_at=at,
                    likes=round((40 + 9 * i) * growth),
                    shares=round((6 + i) * growth),
                    comments=round((5 + 2 * i) * growth),
                    impressions=views,
                    reach=None if views is None else round(views * 0.7),
                )
            )
    MetricSnapshot.objects.bulk_create(made)

    access = workspace_access(users[Role.OWNER], seminar.workspace, Perm.LIVE_MODERATE)
    room = room_open(access=access, seminar=seminar)
    poll = poll_create(
        access=access, room=room, kind="rating", question="Πώς σας φάνηκε το σεμινάριο;"
    )
    attendees = list(
        Registration.objects.filter(seminar=seminar, checked_in_at__isnull=False).order_by("pk")
    )
    for n, registration in enumerate(attendees[:40]):
        person = Participant.objects.create(seminar=seminar, registration=registration)
        Vote.objects.create(poll=poll, participant=person, value=(5, 4, 5, 3, 4)[n % 5])
    poll.status = PollStatus.CLOSED
    poll.closed_at = now
    poll.save(update_fields=["status", "closed_at"])
    rollups_refresh(seminar, now=now)
    return len(made)
