"""Replying from Keryx exactly once, against a real Mastodon API (mastodon_mock over HTTP):
a reply is sent once however often it is submitted or its task runs; a reply whose answer is
lost (a proxy holds it back until Keryx gives up) is unconfirmed, never sent again, and the
reconciler finds it on the network; one that never reached the network is declared not sent."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.core.errors import Forbidden
from keryx.inbox.domain.ingest import inbox_ingest
from keryx.inbox.domain.replies import replies_sweep, reply_queue, reply_reconcile, reply_send
from keryx.inbox.models import Conversation, Reply
from keryx.networks.domain.reading import sync_read
from keryx.networks.models import NetworkAccount

# isort: split
from tests.factories import make_member
from tests.networks.mastodon.lossy_proxy import lossy_proxy
from tests.networks.mastodon.test_mastodon_mock import _connect
from tests.support.mastodon import MOCK_OTHER_USER, MOCK_USER, run_mastodon_mock

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with run_mastodon_mock() as base_url:
        yield base_url


@pytest.fixture
def account(server: str, user: Any, workspace: Any, settings: Any) -> NetworkAccount:
    settings.KERYX_ALLOW_PRIVATE_URLS = True
    settings.KERYX_HTTP_TIMEOUT = 1.0
    return _connect(server, user, workspace)


def _post(server: str, token: str, **data: str) -> dict[str, Any]:
    response = httpx.post(
        f"{server}/api/v1/statuses",
        data=data,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def _answers_to(server: str, account: NetworkAccount, status_id: str) -> list[str]:
    response = httpx.get(
        f"{server}/api/v1/accounts/{account.remote_id}/statuses", params={"limit": 40}, timeout=10
    )
    return [str(s["id"]) for s in response.json() if str(s.get("in_reply_to_id")) == status_id]


def _conversation(server: str, account: NetworkAccount, text: str) -> tuple[Conversation, str]:
    ours = _post(server, MOCK_USER.access_token, status="Σεμινάριο social media, 6/2")
    theirs = _post(
        server,
        MOCK_OTHER_USER.access_token,
        status=f"@{MOCK_USER.username} {text}",
        in_reply_to_id=ours["id"],
    )
    sync_read(account, "mentions")
    inbox_ingest()
    conversation = Conversation.objects.get(account=account, thread_key=str(theirs["id"]))
    assert conversation.post_remote_id == str(ours["id"])
    return conversation, str(theirs["id"])


def test_a_reply_goes_out_once_however_often_it_is_submitted(
    server: str, account: NetworkAccount, user: Any, workspace: Any
) -> None:
    access = workspace_access(user, workspace)
    conversation, theirs = _conversation(server, account, "Θα υπάρχει μετάδοση;")
    reply = reply_queue(
        access=access, conversation=conversation, text="Ναι, στο YouTube!", client_key="k-1"
    )
    again = reply_queue(
        access=access, conversation=conversation, text="Ναι, στο YouTube!", client_key="k-1"
    )
    assert again.pk == reply.pk and Reply.objects.count() == 1
    assert reply_send(reply.pk) == "sent"
    assert reply_send(reply.pk) == "not_due"  # a repeated task finds nothing to claim
    assert replies_sweep(now=timezone.now() + dt.timedelta(hours=1))["sent"] == 0
    reply.refresh_from_db()
    assert reply.status == "sent" and reply.remote_id
    assert _answers_to(server, account, theirs) == [reply.remote_id]
    conversation.refresh_from_db()
    assert conversation.first_reply_at is not None
    assert list(conversation.messages.values_list("outgoing", flat=True)) == [False, True]
    # Reading the account's notifications and the post's comments again files nothing twice.
    sync_read(account, "comments", conversation.post_remote_id)
    inbox_ingest()
    assert conversation.messages.count() == 2


def test_a_lost_confirmation_is_unconfirmed_then_found_never_sent_twice(
    server: str, account: NetworkAccount, user: Any, workspace: Any
) -> None:
    access = workspace_access(user, workspace)
    conversation, theirs = _conversation(server, account, "Πού είναι ο χώρος;")
    reply = reply_queue(access=access, conversation=conversation, text="Στο Μέγαρο Μουσικής.")
    with lossy_proxy(server) as proxy:
        NetworkAccount.objects.filter(pk=account.pk).update(base_url=proxy.url)
        proxy.lose_next("POST", "/api/v1/statuses")
        assert reply_send(reply.pk) == "unconfirmed"
        assert reply_send(reply.pk) == "not_due"
        sent = [p for m, p, h in proxy.requests if m == "POST" and p == "/api/v1/statuses"]
    assert sent == ["/api/v1/statuses"]
    reply.refresh_from_db()
    assert reply.status == "unconfirmed" and "checking" in reply.error
    NetworkAccount.objects.filter(pk=account.pk).update(base_url=server)
    now = timezone.now()
    assert reply_reconcile(reply.pk, now=now) == "not_due"  # not before its time
    assert reply_reconcile(reply.pk, now=now + dt.timedelta(minutes=1)) == "found"
    reply.refresh_from_db()
    assert reply.status == "sent"
    assert _answers_to(server, account, theirs) == [reply.remote_id]  # on the network once
    assert reply_send(reply.pk) == "not_due"


def test_an_unconfirmed_reply_that_is_not_there_is_declared_not_sent(
    server: str, account: NetworkAccount, user: Any, workspace: Any
) -> None:
    access = workspace_access(user, workspace)
    conversation, theirs = _conversation(server, account, "Έχει πάρκινγκ;")
    reply = reply_queue(access=access, conversation=conversation, text="Ναι, δωρεάν.")
    with socket.socket() as silent:  # accepts the request and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        held: list[socket.socket] = []
        threading.Thread(target=lambda: held.append(silent.accept()[0]), daemon=True).start()
        NetworkAccount.objects.filter(pk=account.pk).update(
            base_url=f"http://127.0.0.1:{silent.getsockname()[1]}"
        )
        assert reply_send(reply.pk) == "unconfirmed"
        for conn in held:
            conn.close()
    NetworkAccount.objects.filter(pk=account.pk).update(base_url=server)
    now = timezone.now()
    assert reply_reconcile(reply.pk, now=now + dt.timedelta(seconds=40)) == "later"
    assert reply_reconcile(reply.pk, now=now + dt.timedelta(minutes=10)) == "absent"
    reply.refresh_from_db()
    assert reply.status == "failed" and "not sent" in reply.error
    assert _answers_to(server, account, theirs) == []


def test_a_viewer_cannot_reply(server: str, account: NetworkAccount, workspace: Any) -> None:
    viewer = make_member(workspace, "viewer")
    conversation, _theirs = _conversation(server, account, "Γεια!")
    with pytest.raises(Forbidden):
        reply_queue(
            access=workspace_access(viewer, workspace), conversation=conversation, text="Γεια"
        )
    assert Reply.objects.count() == 0
