"""Finds a network's connector: ``keryx.networks.<key>.connector.CONNECTOR``."""

from __future__ import annotations

from importlib import import_module

from keryx.networks.base import AccountState, Connector


def connector_class(network: str) -> type[Connector]:
    if not network.isidentifier():
        raise LookupError(f"Unknown network: {network!r}")
    try:
        module = import_module(f"keryx.networks.{network}.connector")
    except ModuleNotFoundError as exc:
        raise LookupError(f"No connector for {network!r}") from exc
    cls: type[Connector] = module.CONNECTOR
    return cls


def connector_for(account: AccountState) -> Connector:
    return connector_class(account.network)(account)


# Every network Keryx has a connector for (the accounts page lists them in this order).
KNOWN_NETWORKS = (
    "facebook",
    "instagram",
    "linkedin",
    "x",
    "threads",
    "mastodon",
    "bluesky",
    "webhook",
)


def available_connectors() -> list[type[Connector]]:
    found = []
    for key in KNOWN_NETWORKS:
        try:
            found.append(connector_class(key))
        except (LookupError, AttributeError):
            continue
    return found
