"""Template context: the emergency pauses in force in the current workspace, so every page can
say that publishing is stopped (docs/decisions/0721)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from keryx.accounts.access import workspace_access
from keryx.core.errors import NotFound
from keryx.publishing import queries


def active_pauses(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("workspace") if match else None
    if user is None or not user.is_authenticated or not slug:
        return {}
    try:
        access = workspace_access(user, slug)
    except NotFound:
        return {}
    return {
        "paused_now": list(queries.pauses_in(access, active=True)),
        "paused_workspace": access.workspace.slug,
    }
