"""Per-network publishing limits, declared as data.

Layers, later wins: the table below (each figure with its source), the network's own
declarations (``rules.RULES.supports_idempotency_key``, the connector's
``capabilities.idempotency`` and ``idempotency_window``, and a ``PUBLISH_LIMITS`` dict in its
``rules.py`` when it has one), and the
``KERYX_PUBLISH_LIMITS`` setting (an operator's override). See
docs/decisions/0401-network-limits.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module
from typing import Any

from django.conf import settings

from keryx.networks.registry import connector_class


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


DECLARED: dict[str, dict[str, Any]] = {
    # developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/
    # media_publish: "can only publish 50 posts within a 24 hour moving period".
    "instagram": {"concurrency": 4, "quota": 50, "quota_window_hours": 24},
    # Threads API: 250 API-published posts per 24-hour moving period.
    "threads": {"concurrency": 4, "quota": 250, "quota_window_hours": 24},
    # Facebook Pages publish no fixed number for feed posts; Graph API rate limits apply.
    "facebook": {"concurrency": 4},
    # LinkedIn Posts API: 150 member posts a day (application limits are far higher).
    "linkedin": {"concurrency": 4, "quota": 150, "quota_window_hours": 24},
    # X API v2 POST /2/tweets: 100 per 24 h per user on the Basic tier.
    "x": {"concurrency": 4, "quota": 100, "quota_window_hours": 24},
    # Mastodon's default: 300 statuses per 3 hours per account; Idempotency-Key kept 1 hour.
    "mastodon": {
        "concurrency": 8,
        "quota": 300,
        "quota_window_hours": 3,
        "idempotency": True,
        "idempotency_window_hours": 1,
    },
    # Bluesky PDS: 5,000 points an hour, a created record costs 3: 1,666 posts an hour.
    "bluesky": {"concurrency": 8, "quota": 1666, "quota_window_hours": 1},
    "webhook": {"concurrency": 8},
}


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
    """What the network's package declares (code, so read once per process)."""
    if not network.isidentifier():
        return {}
    try:
        rules = import_module(f"keryx.networks.{network}.rules")
    except ModuleNotFoundError:
        rules = None
    found: dict[str, Any] = {}
    declared = getattr(rules, "RULES", None)
    if getattr(declared, "supports_idempotency_key", None) is not None:
        found["idempotency"] = bool(declared.supports_idempotency_key)  # type: ignore[union-attr]
    try:
        capabilities = connector_class(network).capabilities
    except LookupError:
        capabilities = None
    if capabilities is not None:
        found["idempotency"] = capabilities.idempotency
        if capabilities.idempotency and capabilities.idempotency_window:
            found["idempotency_window_hours"] = capabilities.idempotency_window / 3600
    value = getattr(rules, "PUBLISH_LIMITS", None)
    if isinstance(value, dict):
        found.update(value)
    return found


def limits_for(network: str) -> PublishLimits:
    limits = _from_mapping(DECLARED.get(network, {}), PublishLimits())
    limits = _from_mapping(dict(_declared_by_network(network)), limits)
    override = settings.KERYX_PUBLISHING.get("LIMITS", {}).get(network)
    if isinstance(override, dict):
        limits = _from_mapping(override, limits)
    return limits


def network_label(network: str) -> str:
    """The network's name as people know it (the test network has no entry in the choices)."""
    from django.utils.translation import gettext as _

    from keryx.networks.models import ACCOUNT_NETWORK_CHOICES

    if network == "testnet":
        return _("Test network")
    return str(dict(ACCOUNT_NETWORK_CHOICES).get(network, network))
