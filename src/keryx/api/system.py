"""API: system checks (a round trip through the task queue). Lives in the API app so that
core imports no other app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from keryx.api.auth import api_user
from keryx.api.permissions import needs
from keryx.core.domain.probe import probe_get, probe_request

router = Router(tags=["system"])


class ProbeOut(Schema):
    id: int
    requested_at: dt.datetime
    requested_from: str
    executed_at: dt.datetime | None
    executed_by: str


@router.post(
    "/system/queue-probes",
    response={202: ProbeOut},
    operation_id="queue_probe_create",
    openapi_extra=needs("operator"),
)
def queue_probe_create(request: HttpRequest) -> Any:
    return Status(202, probe_request(user=api_user(request)))


@router.get(
    "/system/queue-probes/{probe_id}",
    response=ProbeOut,
    operation_id="queue_probe_get",
    openapi_extra=needs("operator"),
)
def queue_probe_get(request: HttpRequest, probe_id: int) -> Any:
    return probe_get(user=api_user(request), probe_id=probe_id)
