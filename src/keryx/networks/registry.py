"""The networks Keryx knows, found by their packages: ``keryx.networks.<key>.spec.SPEC``
(what the network is) and ``keryx.networks.<key>.connector.CONNECTOR`` (how to talk to it).

This is the one list of network keys: every other module asks :func:`network_keys`,
:func:`spec` or :func:`network_choices` instead of keeping its own copy.
"""

from __future__ import annotations

import pkgutil
from functools import cache
from importlib import import_module
from pathlib import Path

from keryx.networks.base import AccountState, Connector
from keryx.networks.spec import NetworkSpec

_PACKAGE = Path(__file__).resolve().parent


@cache
def _specs() -> tuple[NetworkSpec, ...]:
    found = []
    for module in pkgutil.iter_modules([str(_PACKAGE)]):
        if not module.ispkg or not (_PACKAGE / module.name / "spec.py").exists():
            continue
        declared: NetworkSpec = import_module(f"keryx.networks.{module.name}.spec").SPEC
        if declared.key != module.name:
            raise LookupError(f"keryx.networks.{module.name}.spec declares {declared.key!r}")
        found.append(declared)
    return tuple(sorted(found, key=lambda s: (s.order, s.key)))


def all_specs(*, listed: bool = True, social: bool | None = None) -> tuple[NetworkSpec, ...]:
    """The networks in the order the interface lists them; ``listed=False`` adds the test
    network; ``social=True`` keeps the public social networks (no webhook)."""
    return tuple(
        s for s in _specs() if (s.listed or not listed) and (social is None or s.social == social)
    )


def network_keys(*, listed: bool = True, social: bool | None = None) -> tuple[str, ...]:
    return tuple(s.key for s in all_specs(listed=listed, social=social))


def network_choices(*, social: bool | None = None) -> list[tuple[str, str]]:
    """``(key, name)`` for a form or a model field's choices."""
    return [(s.key, s.name) for s in all_specs(social=social)]  # type: ignore[misc]


def spec(key: str) -> NetworkSpec:
    """The spec of network ``key`` (LookupError for a key Keryx does not know)."""
    for found in _specs():
        if found.key == key:
            return found
    raise LookupError(f"Unknown network {key!r}")


def find_spec(key: str) -> NetworkSpec | None:
    try:
        return spec(key)
    except LookupError:
        return None


def network_name(key: str) -> str:
    """The network's name as people know it (``key`` itself when unknown)."""
    found = find_spec(key)
    return str(found.name) if found is not None else key


def connector_class(network: str) -> type[Connector]:
    if find_spec(network) is None:
        raise LookupError(f"No connector for {network!r}")
    try:
        module = import_module(f"keryx.networks.{network}.connector")
    except ModuleNotFoundError as exc:
        raise LookupError(f"No connector for {network!r}") from exc
    cls: type[Connector] = module.CONNECTOR
    return cls


def connector_for(account: AccountState) -> Connector:
    return connector_class(account.network)(account)


def available_connectors() -> list[type[Connector]]:
    found = []
    for key in network_keys():
        try:
            found.append(connector_class(key))
        except (LookupError, AttributeError):
            continue
    return found
