"""Remember the language chosen at the login page on the user's profile."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from keryx.accounts.models import User


@receiver(user_logged_in)
def _adopt_language(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    if not user.language:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen in dict(settings.LANGUAGES):
            user.language = chosen
            user.save(update_fields=["language"])
