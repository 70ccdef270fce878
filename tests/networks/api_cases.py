from __future__ import annotations

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.networks.domain.accounts import account_connect_form
from tests.api.cases import World, case, world_builder

V1 = "/api/v1"
WEBHOOK = {
    "network": "webhook",
    "name": "Discord #ανακοινώσεις",
    "url": "https://discord.com/api/webhooks/1/abc",
    "style": "discord",
}


@world_builder
def _accounts(world: World) -> None:
    access = workspace_access(world.owner, world.workspace, Perm.NETWORKS_CONNECT)
    world.objects["network_account"] = account_connect_form(
        access=access,
        network="webhook",
        data={"name": "Slack", "url": "https://hooks.slack.com/services/T0/B0/x", "style": "slack"},
    )


def A(w: World) -> str:
    return f"{V1}/workspaces/{w.ws}/network-accounts"


case("network_accounts_list", "get", A)
case("network_accounts_get", "get", lambda w: f"{A(w)}/{w.objects['network_account'].pk}")
case("network_accounts_connect", "post", A, lambda w: WEBHOOK)
case("network_accounts_check", "post", lambda w: f"{A(w)}/{w.objects['network_account'].pk}/check")
case(
    "network_accounts_disconnect",
    "delete",
    lambda w: f"{A(w)}/{w.objects['network_account'].pk}",
)
