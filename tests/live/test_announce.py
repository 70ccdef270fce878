"""“We are live”: one post per connected account, with the stream's tracked link, through the
composer, approval and the publishing pipeline — exactly once, however often it is clicked.

The composer offers only real networks (the test network is never offered, decision 0410),
so the accounts here are two Mastodon accounts on the mastodon_mock server: the real
Mastodon connector posts to a real HTTP peer (decision 0801)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from keryx.accounts.access import workspace_access
from keryx.content.domain.review import post_approve
from keryx.content.enums import PostStatus
from keryx.content.models import Post, Variant
from keryx.core.errors import Forbidden, ValidationFailed
from keryx.live.domain.announce import room_announce_live
from keryx.networks.models import NetworkAccount
from keryx.publishing.domain.pipeline import variant_publish_due
from tests.support.mastodon import MOCK_OTHER_USER, MOCK_USER, MockAccount, run_mastodon_mock

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def mastodon() -> Iterator[str]:
    with run_mastodon_mock() as base_url:
        yield base_url


def _connect(workspace: Any, base_url: str, who: MockAccount) -> NetworkAccount:
    me = httpx.get(
        f"{base_url}/api/v1/accounts/verify_credentials",
        headers={"Authorization": f"Bearer {who.access_token}"},
        timeout=30,
    ).json()
    return NetworkAccount.objects.create(
        workspace=workspace,
        network="mastodon",
        name=who.display_name,
        handle=f"@{who.username}",
        remote_id=str(me["id"]),
        base_url=base_url,
        credentials={"access_token": who.access_token},
    )


def _statuses(base_url: str, who: MockAccount, account_id: str) -> list[dict[str, Any]]:
    return list(
        httpx.get(
            f"{base_url}/api/v1/accounts/{account_id}/statuses",
            params={"limit": 40},
            headers={"Authorization": f"Bearer {who.access_token}"},
            timeout=30,
        ).json()
    )


def test_we_are_live_reaches_each_connected_account_once(  # type: ignore[no-untyped-def]
    room, access, owner_client, mastodon, settings, member
) -> None:
    settings.KERYX_ALLOW_PRIVATE_URLS = True
    settings.KERYX_BASE_URL = "https://keryx.example.org"
    room.stream_url = "https://www.youtube.com/watch?v=keryx-live"
    room.save()
    accounts = [_connect(access.workspace, mastodon, who) for who in (MOCK_USER, MOCK_OTHER_USER)]
    before = {
        a.pk: len(_statuses(mastodon, w, a.remote_id))
        for a, w in zip(accounts, (MOCK_USER, MOCK_OTHER_USER), strict=True)
    }
    post = room_announce_live(access=access, room=room)
    assert post.status == PostStatus.IN_REVIEW  # nobody approves their own post
    assert room_announce_live(access=access, room=room).pk == post.pk  # a second click
    manager = workspace_access(member("manager"), access.workspace)
    post_approve(access=manager, post=post)
    again = owner_client.post(f"/w/{access.workspace.slug}/live/{room.pk}/announce")
    assert again.status_code == 302  # the click after approval shares it now
    assert room_announce_live(access=access, room=room).pk == post.pk
    assert Post.objects.count() == 1
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED
    for variant in Variant.objects.filter(post=post):
        variant_publish_due(variant_id=variant.pk, worker="test")  # a repeated delivery
        variant_publish_due(variant_id=variant.pk, worker="test")
    for account, who in zip(accounts, (MOCK_USER, MOCK_OTHER_USER), strict=True):
        statuses = _statuses(mastodon, who, account.remote_id)
        new = statuses[: len(statuses) - before[account.pk]]
        assert len(new) == 1, [s["content"] for s in new]
        assert "keryx.example.org/r/" in new[0]["content"]
        assert "youtube.com" not in new[0]["content"]
        assert "Είμαστε live τώρα" in new[0]["content"]


def test_we_are_live_needs_a_stream_an_account_and_an_editor(room, access, member) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed):
        room_announce_live(access=access, room=room)
    room.stream_url = "https://vimeo.com/event/1"
    room.save()
    with pytest.raises(ValidationFailed):
        room_announce_live(access=access, room=room)  # no account connected
    moderator = workspace_access(member("moderator"), access.workspace)
    with pytest.raises(Forbidden):
        room_announce_live(access=moderator, room=room)


def test_we_are_live_reaches_the_test_network_once_per_connected_account(  # type: ignore[no-untyped-def]
    room, access, member, settings
) -> None:
    """Three accounts on Keryx's test network, the real pipeline, clicks and deliveries
    repeated: exactly one post per account, and a later click posts nothing more."""
    from tests.publishing.factories import make_account
    from tests.support.testnet import TestNet

    settings.KERYX_ENABLE_TEST_NETWORK = True
    settings.KERYX_ALLOW_PRIVATE_URLS = True
    settings.KERYX_BASE_URL = "https://keryx.example.org"
    room.stream_url = "https://vimeo.com/event/4242"
    room.save()
    with TestNet() as net:
        accounts = [
            make_account(access.workspace, base_url=net.url, name=name)
            for name in ("aula", "stoa", "agora")
        ]
        post = room_announce_live(access=access, room=room)
        manager = workspace_access(member("manager"), access.workspace)
        post_approve(access=manager, post=post)
        assert room_announce_live(access=access, room=room).pk == post.pk  # shares it now
        variants = list(Variant.objects.filter(post=post))
        assert sorted(v.account_id for v in variants) == sorted(a.pk for a in accounts)
        for variant in variants:
            variant_publish_due(variant_id=variant.pk, worker="test")
            variant_publish_due(variant_id=variant.pk, worker="test")  # a repeated delivery
        assert room_announce_live(access=access, room=room).pk == post.pk  # a second click
        for variant in variants:
            variant_publish_due(variant_id=variant.pk, worker="test")
        posts = [p for p in net.posts() if not p.get("deleted")]
        assert sorted(p["account"] for p in posts) == sorted(
            a.credentials["access_token"] for a in accounts
        )
        assert all("keryx.example.org/r/" in p["text"] for p in posts), posts
        assert Post.objects.count() == 1
