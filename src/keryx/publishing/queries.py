"""Reads for the Calendar area, always scoped to the workspace (and checked against the role)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from keryx.accounts.access import Access
from keryx.accounts.models import User
from keryx.accounts.roles import Perm
from keryx.content.enums import VariantStatus
from keryx.content.models import Post, Variant, VariantMedia
from keryx.core.errors import NotFound
from keryx.networks.models import NetworkAccount
from keryx.publishing.models import Attempt, Pause, ScheduleShift
from keryx.seminars.models import Seminar

S = VariantStatus


@dataclass(frozen=True)
class CalendarFilter:
    seminar_id: int | None = None
    networks: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    author_id: int | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None


def variants_in(access: Access) -> QuerySet[Variant]:
    access.require(Perm.CONTENT_VIEW)
    return Variant.objects.filter(post__workspace=access.workspace)


def variant_in(access: Access, variant_id: int) -> Variant:
    variant = (
        variants_in(access)
        .select_related("post", "post__seminar", "post__author", "account", "dispatch")
        .filter(pk=variant_id)
        .first()
    )
    if variant is None:
        raise NotFound()
    return variant


def calendar_variants(access: Access, flt: CalendarFilter) -> QuerySet[Variant]:
    """Variants with a time (scheduled, or published) in the window, filtered."""
    qs = (
        variants_in(access)
        .filter(Q(scheduled_at__isnull=False) | Q(published_at__isnull=False))
        .select_related("post", "post__seminar", "post__author", "account", "dispatch")
        .prefetch_related(
            Prefetch("media_links", queryset=VariantMedia.objects.select_related("media"))
        )
        .order_by("scheduled_at", "pk")
    )
    if flt.seminar_id is not None:
        qs = qs.filter(post__seminar_id=flt.seminar_id)
    if flt.networks:
        qs = qs.filter(network__in=flt.networks)
    if flt.states:
        wanted = Q(status__in=[s for s in flt.states if s != "held"])
        if "held" in flt.states:
            wanted |= Q(status=S.SCHEDULED, dispatch__held_at__isnull=False)
        qs = qs.filter(wanted)
    if flt.phases:
        qs = qs.filter(post__campaign_phase__in=flt.phases)
    if flt.themes:
        qs = qs.filter(post__theme__in=flt.themes)
    if flt.author_id is not None:
        qs = qs.filter(post__author_id=flt.author_id)
    if flt.start is not None:
        qs = qs.filter(Q(scheduled_at__gte=flt.start) | Q(published_at__gte=flt.start))
    if flt.end is not None:
        qs = qs.filter(
            Q(scheduled_at__lt=flt.end) | Q(scheduled_at__isnull=True, published_at__lt=flt.end)
        )
    return qs


def planned_in(access: Access, seminar_id: int) -> QuerySet[Variant]:
    """Approved variants of the seminar with a planned time, not yet on the schedule."""
    return variants_in(access).filter(
        post__seminar_id=seminar_id,
        post__status="approved",
        status=S.APPROVED,
        scheduled_at__isnull=False,
    )


def held_in(access: Access, seminar_id: int | None = None) -> QuerySet[Variant]:
    qs = variants_in(access).filter(status=S.SCHEDULED, dispatch__held_at__isnull=False)
    if seminar_id is not None:
        qs = qs.filter(post__seminar_id=seminar_id)
    return qs.select_related(
        "post", "post__seminar", "account", "dispatch", "dispatch__held_by"
    ).order_by("scheduled_at", "pk")


def pauses_in(access: Access, *, active: bool | None = None) -> QuerySet[Pause]:
    access.require(Perm.CONTENT_VIEW)
    qs = Pause.objects.filter(workspace=access.workspace).select_related(
        "seminar", "paused_by", "resumed_by"
    )
    if active is not None:
        qs = qs.filter(resumed_at__isnull=active)
    return qs


def pause_in(access: Access, pause_id: int) -> Pause:
    pause = pauses_in(access).filter(pk=pause_id).first()
    if pause is None:
        raise NotFound()
    return pause


def active_pauses_for(access: Access, seminar: Seminar | None) -> list[Pause]:
    qs = pauses_in(access, active=True)
    if seminar is not None:
        qs = qs.filter(Q(seminar__isnull=True) | Q(seminar=seminar))
    return list(qs)


def accounts_in(access: Access) -> QuerySet[NetworkAccount]:
    access.require(Perm.CONTENT_VIEW)
    return NetworkAccount.objects.filter(workspace=access.workspace).order_by("network", "name")


def account_in(access: Access, account_id: int) -> NetworkAccount:
    account = accounts_in(access).filter(pk=account_id).first()
    if account is None:
        raise NotFound()
    return account


def attempts_of(variant: Variant) -> QuerySet[Attempt]:
    return Attempt.objects.filter(variant=variant).order_by("-started_at", "-id")


def shifts_unseen(access: Access, seminar: Seminar) -> QuerySet[ScheduleShift]:
    access.require(Perm.CONTENT_VIEW)
    return (
        ScheduleShift.objects.filter(
            workspace=access.workspace, seminar=seminar, seen_at__isnull=True
        )
        .select_related("variant", "variant__post", "variant__account")
        .order_by("new_at")
    )


def post_in(access: Access, post_id: int) -> Post:
    access.require(Perm.CONTENT_VIEW)
    post = (
        Post.objects.select_related("seminar")
        .filter(pk=post_id, workspace=access.workspace)
        .first()
    )
    if post is None:
        raise NotFound()
    return post


def post_authors_in(access: Access) -> QuerySet[User]:
    """People who wrote posts in the workspace (what the posts show anyway, not the team)."""
    access.require(Perm.CONTENT_VIEW)
    return (
        User.objects.filter(posts__workspace=access.workspace)
        .distinct()
        .order_by("full_name", "email")
    )


def seminars_in(access: Access) -> QuerySet[Seminar]:
    access.require(Perm.CONTENT_VIEW)
    return Seminar.objects.filter(workspace=access.workspace).order_by("-starts_at", "-id")


def seminar_in(access: Access, seminar_id: int) -> Seminar:
    access.require(Perm.CONTENT_VIEW)
    seminar = Seminar.objects.filter(pk=seminar_id, workspace=access.workspace).first()
    if seminar is None:
        raise NotFound()
    return seminar


ON_THE_SCHEDULE = (S.SCHEDULED, S.PUBLISHING, S.PUBLISHED)
IN_TROUBLE = (S.FAILED, S.UNCONFIRMED)


def scheduled_between(access: Access, start: dt.datetime, end: dt.datetime) -> QuerySet[Variant]:
    """Variants on the schedule (or already out) with a time in ``[start, end)``."""
    return (
        variants_in(access)
        .filter(status__in=ON_THE_SCHEDULE, scheduled_at__gte=start, scheduled_at__lt=end)
        .select_related("post", "post__seminar", "account", "dispatch")
        .order_by("scheduled_at", "pk")
    )


def in_trouble(access: Access) -> QuerySet[Variant]:
    """Variants that failed or whose publication is not confirmed, latest first."""
    return (
        variants_in(access)
        .filter(status__in=IN_TROUBLE)
        .select_related("post", "post__seminar", "account")
        .order_by("-updated_at", "-pk")
    )
