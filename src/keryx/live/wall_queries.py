"""Reads of the social wall, scoped to the workspace and the moderator role (staff) or to the
display's secret key (public, approved items only)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.errors import NotFound
from keryx.live.models import Wall, WallItem, WallItemStatus
from keryx.seminars.models import Seminar
from keryx.seminars.queries import seminar_in

FILTERS = ("pending", "approved", "hidden", "all")


def wall_seminar_in(access: Access, seminar_id: int) -> Seminar:
    access.require(Perm.LIVE_MODERATE)
    return seminar_in(access, seminar_id)


def wall_by_key(key: str) -> Wall:
    wall = Wall.objects.filter(display_key=key[:40]).select_related("seminar").first()
    if wall is None:
        raise NotFound()
    return wall


def items_for_moderator(wall: Wall, *, show: str = "pending") -> QuerySet[WallItem]:
    rows = WallItem.objects.filter(wall=wall)
    if show in {WallItemStatus.PENDING, WallItemStatus.APPROVED, WallItemStatus.HIDDEN}:
        rows = rows.filter(status=show)
    return rows.order_by("-written_at", "-pk")


def item_in_wall(wall: Wall, item_id: int) -> WallItem:
    item = WallItem.objects.filter(wall=wall, pk=item_id).select_related("wall__seminar").first()
    if item is None:
        raise NotFound()
    return item


def wall_counts(wall: Wall) -> dict[str, int]:
    from django.db.models import Count

    counts = dict(
        WallItem.objects.filter(wall=wall)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("status", "n")
    )
    return {status: int(counts.get(status, 0)) for status in WallItemStatus.values}


def search_status(wall: Wall) -> list[dict[str, Any]]:
    """Per searching account: each hashtag's read (last success, the refusal or error in
    plain words, when it is tried again) and the account's read quotas in use."""
    from keryx.live.domain.wall_sources import SEARCH_KIND, searching_accounts, wall_queries
    from keryx.networks.domain.reading import reading_summary
    from keryx.networks.models import SyncState
    from keryx.networks.registry import network_name

    queries = wall_queries(wall)
    rows = []
    for account in searching_accounts(wall):
        states = {
            s.scope: s
            for s in SyncState.objects.filter(account=account, kind=SEARCH_KIND, scope__in=queries)
        }
        rows.append(
            {
                "network": network_name(account.network),
                "account": account.name,
                "handle": account.handle,
                "quota": reading_summary(account),
                "reads": [{"query": q, "state": states.get(q)} for q in queries],
            }
        )
    return rows
