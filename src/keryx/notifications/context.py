from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from keryx.notifications.domain.notify import unread_for


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_for(user).count()}
