"""Each endpoint declares the permission it needs; the role × endpoint test and docs/roles.md
read the declaration from the OpenAPI document (``x-keryx-permission``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from keryx.accounts.access import Access, workspace_access
from keryx.accounts.roles import Perm
from keryx.api.auth import api_user

PERMISSION_KEY = "x-keryx-permission"
ANY_USER = "authenticated"


def needs(perm: Perm | str) -> dict[str, Any]:
    """``openapi_extra`` for an endpoint that needs ``perm`` in the path's workspace."""
    return {PERMISSION_KEY: str(perm)}


def access_for(request: HttpRequest, workspace: str, perm: Perm) -> Access:
    return workspace_access(api_user(request), workspace, perm)
