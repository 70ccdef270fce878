"""Numbers over time for published posts: which variants are due a metric snapshot (hourly
while under 48 hours old, daily to day 30, then frozen: ``keryx.networks.domain.reading.
metrics_due``), read one batch per account (one request where the network takes a batch).
The snapshots themselves are the networks app's ``MetricSnapshot`` rows, keyed by the
account and the variant's remote id."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Max
from django.utils import timezone

from keryx.content.enums import VariantStatus
from keryx.content.models import Variant
from keryx.networks.domain.reading import DAILY_UNTIL, metrics_due, metrics_snapshot
from keryx.networks.models import AccountStatus, MetricSnapshot, NetworkAccount
from keryx.networks.registry import find_spec


def metrics_poll(*, now: dt.datetime | None = None) -> int:
    """Take a snapshot of every published variant that is due one. Safe to run twice (a
    variant just measured is not due again). Returns how many snapshots were taken."""
    now = now or timezone.now()
    published = Variant.objects.filter(
        status=VariantStatus.PUBLISHED,
        published_at__gte=now - DAILY_UNTIL,
        account__status=AccountStatus.CONNECTED,
    ).exclude(remote_id="")
    rows = list(published.values_list("account_id", "remote_id", "published_at"))
    last = {
        (a, r): t
        for a, r, t in MetricSnapshot.objects.filter(
            account_id__in={a for a, _r, _p in rows}, remote_id__in={r for _a, r, _p in rows}
        )
        .values("account_id", "remote_id")
        .annotate(last=Max("taken_at"))
        .values_list("account_id", "remote_id", "last")
    }
    due: dict[int, list[str]] = defaultdict(list)
    for account_id, remote_id, published_at in rows:
        if published_at is not None and metrics_due(
            published_at, last.get((account_id, remote_id)), now
        ):
            due[account_id].append(remote_id)
    taken = 0
    for account in NetworkAccount.objects.filter(pk__in=list(due)):
        found = find_spec(account.network)
        if found is None or not found.capabilities.metrics:
            continue
        taken += metrics_snapshot(account, due[account.pk], now=now)
    return taken
