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


def test_comments_are_the_whole_thread_below_a_post(bluesky_appview: LocalPds) -> None:
    net = bluesky_appview
    alice, bob, carol = (_account(net, n) for n in ("alice", "bob", "carol"))
    root = net.create_post(alice, "Πρόγραμμα του σεμιναρίου")
    net.process_all()
    first = net.create_post(bob, "Πού ακριβώς;", reply_to=root)
    net.process_all()
    second = net.create_post(carol, "Στην Τεχνόπολη!", reply_to=first)
    net.process_all()

    page = _connector(net, alice).fetch_comments(root["uri"])

    assert page.last
    assert [(c.remote_id, c.kind, c.text, c.in_reply_to, c.post_remote_id) for c in page.items] == [
        (first["uri"], "comment", "Πού ακριβώς;", root["uri"], root["uri"]),
        (second["uri"], "comment", "Στην Τεχνόπολη!", first["uri"], root["uri"]),
    ]
    assert page.items[1].author_handle == f"@{carol.handle}"


def test_mentions_replies_and_quotes_page_by_page_with_a_cursor(
    bluesky_appview: LocalPds, monkeypatch: pytest.MonkeyPatch
) -> None:
    from keryx.networks.bluesky import connector as module

    net = bluesky_appview
    alice, bob = _account(net, "alice"), _account(net, "bob")
    root = net.create_post(alice, "Νέα ημερομηνία")
    net.process_all()
    reply = net.create_post(bob, "Τέλεια", reply_to=root)
    mention = net.create_post(bob, f"Δείτε @{alice.handle}", mention=alice)
    quote = net.create_record(
        bob,
        "app.bsky.feed.post",
        {
            "text": "Αξίζει",
            "embed": {
                "$type": "app.bsky.embed.record",
                "record": {"uri": root["uri"], "cid": root["cid"]},
            },
        },
    )
    net.like(bob, root)  # a like is no conversation
    net.process_all()
    monkeypatch.setattr(module, "PAGE_SIZE", 2)
    connector = _connector(net, alice)

    seen, cursor, pages = [], "", 0
    while True:
        page = connector.fetch_mentions(cursor)
        pages += 1
        seen += [(c.remote_id, c.kind) for c in page.items]
        if page.last:
            break
        cursor = page.cursor

    assert pages >= 2
    assert sorted(seen) == sorted(
        [(reply["uri"], "reply"), (mention["uri"], "mention"), (quote["uri"], "mention")]
    )


def test_counts_come_from_get_posts_and_unknown_numbers_stay_empty(
    bluesky_appview: LocalPds,
) -> None:
    net = bluesky_appview
    alice, bob, carol = (_account(net, n) for n in ("alice", "bob", "carol"))
    post = net.create_post(alice, "Μετράμε")
    net.process_all()
    net.like(bob, post)
    net.like(carol, post)
    net.repost(bob, post)
    net.create_post(carol, "Ναι!", reply_to=post)
    net.process_all()

    metrics = _connector(net, alice).fetch_metrics([post["uri"]])[post["uri"]]

    assert (metrics.likes, metrics.shares, metrics.comments) == (2, 1, 1)
    assert (metrics.impressions, metrics.reach, metrics.clicks, metrics.video_views) == (
        None,
        None,
        None,
        None,
    )
    assert metrics.raw["quoteCount"] == 0


def test_search_finds_posts_by_words(bluesky_appview: LocalPds) -> None:
    net = bluesky_appview
    alice, bob = _account(net, "alice"), _account(net, "bob")
    word = f"kx{uuid.uuid4().hex[:8]}"
    made = net.create_post(bob, f"Σεμινάριο {word} στην Αθήνα")
    net.create_post(bob, "Άσχετο")
    net.process_all()

    page = _connector(net, alice).search(word)

    assert [(c.remote_id, c.kind, c.author_handle) for c in page.items] == [
        (made["uri"], "search", f"@{bob.handle}")
    ]


def test_reply_hide_and_delete_on_the_network(bluesky_appview: LocalPds) -> None:
    import httpx

    from keryx.networks.base import Rejected

    net = bluesky_appview
    alice, bob = _account(net, "alice"), _account(net, "bob")
    root = net.create_post(alice, "Ερωτήσεις;")
    net.process_all()
    question = net.create_post(bob, "Θα υπάρχει βίντεο;", reply_to=root)
    spam = net.create_post(bob, "Κερδίστε τώρα", reply_to=root)
    net.process_all()
    connector = _connector(net, alice)

    answer = connector.reply(question["uri"], "Ναι, την επόμενη μέρα.")
    connector.hide(spam["uri"])
    connector.hide(spam["uri"])  # twice is once
    with pytest.raises(Rejected):
        connector.delete_comment(question["uri"])  # bob's: only hidden, never deleted
    net.process_all()

    comments = {c.remote_id: c for c in connector.fetch_comments(root["uri"]).items}
    assert comments[answer.remote_id].in_reply_to == question["uri"]
    assert comments[answer.remote_id].raw["record"]["reply"]["root"]["uri"] == root["uri"]
    gate = httpx.get(
        net.xrpc_url("com.atproto.repo.getRecord"),
        params={
            "repo": alice.did,
            "collection": "app.bsky.feed.threadgate",
            "rkey": root["uri"].rsplit("/", 1)[-1],
        },
        timeout=30,
    ).json()["value"]
    assert gate["hiddenReplies"] == [spam["uri"]]
    assert "allow" not in gate  # everyone may still reply
    thread = connector._client().get_post_thread(root["uri"])
    assert thread["post"]["threadgate"]["record"]["hiddenReplies"] == [spam["uri"]]

    connector.hide(spam["uri"], hidden=False)
    connector.delete_comment(answer.remote_id)
    net.process_all()
    remaining = [c.remote_id for c in connector.fetch_comments(root["uri"]).items]
    assert answer.remote_id not in remaining
    assert question["uri"] in remaining


@pytest.mark.django_db
def test_the_mentions_sweep_stores_a_reply_from_the_network_once(
    bluesky_appview: LocalPds, workspace: object
) -> None:
    """What the inbox builds on: Keryx's sweep (``sync_read``) reads the connected account's
    notifications from the network and stores each reply once, however often it runs."""
    from keryx.networks.domain.reading import sync_read
    from keryx.networks.models import NetworkAccount, RemoteItem

    net = bluesky_appview
    alice, bob = _account(net, "alice"), _account(net, "bob")
    account = NetworkAccount.objects.create(
        workspace=workspace,
        network="bluesky",
        name="Alice",
        handle=f"@{alice.handle}",
        remote_id=alice.did,
        base_url=net.pds_url,
        credentials={"identifier": alice.handle, "app_password": net.create_app_password(alice)},
    )
    root = net.create_post(alice, "Ανακοίνωση")
    net.process_all()
    reply = net.create_post(bob, "Πότε ανοίγουν οι εγγραφές;", reply_to=root)
    net.process_all()

    assert sync_read(account, "mentions") == 1
    assert sync_read(account, "mentions") == 0  # the next sweep stores nothing twice

    (item,) = RemoteItem.objects.filter(account=account)
    assert (item.remote_id, item.kind, item.text, item.author_handle, item.post_remote_id) == (
        reply["uri"],
        "reply",
        "Πότε ανοίγουν οι εγγραφές;",
        f"@{bob.handle}",
        root["uri"],
    )
