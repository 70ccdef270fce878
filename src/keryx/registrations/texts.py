"""Fixed wording shown to registrants (translated), kept in one place."""

from __future__ import annotations

from django.utils.translation import gettext

from keryx.seminars.models import Seminar


def default_privacy_text(seminar: Seminar) -> str:
    """Used when the organisers wrote no notice of their own."""
    return gettext(
        "The organisers of “%(title)s” keep your name, e-mail address and answers only to run "
        "this seminar: your registration, ticket, reminders and check-in. You can view, change "
        "or cancel your registration at any time with the link in our e-mails."
    ) % {"title": seminar.title}


def marketing_text() -> str:
    return gettext("Send me news about future seminars of the same organisers.")
