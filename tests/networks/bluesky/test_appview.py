"""Bluesky's reads against a real local network with an AppView: PLC + PDS + the bsky AppView
from @atproto/dev-env 0.3.215 (``npm ci --prefix tests/pds``), through the ``bluesky_appview``
fixture (tests/conftest.py, tests/support/pds.py). The connector talks only to the PDS, which
proxies ``app.bsky.*`` to the AppView, as bsky.social does.

The AppView keeps its index in PostgreSQL, so these tests run in the PostgreSQL + Redis suite
(``make test-services``) and skip without it.
"""

from __future__ import annotations

import uuid

import pytest

from keryx.networks.base import AccountState
from keryx.networks.bluesky.connector import BlueskyConnector

# isort: split
from tests.support.pds import LocalPds, PdsAccount

pytestmark = pytest.mark.xdist_group("bluesky_appview")
PASSWORD = "correct-horse-battery"


def _account(network: LocalPds, name: str) -> PdsAccount:
    return network.create_account(f"{name}-{uuid.uuid4().hex[:6]}.test", PASSWORD)


def _connector(network: LocalPds, account: PdsAccount) -> BlueskyConnector:
    """The connector as Keryx builds it for a connected account (handle + app password)."""
    password = network.create_app_password(account)
    return BlueskyConnector(
        AccountState(
            network="bluesky",
            remote_id=account.did,
            handle=f"@{account.handle}",
            base_url=network.pds_url,
            credentials={"identifier": account.handle, "app_password": password},
        )
    )


def test_a_reply_reaches_the_accounts_conversations(bluesky_appview: LocalPds) -> None:
    alice, bob = _account(bluesky_appview, "alice"), _account(bluesky_appview, "bob")
    root = bluesky_appview.create_post(alice, "Σεμινάριο Social Media στην Αθήνα")
    bluesky_appview.process_all()
    reply = bluesky_appview.create_post(bob, "Θα είμαστε εκεί!", reply_to=root)
    bluesky_appview.process_all()

    found = _connector(bluesky_appview, alice).fetch_conversations(None)

    assert [(c.remote_id, c.kind, c.text, c.author_handle, c.in_reply_to) for c in found] == [
        (reply["uri"], "reply", "Θα είμαστε εκεί!", f"@{bob.handle}", root["uri"])
    ]
