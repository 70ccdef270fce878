from __future__ import annotations

from keryx.accounts.models import ApiToken, Membership
from keryx.accounts.roles import Role
from tests.api.cases import World, case, world_builder
from tests.factories import make_member

V1 = "/api/v1"


@world_builder
def _target_member(world: World) -> None:
    world.objects["target_member"] = Membership.objects.get(
        user=make_member(world.workspace, Role.VIEWER, email="target@example.org"),
        workspace=world.workspace,
    )


def _token_id(world: World) -> int:
    # Each user revokes their own token: the one the test client authenticates with.
    return (
        ApiToken.objects.filter(user=world.objects["acting_user"])
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )  # type: ignore[return-value]


case("me_get", "get", lambda w: f"{V1}/me")
case(
    "me_update",
    "patch",
    lambda w: f"{V1}/me",
    lambda w: {"full_name": "Νέο Όνομα", "language": "el"},
)
case("tokens_list", "get", lambda w: f"{V1}/me/tokens")
case("tokens_create", "post", lambda w: f"{V1}/me/tokens", lambda w: {"name": "script"})
case("tokens_revoke", "post", lambda w: f"{V1}/me/tokens/{_token_id(w)}/revoke")
case("workspaces_list", "get", lambda w: f"{V1}/workspaces")
case("workspaces_create", "post", lambda w: f"{V1}/workspaces", lambda w: {"name": "Νέος χώρος"})
case("workspaces_get", "get", lambda w: f"{V1}/workspaces/{w.ws}")
case(
    "workspaces_update",
    "patch",
    lambda w: f"{V1}/workspaces/{w.ws}",
    lambda w: {"name": "Μετονομασία"},
)
case("members_list", "get", lambda w: f"{V1}/workspaces/{w.ws}/members")
case(
    "members_add",
    "post",
    lambda w: f"{V1}/workspaces/{w.ws}/members",
    lambda w: {"email": "new@example.org", "role": "editor"},
)
case(
    "members_update",
    "patch",
    lambda w: f"{V1}/workspaces/{w.ws}/members/{w.objects['target_member'].pk}",
    lambda w: {"role": "analyst"},
)
case(
    "members_remove",
    "delete",
    lambda w: f"{V1}/workspaces/{w.ws}/members/{w.objects['target_member'].pk}",
)
