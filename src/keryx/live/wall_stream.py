"""The wall's event stream on the ASGI front: ``GET /wall/<display key>/events`` (the key is
the standalone display's secret address; the presenter screen knows it)."""

from __future__ import annotations

import asyncio
from collections.abc import MutableMapping, Sequence
from typing import Any


def _wall_id(key: str) -> int | None:
    from django.db import close_old_connections

    from keryx.live.models import Wall

    close_old_connections()
    return Wall.objects.filter(display_key=key).values_list("pk", flat=True).first()


async def resolve_wall_stream(rest: str, scope: MutableMapping[str, Any]) -> Sequence[str] | None:
    key, _, tail = rest.partition("/")
    if tail != "events" or not key or len(key) > 40:
        return None
    wall_id = await asyncio.to_thread(_wall_id, key)
    return None if wall_id is None else [f"live.wall.{wall_id}"]
