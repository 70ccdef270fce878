from __future__ import annotations

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.links.domain.links import LinkData, tracked_link_create
from tests.api.cases import World, case, world_builder

V1 = "/api/v1"


def S(w: World) -> str:
    return f"{V1}/workspaces/{w.ws}/seminars/{w.seminar.pk}"


def L(w: World) -> str:
    return f"{V1}/workspaces/{w.ws}/links/{w.objects['link'].pk}"


@world_builder
def _links(world: World) -> None:
    access = workspace_access(world.owner, world.workspace, Perm.LINKS_EDIT)
    world.objects["link"] = tracked_link_create(
        access=access, seminar=world.seminar, data=LinkData(network="bluesky", label="Bluesky")
    )


case("links_list", "get", lambda w: f"{S(w)}/links")
case("links_create", "post", lambda w: f"{S(w)}/links", lambda w: {"network": "x"})
case("links_get", "get", L)
case("links_update", "patch", L, lambda w: {"label": "Αφίσα στη βιβλιοθήκη"})
case("links_delete", "delete", L)
# SVG: the role matrix reads every answer as text.
case("links_qr", "get", lambda w: f"{L(w)}/qr?format=svg")
case("links_clicks", "get", lambda w: f"{L(w)}/clicks")
case("funnel_get", "get", lambda w: f"{S(w)}/funnel?touch=first")
