"""Assigning, notes with @mentions, hiding where the network allows it, the KPIs worked out by
hand on a known set, crisis mode (negative first, round-robin to the crisis team, the crisis
summary's first-reply time), and scoping: another workspace sees nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import respx
from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.analytics.kpis import kpi as get_kpi
from keryx.core.errors import Forbidden, NotFound, ValidationFailed
from keryx.inbox import queries
from keryx.inbox.domain.crisis import crisis_assign_open
from keryx.inbox.domain.kpis import inbox_figures
from keryx.inbox.domain.triage import (
    comment_moderate,
    conversation_assign,
    moderation_actions,
    note_add,
    saved_reply_fill,
)
from keryx.inbox.models import Conversation, InboxSettings, SavedReply
from keryx.insights.domain.crisis_mode import crisis_summary
from keryx.insights.models import CrisisAlert
from keryx.networks.meta_graph import GRAPH_URL
from keryx.networks.models import RemoteItem
from keryx.notifications.models import Notification
from keryx.publishing.models import Pause
from tests.factories import make_member, make_user, make_workspace
from tests.inbox.support import T0, ingest, item, make_account
from tests.networks.facebook.support import response

pytestmark = pytest.mark.django_db


def _at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_kpis_worked_out_by_hand(user: Any, workspace: Any, seminar: Any) -> None:
    maria = make_member(workspace, "moderator", email="maria@example.org")
    account = make_account(workspace)
    rows = ingest(account, *[item(f"c{n}", f"Ερώτηση {n};", minutes=n) for n in range(6)])
    # Answered after 10, 30 and 5 minutes; one more hidden as abuse (answered at once);
    # two never answered. Median of (5, 10, 30) = 10; 3 of 5 counted answered = 60%.
    waits = {"c0": 10, "c1": 30, "c2": 5, "c3": 0}
    for row in rows:
        if row.thread_key in waits:
            row.first_reply_at = row.first_message_at + dt.timedelta(minutes=waits[row.thread_key])
        row.seminar = seminar
        row.hidden = row.thread_key == "c3"
        row.assignee = maria if row.thread_key in ("c4", "c5") else None
        row.save()
    Conversation.objects.filter(thread_key__in=["c0", "c1", "c2"]).update(status="done")
    figures = inbox_figures(Conversation.objects.filter(workspace=workspace))
    assert figures.first_reply_minutes == Decimal("10.0")
    assert figures.response_rate == Decimal("60.0")
    assert (figures.conversations, figures.replied) == (5, 3)
    assert figures.open_by_person == {maria.pk: 2, None: 1}
    # The same numbers through the analytics KPI registry, for the seminar.
    assert get_kpi("first_reply_time").value_for(seminar) == Decimal("10.0")
    assert get_kpi("inbox_response_rate").value_for(seminar) == Decimal("60.0")


def test_assign_notifies_and_notes_mention_team_members(user: Any, workspace: Any) -> None:
    access = workspace_access(user, workspace)
    maria = make_member(workspace, "moderator", email="maria@example.org")
    outsider = make_user("eve@example.org")
    (conversation,) = ingest(make_account(workspace), item("c1", "Πότε ξεκινά;"))
    conversation_assign(access=access, conversation=conversation, user_id=maria.pk)
    assert Conversation.objects.get(pk=conversation.pk).assignee_id == maria.pk
    with pytest.raises(ValidationFailed):
        conversation_assign(access=access, conversation=conversation, user_id=outsider.pk)
    note = note_add(
        access=access, conversation=conversation, text="@Maria ξέρεις την ώρα; @eve όχι"
    )
    assert note.mentioned == [maria.pk]
    kinds = list(Notification.objects.filter(recipient=maria).values_list("kind", flat=True))
    assert sorted(kinds) == ["inbox.assigned", "inbox.mention"]
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_saved_reply_placeholders(user: Any, workspace: Any, seminar: Any) -> None:
    access = workspace_access(user, workspace)
    (conversation,) = ingest(make_account(workspace), item("c1", "Γεια", author="Μαρία Παπά"))
    conversation.seminar = seminar
    saved = SavedReply(text="Γεια σας {name} ({handle}), τα λέμε στο {seminar}! {unknown}")
    assert saved_reply_fill(saved, conversation=conversation, access=access) == (
        f"Γεια σας Μαρία (@maria), τα λέμε στο {seminar.title}! {{unknown}}"
    )


def test_hide_where_the_network_allows_it(user: Any, workspace: Any) -> None:
    access = workspace_access(user, workspace)
    facebook = make_account(workspace, "facebook", remote_id="page-1")
    mastodon = make_account(workspace, "mastodon", remote_id="m-1", base_url="https://m.example")
    (abusive,) = ingest(facebook, item("fb_c1", "Απατεώνες!"))
    (other,) = ingest(mastodon, item("m_c1", "Απατεώνες!"))
    assert moderation_actions(abusive) == {"hide", "delete"}
    assert moderation_actions(other) == set()  # Mastodon has no hiding of replies
    # Bluesky hides (threadgate) but deletes only records in our own repository: an audience
    # comment offers no Delete button that could only fail.
    bluesky = make_account(workspace, "bluesky", remote_id="did:plc:us")
    (on_bluesky,) = ingest(bluesky, item("at://did:plc:them/app.bsky.feed.post/1", "Απατεώνες!"))
    assert moderation_actions(on_bluesky) == {"hide"}
    with pytest.raises(ValidationFailed):
        comment_moderate(access=access, conversation=other, action="hide")
    with respx.mock(assert_all_called=True) as network:
        hide = network.post(f"{GRAPH_URL}/fb_c1").mock(
            return_value=response("facebook", "comment_hidden")
        )
        comment_moderate(access=access, conversation=abusive, action="hide")
    assert b"is_hidden=true" in hide.calls.last.request.content
    abusive.refresh_from_db()
    assert (abusive.hidden, abusive.status) == (True, "done")
    assert RemoteItem.objects.get(remote_id="fb_c1").hidden
    assert moderation_actions(abusive) == {"delete"}
    viewer = make_member(workspace, "viewer")
    with pytest.raises(Forbidden):
        comment_moderate(
            access=workspace_access(viewer, workspace), conversation=abusive, action="delete"
        )


def _crisis_on(workspace: Any, user: Any) -> CrisisAlert:
    pause = Pause.objects.create(
        workspace=workspace, reason="crisis", paused_by=user, paused_at=_at(31)
    )
    return CrisisAlert.objects.create(
        workspace=workspace,
        kind="crisis",
        detected_at=_at(30),
        window_start=_at(0),
        mentions=40,
        negative_share=0.8,
        expected=4,
        crisis_mode_at=_at(31),
        pause_id=pause.pk,
    )


def test_crisis_mode_sorts_negative_first_and_assigns_round_robin(
    user: Any, workspace: Any
) -> None:
    access = workspace_access(user, workspace)
    anna = make_member(workspace, "moderator", email="anna@example.org")
    bob = make_member(workspace, "manager", email="bob@example.org")
    make_member(workspace, "viewer", email="viewer@example.org")
    settings, _ = InboxSettings.objects.get_or_create(workspace=workspace)
    settings.crisis_team.set([anna, bob])
    account = make_account(workspace)
    before = ingest(
        account,
        item("p1", "Υπέροχο σεμινάριο!", minutes=0),
        item("n1", "Απαράδεκτη οργάνωση, ντροπή", minutes=1),
    )
    assert all(c.assignee_id is None for c in before)
    alert = _crisis_on(workspace, user)
    assert crisis_assign_open(workspace.pk) == 2
    ingest(account, item("n2", "Χάλια, θέλω τα λεφτά μου πίσω", minutes=2))
    page = queries.inbox_page(access, queries.Filters(), crisis=True)
    assert [c.thread_key for c in page.rows] == ["n2", "n1", "p1"]
    assert [c.assignee_id for c in page.rows] == [anna.pk, anna.pk, bob.pk]
    assert crisis_assign_open(workspace.pk) == 0  # safe to run twice
    # The crisis summary's first-reply time comes from the inbox.
    Conversation.objects.filter(thread_key="n1").update(first_reply_at=_at(1 + 12))
    Conversation.objects.filter(thread_key="n2").update(first_reply_at=_at(2 + 4))
    assert crisis_summary(access=access, alert=alert).first_reply_minutes == Decimal("8.0")


def test_another_workspace_sees_nothing(user: Any, workspace: Any) -> None:
    (conversation,) = ingest(make_account(workspace), item("c1", "Γεια"))
    stranger = make_user("stranger@example.org")
    theirs = make_workspace(owner=stranger, name="Άλλη ομάδα")
    access = workspace_access(stranger, theirs)
    assert queries.inbox_page(access, queries.Filters(status="")).rows == []
    with pytest.raises(NotFound):
        queries.conversation_in(access, conversation.pk)
    with pytest.raises(NotFound):
        workspace_access(stranger, workspace)
    with pytest.raises(ValidationFailed):
        conversation_assign(access=access, conversation=conversation, user_id=None)
    assert timezone.is_aware(conversation.first_message_at)


def test_the_crisis_alert_email_goes_through_the_outbox(user: Any, workspace: Any) -> None:
    """Checked for issue 13: the alert's e-mail is queued in core's outbox (one row per
    recipient, in their language), never sent directly."""
    from keryx.core.models import OutboxMessage
    from keryx.insights.domain.alerts import alert_announce

    moderator = make_member(workspace, "moderator", email="mod@example.org")
    make_member(workspace, "viewer", email="viewer@example.org")
    alert = CrisisAlert.objects.create(
        workspace=workspace,
        kind="crisis",
        detected_at=_at(30),
        window_start=_at(0),
        mentions=40,
        negative_share=0.8,
        expected=4,
    )
    alert_announce(alert)
    queued = OutboxMessage.objects.filter(kind="notifications.notice")
    assert sorted(queued.values_list("to_email", flat=True)) == sorted(
        [user.email, moderator.email]
    )
    assert all("40" in m.subject for m in queued)
