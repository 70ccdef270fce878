"""Template context: the navigation of the current workspace."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from keryx.accounts.access import memberships_of
from keryx.web.navigation import AREAS


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = request.resolver_match
    current = (match.kwargs.get("workspace") if match else None) or ""
    memberships = list(memberships_of(user))
    if current not in {m.workspace.slug for m in memberships}:
        current = ""  # a 404 page for someone else's (or no) workspace: no menu of it
    if not current and len(memberships) == 1:
        current = memberships[0].workspace.slug
    active_area = getattr(request, "keryx_area", "") or (
        match.kwargs.get("area", "") if match else ""
    )
    items = []
    if current:
        for area in AREAS:
            kwargs = (
                {"workspace": current, "area": area.key}
                if area.url_name == "web:area"
                else {"workspace": current}
            )
            items.append(
                {
                    "key": area.key,
                    "label": area.label,
                    "url": reverse(area.url_name, kwargs=kwargs),
                    "built": area.built,
                    "active": area.key == active_area,
                }
            )
    return {
        "nav_items": items,
        "nav_workspace": current,
        "nav_memberships": memberships,
    }
