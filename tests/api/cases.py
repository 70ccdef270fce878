"""One request per API operation, for the role × endpoint test.

Every operation in the OpenAPI document needs a case here (the test fails otherwise). A case
builds, from a prepared world, the request a user *allowed* to do it would send successfully;
the test then sends it as every role and as an outsider.
Apps register their cases in ``tests/<app>/api_cases.py`` with :func:`case`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from keryx.accounts.models import User, Workspace
from keryx.seminars.models import Seminar


@dataclass
class World:
    """A workspace with one of everything, and a second workspace with its own data."""

    workspace: Workspace
    owner: User
    seminar: Seminar
    objects: dict[str, Any] = field(default_factory=dict)
    other_workspace: Workspace | None = None
    other_seminar: Seminar | None = None

    @property
    def ws(self) -> str:
        return self.workspace.slug


@dataclass(frozen=True)
class Case:
    method: str
    path: Callable[[World], str]
    body: Callable[[World], dict[str, Any] | None] = lambda world: None
    # Whether the request leaves the world unusable for a second try in the same test.
    destructive: bool = False


CASES: dict[str, Case] = {}
# Extra setup run once per world, registered by apps (e.g. to create a post to approve).
WORLD_BUILDERS: list[Callable[[World], None]] = []


def case(
    operation_id: str,
    method: str,
    path: Callable[[World], str],
    body: Callable[[World], Any] | None = None,
) -> None:
    if operation_id in CASES:
        raise ValueError(f"two cases for {operation_id}")
    CASES[operation_id] = Case(method=method, path=path, body=body or (lambda world: None))


def world_builder(func: Callable[[World], None]) -> Callable[[World], None]:
    WORLD_BUILDERS.append(func)
    return func
