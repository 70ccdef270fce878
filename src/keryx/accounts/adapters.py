"""allauth adapter: sign-up is closed unless KERYX_OPEN_SIGNUP is set (teams invite people)."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.KERYX_OPEN_SIGNUP)
