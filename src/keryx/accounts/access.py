"""The access checks. Every view, API endpoint and query helper goes through these.

A user who is not a member of a workspace is told it does not exist (``NotFound``), so
workspaces cannot be discovered by guessing; a member whose role lacks a permission gets
``Forbidden``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from keryx.accounts.models import Membership, User, Workspace
from keryx.accounts.roles import Perm, Role, permissions_of, role_has
from keryx.core.errors import Forbidden, NotFound


@dataclass(frozen=True)
class Access:
    """What ``user`` may do in ``workspace``: the result of one membership lookup."""

    user: User
    workspace: Workspace
    role: Role

    def can(self, perm: Perm) -> bool:
        return role_has(self.role, perm)

    @property
    def perms(self) -> frozenset[str]:
        """The permission names this role has, for templates (``"seminar.edit" in access.perms``)."""
        return frozenset(str(p) for p in permissions_of(self.role))

    def require(self, perm: Perm) -> Access:
        if not self.can(perm):
            raise Forbidden()
        return self


def workspace_access(user: User, workspace: Workspace | str, perm: Perm | None = None) -> Access:
    """The user's access to a workspace (given as object or slug), checked against ``perm``."""
    if not user.is_authenticated or not user.is_active:
        raise NotFound()
    lookup: dict[str, Any] = (
        {"workspace": workspace}
        if isinstance(workspace, Workspace)
        else {"workspace__slug": workspace}
    )
    membership = Membership.objects.select_related("workspace").filter(user=user, **lookup).first()
    if membership is None:
        raise NotFound()
    access = Access(user=user, workspace=membership.workspace, role=Role(membership.role))
    if perm is not None:
        access.require(perm)
    return access


def workspaces_of(user: User) -> QuerySet[Workspace]:
    return Workspace.objects.filter(memberships__user=user).order_by("name")


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user).select_related("workspace").order_by("workspace__name")
    )
