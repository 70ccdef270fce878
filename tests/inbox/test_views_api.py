"""The inbox pages and API: the list with its KPIs and filters, a conversation with the hide
button only where the network allows it, posting a note and a status, the reply form's key
making a double submit one reply, the live stream only for members, and the API's list,
assign, status and reply with their permissions."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from keryx.inbox.models import Conversation, Reply
from keryx.inbox.stream import resolve_inbox_stream
from tests.factories import make_member, make_token
from tests.inbox.support import ingest, item, make_account

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def test_list_shows_conversations_kpis_and_filters(user: Any, workspace: Any) -> None:
    ingest(
        make_account(workspace),
        item("a", "Απαράδεκτη οργάνωση", author="Νίκος"),
        item("b", "Τέλειο!", minutes=1, author="Ελένη"),
    )
    page = _client(user).get(reverse("inbox:list", kwargs={"workspace": workspace.slug}))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("Ελένη") < html.index("Νίκος")  # newest first
    assert 'data-stream="/inbox-events/' in html and "inbox/inbox.js" in html
    assert "Time to first reply" in html and "<script>" not in html
    filtered = _client(user).get(
        reverse("inbox:list", kwargs={"workspace": workspace.slug}), {"sentiment": "negative"}
    )
    assert "Νίκος" in filtered.content.decode() and "Ελένη" not in filtered.content.decode()


def test_hide_button_only_where_the_network_allows_it(user: Any, workspace: Any) -> None:
    (fb,) = ingest(make_account(workspace, "facebook"), item("f1", "Απατεώνες"))
    (md,) = ingest(
        make_account(workspace, "mastodon", remote_id="m", base_url="https://m.example"),
        item("m1", "Απατεώνες"),
    )
    client = _client(user)

    def page(c: Conversation) -> str:
        url = reverse(
            "inbox:conversation", kwargs={"workspace": workspace.slug, "conversation_id": c.pk}
        )
        return client.get(url).content.decode()

    assert 'id="hide-comment"' in page(fb) and 'id="delete-comment"' in page(fb)
    assert 'id="hide-comment"' not in page(md) and 'id="delete-comment"' not in page(md)
    viewer = make_member(workspace, "viewer")
    as_viewer = _client(viewer).get(
        reverse(
            "inbox:conversation", kwargs={"workspace": workspace.slug, "conversation_id": fb.pk}
        )
    )
    # A viewer reads the inbox in no role: 403. A moderator reads and answers.
    assert as_viewer.status_code == 403
    moderator = make_member(workspace, "moderator")
    html = (
        _client(moderator)
        .get(
            reverse(
                "inbox:conversation", kwargs={"workspace": workspace.slug, "conversation_id": fb.pk}
            )
        )
        .content.decode()
    )
    assert 'id="reply-form"' in html and 'id="hide-comment"' in html


def test_reply_form_posted_twice_is_one_reply_and_notes_and_status(
    user: Any, workspace: Any
) -> None:
    (c,) = ingest(make_account(workspace), item("f1", "Πότε;"))
    client = _client(user)
    kwargs = {"workspace": workspace.slug, "conversation_id": c.pk}
    for _ in range(2):
        response = client.post(
            reverse("inbox:reply", kwargs=kwargs), {"text": "Στις 10:00", "key": "abc"}
        )
        assert response.status_code == 302
    assert Reply.objects.filter(conversation=c).count() == 1
    client.post(reverse("inbox:note", kwargs=kwargs), {"text": "Το είδα"})
    client.post(reverse("inbox:status", kwargs=kwargs), {"status": "done"})
    c.refresh_from_db()
    assert c.status == "done" and c.notes.count() == 1
    viewer = make_member(workspace, "viewer")
    assert (
        _client(viewer).post(reverse("inbox:status", kwargs=kwargs), {"status": "open"}).status_code
        == 403
    )


@pytest.mark.django_db(transaction=True)
def test_the_live_stream_is_for_members_who_read_the_inbox(user: Any, workspace: Any) -> None:
    client = _client(user)
    key = client.cookies["sessionid"].value

    def resolve(slug: str, cookie: str) -> Any:
        scope = {"headers": [(b"cookie", f"sessionid={cookie}".encode())]}
        return asyncio.run(resolve_inbox_stream(slug + "/", scope))

    assert resolve(workspace.slug, key) == [f"inbox.{workspace.pk}"]
    assert resolve(workspace.slug, "not-a-session") is None
    viewer_client = _client(make_member(workspace, "viewer"))
    assert resolve(workspace.slug, viewer_client.cookies["sessionid"].value) is None


def test_api_list_assign_status_reply(user: Any, workspace: Any) -> None:
    ingest(make_account(workspace), *[item(f"c{n}", f"Ερώτηση {n}", minutes=n) for n in range(3)])
    api = Client(headers={"Authorization": f"Bearer {make_token(user)}"})
    base = f"/api/v1/workspaces/{workspace.slug}/inbox/conversations"
    first = api.get(base, {"page_size": 2}).json()
    assert [c["excerpt"] for c in first["items"]] == ["Ερώτηση 2", "Ερώτηση 1"]
    second = api.get(base, {"page_size": 2, "after": first["next"]}).json()
    assert [c["excerpt"] for c in second["items"]] == ["Ερώτηση 0"] and second["next"] == ""
    pk = first["items"][0]["id"]
    assigned = api.post(
        f"{base}/{pk}/assign", {"assignee_id": user.pk}, content_type="application/json"
    )
    assert assigned.status_code == 200 and assigned.json()["assignee_id"] == user.pk
    done = api.post(f"{base}/{pk}/status", {"status": "done"}, content_type="application/json")
    assert done.json()["status"] == "done"
    body = {"text": "Ευχαριστούμε!", "key": "api-1"}
    one = api.post(f"{base}/{pk}/replies", body, content_type="application/json")
    two = api.post(f"{base}/{pk}/replies", body, content_type="application/json")
    assert one.status_code == 202 and one.json()["id"] == two.json()["id"]
    viewer = Client(
        headers={"Authorization": f"Bearer {make_token(make_member(workspace, 'analyst'))}"}
    )
    assert viewer.get(base).status_code == 403
    assert (
        viewer.post(f"{base}/{pk}/replies", body, content_type="application/json").status_code
        == 403
    )
