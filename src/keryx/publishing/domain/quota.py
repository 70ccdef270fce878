"""Planning against quotas: would these times make an account publish more than its network
allows in any window? Checked when scheduling, so a post is refused while there is still
time to move it, not held on the day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from keryx.content.enums import VariantStatus
from keryx.content.models import Variant
from keryx.core.timezones import local
from keryx.networks.models import NetworkAccount
from keryx.publishing.limits import limits_for, network_label

S = VariantStatus
PLANNED = [S.SCHEDULED, S.PUBLISHING, S.UNCONFIRMED]


@dataclass(frozen=True)
class QuotaProblem:
    at: dt.datetime
    count: int
    quota: int
    window: dt.timedelta

    def message(self, account: NetworkAccount, time_zone: str) -> str:
        hours = self.window.total_seconds() / 3600
        when = local(self.at, time_zone)
        assert when is not None
        return _(
            "This would make %(count)d posts within %(hours)s hours on %(account)s around "
            "%(when)s, and %(network)s allows %(quota)d. Spread the posts out, give the "
            "repetition an end date, or choose another account."
        ) % {
            "count": self.count,
            "hours": f"{hours:g}",
            "account": account.handle or account.name,
            "when": date_format(when, "DATETIME_FORMAT"),
            "network": network_label(account.network),
            "quota": self.quota,
        }


def planned_times(
    account: NetworkAccount,
    start: dt.datetime,
    end: dt.datetime,
    *,
    exclude: Iterable[int] = (),
) -> list[dt.datetime]:
    """Times the account publishes (or will) between ``start`` and ``end``."""
    rows = (
        Variant.objects.filter(account=account)
        .exclude(pk__in=list(exclude))
        .filter(
            Q(status__in=PLANNED, scheduled_at__gte=start, scheduled_at__lte=end)
            | Q(status=S.PUBLISHED, published_at__gte=start, published_at__lte=end)
        )
        .values_list("status", "scheduled_at", "published_at")
    )
    times = [
        published if status == S.PUBLISHED else scheduled for status, scheduled, published in rows
    ]
    return [t for t in times if t is not None]


def quota_problem(
    account: NetworkAccount,
    new_times: Iterable[dt.datetime],
    *,
    exclude: Iterable[int] = (),
) -> QuotaProblem | None:
    """The first window in which the new times would exceed the account's quota."""
    limits = limits_for(account.network)
    new = sorted(new_times)
    if limits.quota is None or not new:
        return None
    window = limits.quota_window
    existing = planned_times(account, new[0] - window, new[-1] + window, exclude=exclude)
    marked = sorted([(t, False) for t in existing] + [(t, True) for t in new])
    start = 0
    new_inside = 0
    for end, (at, is_new) in enumerate(marked):
        new_inside += is_new
        while at - marked[start][0] >= window:
            new_inside -= marked[start][1]
            start += 1
        count = end - start + 1
        if count > limits.quota and new_inside:
            return QuotaProblem(at=at, count=count, quota=limits.quota, window=window)
    return None
