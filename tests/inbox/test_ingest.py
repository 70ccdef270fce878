"""Conversations from the read layer's stored items: one per remote thread with its answers,
sentiment and language from insights' analyser, rules at ingest, filed once however often
ingesting runs, announced on the workspace's inbox stream."""

from __future__ import annotations

from typing import Any

import pytest

from keryx.accounts.access import workspace_access
from keryx.core.models import Event
from keryx.inbox import queries
from keryx.inbox.domain.ingest import inbox_ingest
from keryx.inbox.domain.rules import rule_save
from keryx.inbox.models import Conversation, Message, Rule
from keryx.insights.models import AnalysedText
from tests.factories import make_member
from tests.inbox.support import T0, ingest, item, make_account

pytestmark = pytest.mark.django_db(transaction=True)


def test_comments_replies_and_mentions_become_conversations_once(user: Any, workspace: Any) -> None:
    account = make_account(workspace)
    rows = ingest(
        account,
        item("c1", "Πολύ ωραίο σεμινάριο, ευχαριστούμε!", minutes=0),
        item("c2", "Απαράδεκτη οργάνωση, κανείς δεν απαντά", minutes=1, handle="@nikos"),
        item("c3", "Θα υπάρχει βίντεο;", minutes=2, in_reply_to="c1", handle="@maria"),
        item("m1", "Great workshop by @keryx", kind="mention", minutes=3, post="", handle="@ann"),
        item("k1", "Ευχαριστούμε Μαρία!", minutes=4, in_reply_to="c1", handle="@keryx"),
    )
    assert [(c.thread_key, c.kind, c.messages_count) for c in rows] == [
        ("c1", "comment", 3),
        ("c2", "comment", 1),
        ("m1", "mention", 1),
    ]
    first, second, mention = rows
    assert (first.sentiment, second.sentiment, mention.sentiment) == (
        "neutral",  # the latest from the audience: a logistics question
        "negative",
        "positive",
    )
    assert (first.language, mention.language) == ("el", "en")
    assert first.excerpt == "Θα υπάρχει βίντεο;"
    assert first.first_reply_at == T0.replace(minute=4)  # our own reply, read back
    assert second.first_reply_at is None
    assert list(first.messages.values_list("outgoing", flat=True)) == [False, False, True]
    # insights analysed every text from the audience once (the crisis detector reads these)
    assert AnalysedText.objects.filter(workspace=workspace).count() == 4

    assert inbox_ingest() == 0  # running again files nothing twice
    assert Message.objects.count() == 5
    events = Event.objects.filter(stream=f"inbox.{workspace.pk}")
    assert events.count() == 5
    assert events.first().data == {"id": first.pk, "new": True}


def test_rules_tag_and_assign_by_keyword_network_and_sentiment(user: Any, workspace: Any) -> None:
    access = workspace_access(user, workspace)
    maria = make_member(workspace, "moderator", email="maria@example.org")
    rule_save(access=access, name="Εισιτήρια", keywords="εισιτήριο, τιμή", tag="tickets")
    rule_save(access=access, name="Angry", sentiment="negative", assign_to_id=maria.pk)
    rule_save(access=access, name="Only X", network="x", tag="x")
    account = make_account(workspace)
    tickets, angry, plain = ingest(
        account,
        item("a", "Πόσο κοστίζει το ΕΙΣΙΤΗΡΙΟ;", minutes=0),
        item("b", "Χάλια οργάνωση, απαράδεκτο", minutes=1),
        item("c", "Θα είμαι εκεί", minutes=2),
    )
    assert (tickets.tags, tickets.assignee_id) == (["tickets"], None)
    assert (angry.tags, angry.assignee_id) == ([], maria.pk)
    assert (plain.tags, plain.assignee_id) == ([], None)
    assert Rule.objects.count() == 3


def test_filters_and_folded_search(user: Any, workspace: Any, seminar: Any) -> None:
    access = workspace_access(user, workspace)
    account = make_account(workspace)
    ingest(
        account,
        item("a", "Πού θα γίνει το ΣΕΜΙΝΆΡΙΟ;", minutes=0, author="Γιώργος"),
        item("b", "Awful sound, could not hear anything", minutes=1, author="Ann"),
        item("c", "Τέλεια!", minutes=2, author="Ελένη"),
    )
    Conversation.objects.filter(thread_key="c").update(status="done")

    def keys(**filters: Any) -> list[str]:
        page = queries.inbox_page(access, queries.Filters(**filters))
        return [c.thread_key for c in page.rows]

    assert keys() == ["b", "a"]  # open, newest first
    assert keys(status="") == ["c", "b", "a"]
    assert keys(q="σεμιναριο") == ["a"]
    assert keys(q="γιωργος που") == ["a"]
    assert keys(sentiment="negative") == ["b"]
    assert keys(language="en") == ["b"]
    assert keys(network="x") == []
    assert keys(assignee="none") == ["b", "a"]


def test_keyset_pages_do_not_repeat_or_skip(user: Any, workspace: Any) -> None:
    access = workspace_access(user, workspace)
    account = make_account(workspace)
    ingest(account, *[item(f"i{n}", f"σχόλιο {n}", minutes=n // 2) for n in range(7)])
    seen: list[str] = []
    cursor = ""
    while True:
        page = queries.inbox_page(access, queries.Filters(), cursor=cursor, size=3)
        seen += [c.thread_key for c in page.rows]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert sorted(seen) == [f"i{n}" for n in range(7)] and len(seen) == 7
