"""Reading back from a real Mastodon API (mastodon_mock over HTTP): another account mentions
and answers Keryx's account; the mention notifications, the post's context (its replies), a
tag timeline and the counts of statuses by id come back through the connector and the sync
layer, each stored once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from keryx.networks.domain.accounts import connector_for_account
from keryx.networks.domain.reading import metrics_snapshot, sync_read
from keryx.networks.models import MetricSnapshot, NetworkAccount, RemoteItem

# isort: split
from tests.networks.mastodon.test_mastodon_mock import _connect
from tests.support.mastodon import MOCK_OTHER_USER, MOCK_USER, run_mastodon_mock

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with run_mastodon_mock() as base_url:
        yield base_url


@pytest.fixture
def account(server: str, user: Any, workspace: Any, settings: Any) -> NetworkAccount:
    settings.KERYX_ALLOW_PRIVATE_URLS = True  # the mock listens on 127.0.0.1
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


def test_mentions_replies_tags_and_counts_come_back_once(
    server: str, account: NetworkAccount
) -> None:
    ours = _post(server, MOCK_USER.access_token, status="Σεμινάριο 2026 #smm2026")
    reply = _post(
        server,
        MOCK_OTHER_USER.access_token,
        status=f"@{MOCK_USER.username} Θα υπάρχει μετάδοση;",
        in_reply_to_id=ours["id"],
    )
    mention = _post(
        server, MOCK_OTHER_USER.access_token, status=f"Πάμε όλοι! @{MOCK_USER.username}"
    )

    assert sync_read(account, "mentions") == 2
    assert sync_read(account, "mentions") == 0  # read again: nothing stored twice
    kinds = dict(RemoteItem.objects.filter(account=account).values_list("remote_id", "kind"))
    assert kinds == {str(reply["id"]): "reply", str(mention["id"]): "mention"}
    item = RemoteItem.objects.get(remote_id=str(mention["id"]))
    assert (item.author_handle, item.text) == (
        f"@{MOCK_OTHER_USER.username}",
        f"Πάμε όλοι! @{MOCK_USER.username}",
    )

    comments = connector_for_account(account).fetch_comments(str(ours["id"]))
    assert [(c.remote_id, c.kind, c.post_remote_id) for c in comments.items] == [
        (str(reply["id"]), "comment", str(ours["id"]))
    ]
    assert comments.last

    # (mastodon_mock 0.6.1 answers 500 for a tag timeline of a Greek tag: an ASCII one here.)
    found = connector_for_account(account).search("#smm2026")
    assert [c.remote_id for c in found.items] == [str(ours["id"])]

    assert metrics_snapshot(account, [str(ours["id"])]) == 1
    snapshot = MetricSnapshot.objects.get(remote_id=str(ours["id"]))
    assert (snapshot.comments, snapshot.shares, snapshot.impressions) == (1, 0, None)
