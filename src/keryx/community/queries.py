"""Reads: staff reads scoped to the workspace and role, attendee reads scoped to the community
they entered (hidden threads and replies left out). The Q&A archive reads the live app's
questions of the seminar's archived rooms; it never changes them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.community.models import Announcement, Community, Material, Member, Reply, Thread
from keryx.core.errors import NotFound
from keryx.live.enums import QuestionStatus
from keryx.live.models import Question, Room
from keryx.seminars.models import Seminar


def seminars_with_communities(access: Access) -> QuerySet[Seminar]:
    access.require(Perm.COMMUNITY_MODERATE)
    return (
        Seminar.objects.filter(workspace=access.workspace)
        .select_related("community")
        .order_by("-starts_at", "-pk")
    )


def community_in(access: Access, seminar_id: int) -> Community:
    access.require(Perm.COMMUNITY_MODERATE)
    community = (
        Community.objects.filter(workspace=access.workspace, seminar_id=seminar_id)
        .select_related("seminar", "workspace")
        .first()
    )
    if community is None:
        raise NotFound()
    return community


def community_by_code(code: str) -> Community:
    community = (
        Community.objects.filter(code=code[:16]).select_related("seminar", "workspace").first()
    )
    if community is None:
        raise NotFound()
    return community


def members_of(community: Community) -> QuerySet[Member]:
    return community.members.select_related("registration").annotate(
        n_replies=Count("replies", distinct=True)
    )


def member_in(community: Community, member_id: int) -> Member:
    member = community.members.filter(pk=member_id).select_related("registration").first()
    if member is None:
        raise NotFound()
    return member


def materials_of(community: Community) -> QuerySet[Material]:
    return community.materials.all()


def material_in(community: Community, material_id: int) -> Material:
    material = community.materials.filter(pk=material_id).first()
    if material is None:
        raise NotFound()
    return material


def announcements_of(community: Community) -> QuerySet[Announcement]:
    return community.announcements.select_related("author")


def announcement_in(community: Community, announcement_id: int) -> Announcement:
    found = community.announcements.filter(pk=announcement_id).first()
    if found is None:
        raise NotFound()
    return found


def threads_of(community: Community, *, staff: bool) -> QuerySet[Thread]:
    qs = community.threads.select_related("member", "staff")
    if not staff:
        qs = qs.filter(hidden=False)
    shown = Q() if staff else Q(replies__hidden=False)
    return qs.annotate(n_replies=Count("replies", filter=shown, distinct=True))


def thread_in(community: Community, thread_id: int, *, staff: bool) -> Thread:
    qs = community.threads.filter(pk=thread_id).select_related("member", "staff")
    if not staff:
        qs = qs.filter(hidden=False)
    thread = qs.prefetch_related(
        Prefetch(
            "replies",
            queryset=(
                Reply.objects.select_related("member", "staff", "hidden_by")
                if staff
                else Reply.objects.filter(hidden=False).select_related("member", "staff")
            ),
        )
    ).first()
    if thread is None:
        raise NotFound()
    return thread


def reply_in(community: Community, reply_id: int) -> Reply:
    reply = (
        Reply.objects.filter(pk=reply_id, thread__community=community)
        .select_related("thread")
        .first()
    )
    if reply is None:
        raise NotFound()
    return reply


@dataclass(frozen=True)
class ArchivedQuestion:
    room: str
    text: str
    reply: str
    answered: bool
    upvotes: int


def qa_archive(community: Community) -> list[ArchivedQuestion]:
    """The questions shown in the seminar's rooms once the rooms were archived, most upvoted
    first per room. Names are left out: the archive outlives the room (decision 0865)."""
    rooms = Room.objects.filter(seminar_id=community.seminar_id, archived_at__isnull=False)
    rows = (
        Question.objects.filter(room__in=rooms, status=QuestionStatus.APPROVED)
        .select_related("room")
        .order_by("room__pk", "-upvotes", "created_at")
    )
    return [ArchivedQuestion(q.room.title, q.text, q.reply, q.answered, q.upvotes) for q in rows]
