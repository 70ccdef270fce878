"""Per-network publishing limits, declared as data.

Layers, later wins: the network's spec (``keryx.networks.<key>.spec.SPEC.limits`` with each
figure's source, and its capabilities' ``idempotency`` and ``idempotency_window``), then the
``KERYX_PUBLISH_LIMITS`` setting (an operator's override). See
docs/decisions/0401-network-limits.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings

from keryx.networks.registry import find_spec, network_name


@dataclass(frozen=True)
class PublishLimits:
    # How many publishes to this network may run at the same moment (all accounts together);
    # None: no cap.
    concurrency: int | None = 8
    # How many posts one account may publish per ``quota_window``; None: no quota.
    quota: int | None = None
    quota_window: dt.timedelta = dt.timedelta(hours=24)
    # Whether the network de-duplicates a write by an idempotency key, and for how long.
    idempotency: bool = False
    idempotency_window: dt.timedelta = dt.timedelta(hours=0)


def _from_mapping(values: dict[str, Any], base: PublishLimits) -> PublishLimits:
    fields: dict[str, Any] = {
        "concurrency": base.concurrency,
        "quota": base.quota,
        "quota_window": base.quota_window,
        "idempotency": base.idempotency,
        "idempotency_window": base.idempotency_window,
    }
    if "concurrency" in values:
        fields["concurrency"] = values["concurrency"]
    if "quota" in values:
        fields["quota"] = values["quota"]
    if "quota_window_hours" in values:
        fields["quota_window"] = dt.timedelta(hours=float(values["quota_window_hours"]))
    if "idempotency" in values:
        fields["idempotency"] = bool(values["idempotency"])
    if "idempotency_window_hours" in values:
        fields["idempotency_window"] = dt.timedelta(hours=float(values["idempotency_window_hours"]))
    return PublishLimits(**fields)


@lru_cache(maxsize=64)
def _declared_by_network(network: str) -> dict[str, Any]:
    """What the network's spec declares (code, so read once per process)."""
    declared = find_spec(network)
    if declared is None:
        return {}
    capabilities = declared.capabilities
    found: dict[str, Any] = {
        "concurrency": declared.limits.concurrency,
        "quota": declared.limits.quota,
        "quota_window_hours": declared.limits.quota_window_hours,
        "idempotency": capabilities.idempotency,
    }
    if capabilities.idempotency and capabilities.idempotency_window:
        found["idempotency_window_hours"] = capabilities.idempotency_window / 3600
    return found


def limits_for(network: str) -> PublishLimits:
    limits = _from_mapping(dict(_declared_by_network(network)), PublishLimits())
    override = settings.KERYX_PUBLISHING.get("LIMITS", {}).get(network)
    if isinstance(override, dict):
        limits = _from_mapping(override, limits)
    return limits


def network_label(network: str) -> str:
    """The network's name as people know it (from its spec)."""
    return network_name(network)
