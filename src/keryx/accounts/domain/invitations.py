"""Telling a new teammate they were added, with a link to choose a password."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from keryx.accounts.models import Membership


def invitation_send(*, membership: Membership, new_user: bool, invited_by: str) -> None:
    user = membership.user
    language = user.language or membership.workspace.default_language
    with translation.override(language):
        if new_user:
            key = default_token_generator.make_token(user)
            path = reverse(
                "account_reset_password_from_key",
                kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
            )
        else:
            path = reverse("account_login")
        context = {
            "membership": membership,
            "workspace": membership.workspace,
            "invited_by": invited_by,
            "new_user": new_user,
            "link": f"{settings.KERYX_BASE_URL}{path}",
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])
