"""The room's event stream on the ASGI front: ``GET /j/<code>/events`` (public, like the room)."""

from __future__ import annotations

import asyncio
from collections.abc import MutableMapping, Sequence
from typing import Any

_ROOM_IDS: dict[str, int] = {}


def _room_id(code: str) -> int | None:
    from django.db import close_old_connections

    from keryx.live.models import Room

    close_old_connections()
    return Room.objects.filter(code=code).values_list("pk", flat=True).first()


async def resolve_room_stream(rest: str, scope: MutableMapping[str, Any]) -> Sequence[str] | None:
    code, _, tail = rest.partition("/")
    if tail != "events" or not code or len(code) > 12:
        return None
    code = code.upper()
    room_id = _ROOM_IDS.get(code)
    if room_id is None:
        room_id = await asyncio.to_thread(_room_id, code)
        if room_id is None:
            return None
        if len(_ROOM_IDS) > 10_000:
            _ROOM_IDS.clear()
        _ROOM_IDS[code] = room_id
    return [f"live.room.{room_id}"]
