"""The social wall: one per seminar (decision 0810). Items arrive from three sources
(:mod:`keryx.live.domain.wall_sources`) and are judged here once, on arrival: a blocked word
hides it, our own posts and the questions already approved in a room go up at once, a trusted
author's post goes up at once, and the rest waits for a moderator while premoderation is on.
Moderators approve or hide; every change reaches the screens over the real-time layer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.errors import Forbidden, ValidationFailed
from keryx.core.realtime import publish_on_commit
from keryx.core.text import text_key
from keryx.live.models import Room, Wall, WallItem, WallItemStatus, WallSource, new_display_key
from keryx.live.words import blocked_keys, contains_blocked
from keryx.seminars.models import Seminar

ITEM_ACTIONS = frozenset({"approve", "hide", "trust"})
SHOWN = 30  # the newest approved items a display draws


@dataclass(frozen=True)
class Arrival:
    """An item as a source found it, before it is judged."""

    source: str
    network: str
    remote_id: str
    text: str
    written_at: dt.datetime
    author_name: str = ""
    author_handle: str = ""
    url: str = ""


def _check(access: Access, seminar: Seminar) -> None:
    if not access.can(Perm.LIVE_MODERATE) or seminar.workspace_id != access.workspace.pk:
        raise Forbidden()


def wall_open(*, access: Access, seminar: Seminar) -> Wall:
    """The seminar's wall, made the first time it is asked for."""
    _check(access, seminar)
    existing = Wall.objects.filter(seminar=seminar).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            wall = Wall.objects.create(workspace=seminar.workspace, seminar=seminar)
            audit_record(
                action="live.wall.create", actor=access.user, workspace=access.workspace, obj=wall
            )
            return wall
    except IntegrityError:  # made by a concurrent request
        return Wall.objects.get(seminar=seminar)


# --- judging ----------------------------------------------------------------------------------


def handle_key(handle: str) -> str:
    """``@Μαρία@example.social``, ``μαρια@example.social`` and ``@MARIA`` compare folded,
    without the leading ``@``."""
    return text_key(handle.strip().lstrip("@＠"))


def trusted_keys(wall: Wall) -> frozenset[str]:
    """The wall's trusted authors, plus the workspace's own connected accounts."""
    from keryx.networks.models import NetworkAccount

    own = NetworkAccount.objects.filter(workspace_id=wall.workspace_id).values_list(
        "handle", flat=True
    )
    lines = [line for line in wall.trusted_authors.splitlines() if line.strip()]
    return frozenset(handle_key(h) for h in (*lines, *own) if handle_key(h))


def wall_blocked_keys(wall: Wall) -> frozenset[str]:
    """The wall's blocked words, the seminar's rooms' and the built-in Greek and English list,
    folded (case, accents, final sigma) as the Q&A block list folds them."""
    rooms = Room.objects.filter(seminar_id=wall.seminar_id).values_list("blocked_words", flat=True)
    return blocked_keys("\n".join([wall.blocked_words, *rooms]))


def judge(
    wall: Wall, arrival: Arrival, *, blocked: frozenset[str], trusted: frozenset[str]
) -> tuple[str, str]:
    """(status, reason) of a new item."""
    if arrival.source != WallSource.POST and contains_blocked(arrival.text, blocked):
        return WallItemStatus.HIDDEN, "blocked"
    if arrival.source == WallSource.POST:
        return WallItemStatus.APPROVED, "ours"
    if arrival.source == WallSource.QUESTION:
        return WallItemStatus.APPROVED, "q&a"
    if arrival.author_handle and handle_key(arrival.author_handle) in trusted:
        return WallItemStatus.APPROVED, "trusted"
    if not wall.premoderation:
        return WallItemStatus.APPROVED, "open"
    return WallItemStatus.PENDING, ""


def wall_items_add(wall: Wall, arrivals: Iterable[Arrival]) -> list[WallItem]:
    """Judge and store new items; one already on the wall (same network and remote id) is
    left as it is. Returns the items made."""
    arrivals = list(arrivals)
    if not arrivals:
        return []
    blocked, trusted = wall_blocked_keys(wall), trusted_keys(wall)
    made: list[WallItem] = []
    for arrival in arrivals:
        status, reason = judge(wall, arrival, blocked=blocked, trusted=trusted)
        try:
            with transaction.atomic():
                item = WallItem.objects.create(
                    wall=wall,
                    source=arrival.source,
                    network=arrival.network[:16],
                    remote_id=arrival.remote_id[:300],
                    author_name=arrival.author_name[:300],
                    author_handle=arrival.author_handle[:300],
                    text=arrival.text,
                    url=arrival.url[:1000],
                    written_at=arrival.written_at,
                    status=status,
                    reason=reason,
                )
                item_changed(item)
        except IntegrityError:
            continue  # on the wall already
        made.append(item)
    return made


# --- moderation -------------------------------------------------------------------------------


def wall_item_moderate(*, access: Access, item: WallItem, action: str) -> WallItem:
    """``approve``, ``hide``, or ``trust`` (approve, and add the author to the trusted list so
    their next posts go up at once)."""
    wall = item.wall
    _check(access, wall.seminar)
    if action not in ITEM_ACTIONS:
        raise ValidationFailed(_("Unknown action."))
    with transaction.atomic():
        if action == "trust":
            if not item.author_handle:
                raise ValidationFailed(_("This post has no author handle to trust."))
            wall = Wall.objects.select_for_update().get(pk=wall.pk)
            if handle_key(item.author_handle) not in trusted_keys(wall):
                lines = [line for line in wall.trusted_authors.splitlines() if line.strip()]
                wall.trusted_authors = "\n".join([*lines, item.author_handle])[:5000]
                wall.save(update_fields=["trusted_authors", "updated_at"])
            _approve_trusted(wall)
        item.status = WallItemStatus.HIDDEN if action == "hide" else WallItemStatus.APPROVED
        item.moderated_at = timezone.now()
        item.save(update_fields=["status", "moderated_at"])
        audit_record(
            action=f"live.wall.{action}", actor=access.user, workspace=access.workspace, obj=item
        )
        item_changed(item)
    return item


def wall_settings_save(
    *,
    access: Access,
    wall: Wall,
    premoderation: bool,
    search_networks: bool,
    trusted_authors: str,
    blocked_words: str,
) -> Wall:
    """Save the wall's rules; waiting items are judged again by them (a newly trusted author's
    go up, those with a newly blocked word are hidden)."""
    _check(access, wall.seminar)
    wall.premoderation = premoderation
    wall.search_networks = search_networks
    wall.trusted_authors = trusted_authors[:5000]
    wall.blocked_words = blocked_words[:5000]
    with transaction.atomic():
        wall.save(
            update_fields=[
                "premoderation",
                "search_networks",
                "trusted_authors",
                "blocked_words",
                "updated_at",
            ]
        )
        blocked = wall_blocked_keys(wall)
        for item in WallItem.objects.filter(wall=wall, status=WallItemStatus.PENDING):
            if contains_blocked(item.text, blocked):
                _set(item, WallItemStatus.HIDDEN, "blocked")
        _approve_trusted(wall)
        if not premoderation:
            for item in WallItem.objects.filter(wall=wall, status=WallItemStatus.PENDING):
                _set(item, WallItemStatus.APPROVED, "open")
        audit_record(
            action="live.wall.update", actor=access.user, workspace=access.workspace, obj=wall
        )
    return wall


def wall_display_key_renew(*, access: Access, wall: Wall) -> Wall:
    """A new address for the standalone display (the old one stops working)."""
    _check(access, wall.seminar)
    wall.display_key = new_display_key()
    wall.save(update_fields=["display_key", "updated_at"])
    audit_record(
        action="live.wall.display_key", actor=access.user, workspace=access.workspace, obj=wall
    )
    return wall


def _approve_trusted(wall: Wall) -> None:
    trusted = trusted_keys(wall)
    pending = WallItem.objects.filter(wall=wall, status=WallItemStatus.PENDING).exclude(
        author_handle=""
    )
    for item in pending:
        if handle_key(item.author_handle) in trusted:
            _set(item, WallItemStatus.APPROVED, "trusted")


def _set(item: WallItem, status: str, reason: str) -> None:
    item.status, item.reason = status, reason
    item.save(update_fields=["status", "reason"])
    item_changed(item)


# --- what screens see -------------------------------------------------------------------------


def item_public(item: WallItem) -> dict[str, Any]:
    """An approved item in full; any other only by id and status (never its text)."""
    if item.status != WallItemStatus.APPROVED:
        return {"id": item.pk, "status": item.status}
    return {
        "id": item.pk,
        "status": item.status,
        "source": item.source,
        "network": item.network,
        "network_name": network_label(item),
        "name": item.author_name,
        "handle": item.author_handle,
        "text": item.text,
        "written": item.written_at.isoformat(),
    }


def network_label(item: WallItem) -> str:
    from keryx.networks.registry import network_name

    if item.source == WallSource.QUESTION or not item.network:
        return _("Q&A")
    return network_name(item.network)


def item_changed(item: WallItem) -> None:
    """After commit: the public shape to displays (pending items without their text), in the
    seminar's language (a sweep runs in the worker, outside any request)."""
    language = Seminar.objects.filter(pk=item.wall.seminar_id).values_list("language", flat=True)
    with override(language.first() or "el"):
        publish_on_commit(item.wall.stream, "wall", item_public(item))


def wall_state(wall: Wall) -> dict[str, Any]:
    """What a display draws first; ``wall`` events keep it current."""
    items = WallItem.objects.filter(wall=wall, status=WallItemStatus.APPROVED).order_by(
        "-written_at", "-pk"
    )[:SHOWN]
    return {"items": [item_public(i) for i in items], "shown": SHOWN}
