"""The inbox's API operations for the role × endpoint test."""

from __future__ import annotations

from keryx.inbox.domain.ingest import inbox_ingest
from keryx.inbox.models import Conversation
from keryx.networks.domain.reading import store_items
from keryx.networks.models import NetworkAccount
from tests.api.cases import World, case, world_builder
from tests.inbox.support import item

V1 = "/api/v1"


def C(w: World) -> str:
    return f"{V1}/workspaces/{w.ws}/inbox/conversations"


def one(w: World) -> str:
    return f"{C(w)}/{w.objects['conversation'].pk}"


@world_builder
def _inbox(world: World) -> None:
    account = NetworkAccount.objects.create(
        workspace=world.workspace,
        network="mastodon",
        name="Κέρυξ",
        handle="keryx",
        remote_id="inbox-1",
        base_url="https://social.example",
    )
    store_items(account, [item("inbox-c1", "Θα υπάρχει μετάδοση;")])
    inbox_ingest()
    world.objects["conversation"] = Conversation.objects.get(account=account)


case("inbox_list", "get", lambda w: f"{C(w)}?sentiment=neutral")
case("inbox_get", "get", one)
case("inbox_assign", "post", lambda w: f"{one(w)}/assign", lambda w: {"assignee_id": w.owner.pk})
case("inbox_status", "post", lambda w: f"{one(w)}/status", lambda w: {"status": "done"})
case(
    "inbox_reply",
    "post",
    lambda w: f"{one(w)}/replies",
    lambda w: {"text": "Ναι, στο YouTube.", "key": "role-matrix"},
)
