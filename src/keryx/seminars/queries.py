"""Reads of seminars, always scoped to the workspace the user may see."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import QuerySet

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.errors import NotFound
from keryx.seminars.models import Persona, Seminar, Session, Speaker

ChildT = TypeVar("ChildT", bound=Persona | Session | Speaker)


def seminars_in(access: Access) -> QuerySet[Seminar]:
    access.require(Perm.SEMINAR_VIEW)
    return Seminar.objects.filter(workspace=access.workspace).order_by("-starts_at", "-id")


def seminar_in(access: Access, seminar_id: int) -> Seminar:
    seminar = seminars_in(access).filter(pk=seminar_id).first()
    if seminar is None:
        raise NotFound()
    return seminar


def personas_of(seminar: Seminar) -> QuerySet[Persona]:
    return seminar.personas.all()


def sessions_of(seminar: Seminar) -> QuerySet[Session]:
    return seminar.sessions.prefetch_related("speakers")


def speakers_of(seminar: Seminar) -> QuerySet[Speaker]:
    return seminar.speakers.all()


def child_in(seminar: Seminar, model: type[ChildT], pk: int) -> ChildT:
    """A persona, session or speaker of this seminar, or NotFound."""
    obj: ChildT | None = model._default_manager.filter(seminar=seminar, pk=pk).first()  # type: ignore[assignment]
    if obj is None:
        raise NotFound()
    return obj
