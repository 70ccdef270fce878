"""Reads of tracked links and their clicks, always scoped to the workspace."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.errors import NotFound
from keryx.links.attribution import registration_model
from keryx.links.enums import ClickKind
from keryx.links.models import Click, Ga4Forwarding, TrackedLink
from keryx.seminars.models import Seminar


def _registrations(condition: Q | None = None) -> Coalesce | Value:
    """Registrations whose last touch is the link (0 without the registrations app)."""
    model = registration_model()
    if model is None:
        return Value(0)
    rows = model._default_manager.filter(
        last_touch_code=OuterRef("code"), seminar__workspace=OuterRef("workspace")
    )
    if condition is not None:
        rows = rows.filter(condition)
    counted = rows.order_by().values("last_touch_code").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_counts(links: QuerySet[TrackedLink]) -> QuerySet[TrackedLink]:
    """Each link with its clicks by kind, unique visitors and (last-touch) registrations."""
    return links.annotate(
        human_clicks=Count("clicks", filter=Q(clicks__kind=ClickKind.HUMAN)),
        unique_visitors=Count(
            "clicks__visitor", filter=Q(clicks__kind=ClickKind.HUMAN), distinct=True
        ),
        preview_clicks=Count("clicks", filter=Q(clicks__kind=ClickKind.PREVIEW)),
        bot_clicks=Count("clicks", filter=Q(clicks__kind=ClickKind.BOT)),
        untracked_clicks=Count("clicks", filter=Q(clicks__kind=ClickKind.ANONYMOUS)),
        registrations=_registrations(),
        check_ins=_registrations(Q(checked_in_at__isnull=False)),
    )


def links_of(access: Access, seminar: Seminar) -> QuerySet[TrackedLink]:
    access.require(Perm.LINKS_VIEW)
    return with_counts(
        TrackedLink.objects.filter(workspace=access.workspace, seminar=seminar)
        .select_related("post", "variant")
        .order_by("-created_at", "-id")
    )


def link_in(access: Access, link_id: int, *, seminar: Seminar | None = None) -> TrackedLink:
    access.require(Perm.LINKS_VIEW)
    links = TrackedLink.objects.filter(workspace=access.workspace, pk=link_id)
    if seminar is not None:
        links = links.filter(seminar=seminar)
    link = with_counts(links.select_related("seminar", "post", "variant")).first()
    if link is None:
        raise NotFound()
    return link


def clicks_by_day(link: TrackedLink, *, time_zone: str) -> list[dict[str, Any]]:
    """Per day (in the seminar's zone): people, unique visitors, previews and bots."""
    rows = (
        Click.objects.filter(link=link)
        .annotate(day=TruncDate("at", tzinfo=_zone(time_zone)))
        .values("day")
        .annotate(
            human=Count("pk", filter=Q(kind=ClickKind.HUMAN)),
            visitors=Count("visitor", filter=Q(kind=ClickKind.HUMAN), distinct=True),
            preview=Count("pk", filter=Q(kind=ClickKind.PREVIEW)),
            bot=Count("pk", filter=Q(kind=ClickKind.BOT)),
            untracked=Count("pk", filter=Q(kind=ClickKind.ANONYMOUS)),
        )
        .order_by("day")
    )
    return list(rows)


def top_referrers(link: TrackedLink, limit: int = 10) -> list[dict[str, Any]]:
    return list(
        Click.objects.filter(link=link, kind=ClickKind.HUMAN)
        .exclude(referrer="")
        .values("referrer")
        .annotate(clicks=Count("pk"))
        .order_by("-clicks", "referrer")[:limit]
    )


def top_agents(link: TrackedLink, limit: int = 10) -> list[dict[str, Any]]:
    """Which previews and bots fetched the link (people are never listed)."""
    return list(
        Click.objects.filter(link=link, kind__in=[ClickKind.PREVIEW, ClickKind.BOT])
        .values("kind", "agent")
        .annotate(clicks=Count("pk"))
        .order_by("-clicks", "agent")[:limit]
    )


def _zone(name: str) -> dt.tzinfo:
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def ga4_forwardings_of(access: Access) -> QuerySet[Ga4Forwarding]:
    access.require(Perm.ANALYTICS_EDIT)
    return Ga4Forwarding.objects.filter(workspace=access.workspace).select_related("seminar")
