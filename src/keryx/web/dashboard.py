"""The home dashboard's data: what a manager checks first thing, built from each app's scoped
queries (never inside the view). Sections a role may not see are left empty."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.content import queries as content_queries
from keryx.content.models import Post, Variant
from keryx.notifications.domain.notify import unread_for
from keryx.notifications.models import Notification
from keryx.publishing import queries as publishing_queries
from keryx.registrations.queries import Counts, counts_of
from keryx.seminars import queries as seminar_queries
from keryx.seminars.enums import KpiMetric
from keryx.seminars.models import Seminar

LIST_LENGTH = 8


@dataclass(frozen=True)
class NextSeminar:
    seminar: Seminar
    counts: Counts | None  # None: the role does not see registration numbers
    target: Decimal | None

    @property
    def percent(self) -> int | None:
        if self.counts is None or not self.target:
            return None
        return min(100, round(self.counts.registered * 100 / self.target))


@dataclass(frozen=True)
class Dashboard:
    zone: str
    today: list[Variant]
    later_this_week: list[Variant]
    waiting_for_me: list[Post]
    in_trouble: list[Variant]
    in_trouble_count: int
    next_seminar: NextSeminar | None
    unread: list[Notification]
    unread_count: int
    can_approve: bool = field(default=False)
    can_compose: bool = field(default=False)


def _day_start(moment: dt.datetime, zone: str) -> dt.datetime:
    local = moment.astimezone(zoneinfo.ZoneInfo(zone))
    return dt.datetime.combine(local.date(), dt.time(), tzinfo=zoneinfo.ZoneInfo(zone))


def next_seminar_of(access: Access, now: dt.datetime) -> NextSeminar | None:
    seminar = (
        seminar_queries.seminars_in(access)
        .filter(ends_at__gte=now)
        .order_by("starts_at", "id")
        .prefetch_related("kpi_targets")
        .first()
    )
    if seminar is None:
        return None
    sees_numbers = access.can(Perm.REGISTRATIONS_VIEW) or access.can(Perm.ANALYTICS_VIEW)
    target = next(
        (k.target for k in seminar.kpi_targets.all() if k.metric == KpiMetric.REGISTRATIONS),
        None,
    )
    return NextSeminar(
        seminar=seminar, counts=counts_of(seminar) if sees_numbers else None, target=target
    )


def dashboard_for(access: Access, *, now: dt.datetime | None = None) -> Dashboard:
    """Times in the workspace's zone: "today" is that zone's calendar day, "this week" the
    seven days that start today."""
    now = now or timezone.now()
    zone = access.workspace.default_time_zone or "UTC"
    today = _day_start(now, zone)
    tomorrow = today + dt.timedelta(days=1)
    week_end = today + dt.timedelta(days=7)
    trouble = publishing_queries.in_trouble(access)
    unread = unread_for(access.user).filter(
        Q(workspace=access.workspace) | Q(workspace__isnull=True)
    )
    return Dashboard(
        zone=zone,
        today=list(publishing_queries.scheduled_between(access, today, tomorrow)),
        later_this_week=list(
            publishing_queries.scheduled_between(access, tomorrow, week_end)[: LIST_LENGTH * 2]
        ),
        waiting_for_me=content_queries.posts_waiting_for(access, limit=LIST_LENGTH * 4),
        in_trouble=list(trouble[:LIST_LENGTH]),
        in_trouble_count=trouble.count(),
        next_seminar=next_seminar_of(access, now),
        unread=list(unread[:LIST_LENGTH]),
        unread_count=unread.count(),
        can_approve=access.can(Perm.CONTENT_APPROVE),
        can_compose=access.can(Perm.CONTENT_EDIT),
    )
