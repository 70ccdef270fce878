"""The inbox in crisis mode (insights' one click): negative first, and every open
conversation assigned — by the rules first, then round-robin to the crisis team (or, when no
team is set, to everyone who may reply). Crisis mode is on while the alert's emergency pause
is (decision 1002)."""

from __future__ import annotations

from django.db import transaction

from keryx.accounts.models import Membership, User
from keryx.accounts.roles import Perm, role_has
from keryx.core.realtime import publish_on_commit
from keryx.inbox.enums import Status
from keryx.inbox.models import Conversation, InboxSettings


def crisis_active(workspace_id: int) -> bool:
    from keryx.insights.models import CrisisAlert
    from keryx.publishing.models import Pause

    open_pauses = Pause.objects.filter(workspace_id=workspace_id, resumed_at__isnull=True)
    return CrisisAlert.objects.filter(
        workspace_id=workspace_id,
        crisis_mode_at__isnull=False,
        pause_id__in=open_pauses.values("pk"),
    ).exists()


def crisis_team(workspace_id: int) -> list[int]:
    """The crisis team's user ids in a stable order; everyone who may reply if none is set."""
    settings = InboxSettings.objects.filter(workspace_id=workspace_id).first()
    members = {
        m.user_id: m.role
        for m in Membership.objects.filter(workspace_id=workspace_id, user__is_active=True)
    }
    if settings is not None:
        team = sorted(
            pk for pk in settings.crisis_team.values_list("pk", flat=True) if pk in members
        )
        if team:
            return team
    return sorted(pk for pk, role in members.items() if role_has(role, Perm.INBOX_REPLY))


def next_in_turn(workspace_id: int) -> int | None:
    """The next team member in the round-robin (the turn is kept per workspace)."""
    team = crisis_team(workspace_id)
    if not team:
        return None
    with transaction.atomic():
        settings, _created = InboxSettings.objects.get_or_create(workspace_id=workspace_id)
        settings = InboxSettings.objects.select_for_update().get(pk=settings.pk)
        user_id = team[settings.turn % len(team)]
        settings.turn += 1
        settings.save(update_fields=["turn"])
    return user_id


def crisis_assign_open(workspace_id: int) -> int:
    """Assign every open, unassigned conversation round-robin (safe to run twice: an
    assigned one is left alone). Returns how many were assigned."""
    assigned = 0
    unassigned = Conversation.objects.filter(
        workspace_id=workspace_id, status=Status.OPEN, assignee__isnull=True
    ).order_by("sentiment_rank", "-last_message_at", "-id")
    for pk in list(unassigned.values_list("pk", flat=True)[:5000]):
        user_id = next_in_turn(workspace_id)
        if user_id is None:
            break
        if Conversation.objects.filter(pk=pk, assignee__isnull=True).update(assignee_id=user_id):
            assigned += 1
    if assigned:
        publish_on_commit(f"inbox.{workspace_id}", "reload", {})
    return assigned


def team_choices(workspace_id: int) -> list[User]:
    return list(
        User.objects.filter(memberships__workspace_id=workspace_id, is_active=True).order_by(
            "full_name", "email"
        )
    )
