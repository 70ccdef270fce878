from __future__ import annotations

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.surveys.domain.builder import survey_create
from tests.api.cases import World, case, world_builder

V1 = "/api/v1"


@world_builder
def _surveys(world: World) -> None:
    access = workspace_access(world.owner, world.workspace, Perm.SURVEYS_EDIT)
    world.objects["survey"] = survey_create(access=access, seminar=world.seminar, kind="feedback")


case("surveys_list", "get", lambda w: f"{V1}/workspaces/{w.ws}/surveys")
case(
    "surveys_results",
    "get",
    lambda w: f"{V1}/workspaces/{w.ws}/surveys/{w.objects['survey'].pk}/results",
)
