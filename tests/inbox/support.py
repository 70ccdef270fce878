"""Helpers for the inbox tests: accounts, items as the read layer stores them, and ingesting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from keryx.inbox.domain.ingest import inbox_ingest
from keryx.inbox.models import Conversation
from keryx.networks.base import Conversation as Item
from keryx.networks.domain.reading import store_items
from keryx.networks.models import NetworkAccount

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def make_account(workspace: Any, network: str = "facebook", **extra: Any) -> NetworkAccount:
    values = {
        "name": "Σεμινάρια Κέρυξ",
        "handle": "keryx",
        "remote_id": f"{network}-page-1",
        "credentials": {"access_token": "page-token"},
        **extra,
    }
    return NetworkAccount.objects.create(workspace=workspace, network=network, **values)


def item(
    remote_id: str,
    text: str,
    *,
    kind: str = "comment",
    minutes: float = 0,
    author: str = "Μαρία Π.",
    handle: str = "@maria",
    post: str = "post-1",
    in_reply_to: str = "",
) -> Item:
    return Item(
        remote_id=remote_id,
        kind=kind,
        text=text,
        author_name=author,
        author_handle=handle,
        created_at=T0 + dt.timedelta(minutes=minutes),
        post_remote_id=post,
        in_reply_to=in_reply_to,
    )


def ingest(account: NetworkAccount, *items: Item) -> list[Conversation]:
    store_items(account, list(items))
    inbox_ingest()
    return list(Conversation.objects.filter(account=account).order_by("first_message_at", "pk"))
