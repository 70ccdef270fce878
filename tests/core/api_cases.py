from __future__ import annotations

from keryx.core.models import QueueProbe
from tests.api.cases import World, case, world_builder

V1 = "/api/v1"


@world_builder
def _probe(world: World) -> None:
    world.objects["probe"] = QueueProbe.objects.create(requested_by=world.owner)


case("queue_probe_create", "post", lambda w: f"{V1}/system/queue-probes")
case("queue_probe_get", "get", lambda w: f"{V1}/system/queue-probes/{w.objects['probe'].pk}")
