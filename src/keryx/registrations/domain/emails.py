"""E-mails to registrants, in the language they registered in, as plain text and HTML.

This module only composes them; ``delivery.py`` queues, sends, retries and reports them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from keryx.registrations.domain.artifacts import public_url, seminar_ics, ticket_png
from keryx.registrations.domain.settings import settings_of
from keryx.registrations.domain.tokens import confirm_token_make, manage_token_make
from keryx.registrations.models import Registration
from keryx.seminars.models import Seminar

KINDS = ("confirm", "reminder", "ticket", "waitlisted", "promoted", "cancelled")


def confirm_url(registration: Registration) -> str:
    token = confirm_token_make(registration.public_id)
    return f"{settings.KERYX_BASE_URL}/s/{registration.seminar.slug}/confirm/{token}/"


def manage_url(registration: Registration) -> str:
    token = manage_token_make(registration.public_id)
    return f"{settings.KERYX_BASE_URL}/s/{registration.seminar.slug}/me/{token}/"


def title_in(seminar: Seminar, language: str) -> str:
    if language != seminar.language:
        for item in seminar.translations.all():
            if item.language == language:
                return item.title
    return seminar.title


def when_text(seminar: Seminar) -> str:
    with timezone.override(seminar.tz):
        start = timezone.localtime(seminar.starts_at)
        end = timezone.localtime(seminar.ends_at)
    same_day = start.date() == end.date()
    end_text = (
        formats.time_format(end, "TIME_FORMAT")
        if same_day
        else formats.date_format(end, "DATETIME_FORMAT")
    )
    return f"{formats.date_format(start, 'DATETIME_FORMAT')} – {end_text} ({seminar.time_zone})"


def where_text(seminar: Seminar) -> str:
    parts = [p for p in (seminar.venue_name, seminar.venue_address, seminar.venue_city) if p]
    text = ", ".join(parts)
    if seminar.is_online:
        text = f"{text} · {_('online')}" if text else _("online")
    return text


@dataclass
class Message:
    subject: str
    paragraphs: list[str]
    action_url: str = ""
    action_label: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    attach_ticket: bool = False


def _compose(kind: str, registration: Registration, title: str) -> Message:
    from keryx.registrations.domain.registrations import waitlist_position

    seminar = registration.seminar
    hours = settings_of(seminar).confirm_within_hours
    manage = (_("View, change or cancel your registration"), manage_url(registration))
    place = registration.has_place
    position = waitlist_position(registration)
    status_line = (
        _("You have a place at “%(title)s”.") % {"title": title}
        if place
        else _(
            "“%(title)s” is full, so you are on the waiting list, in position %(n)s. "
            "We will e-mail you as soon as a place frees up."
        )
        % {"title": title, "n": position}
    )
    if kind == "confirm":
        return Message(
            subject=_("Confirm your registration: %(title)s") % {"title": title},
            paragraphs=[
                status_line,
                _(
                    "Please confirm your e-mail address within %(hours)s hours with the button below."
                )
                % {"hours": hours},
            ],
            action_url=confirm_url(registration),
            action_label=_("Confirm my registration"),
            links=[manage],
        )
    if kind == "reminder":
        paragraphs = [
            _("Someone (probably you) tried to register again with this e-mail address."),
            status_line,
        ]
        message = Message(
            subject=_("You are already registered: %(title)s") % {"title": title},
            paragraphs=paragraphs,
            links=[manage],
        )
        if registration.confirmed_at is None:
            paragraphs.append(_("You have not confirmed your e-mail address yet."))
            message.action_url = confirm_url(registration)
            message.action_label = _("Confirm my registration")
        return message
    if kind == "ticket":
        return Message(
            subject=_("Your ticket: %(title)s") % {"title": title},
            paragraphs=[
                _("Thank you for confirming. You have a place at “%(title)s”.") % {"title": title},
                _(
                    "Your ticket (the QR code) and a calendar entry are attached. Show the QR "
                    "code at the entrance, on your phone or printed."
                ),
            ],
            action_url=manage_url(registration),
            action_label=_("Show my ticket"),
            attach_ticket=True,
        )
    if kind == "waitlisted":
        return Message(
            subject=_("You are on the waiting list: %(title)s") % {"title": title},
            paragraphs=[_("Thank you for confirming your e-mail address."), status_line],
            links=[manage],
        )
    if kind == "promoted":
        paragraphs = [
            _("Good news: a place at “%(title)s” freed up and it is yours.") % {"title": title}
        ]
        if registration.confirmed_at is None:
            paragraphs.append(_("Please confirm your e-mail address to get your ticket."))
            return Message(
                subject=_("A place is yours: %(title)s") % {"title": title},
                paragraphs=paragraphs,
                action_url=confirm_url(registration),
                action_label=_("Confirm my registration"),
                links=[manage],
            )
        paragraphs.append(_("Your ticket (the QR code) and a calendar entry are attached."))
        return Message(
            subject=_("A place is yours: %(title)s") % {"title": title},
            paragraphs=paragraphs,
            action_url=manage_url(registration),
            action_label=_("Show my ticket"),
            attach_ticket=True,
        )
    if kind == "cancelled":
        return Message(
            subject=_("Registration cancelled: %(title)s") % {"title": title},
            paragraphs=[
                _(
                    "Your registration for “%(title)s” is cancelled. We hope to see you another time."
                )
                % {"title": title}
            ],
            links=[(_("The seminar's page"), public_url(seminar))],
        )
    raise ValueError(f"unknown e-mail kind {kind!r}")


def registration_email_message(
    *, registration: Registration, kind: str, message_id: str = ""
) -> EmailMultiAlternatives:
    """Compose one e-mail of ``kind`` in the registrant's language (sending is delivery.py's)."""
    seminar = registration.seminar
    with translation.override(registration.language or seminar.language):
        title = title_in(seminar, registration.language)
        message = _compose(kind, registration, title)
        context = {
            "message": message,
            "registration": registration,
            "seminar": seminar,
            "title": title,
            "when": when_text(seminar),
            "where": where_text(seminar),
            "page_url": public_url(seminar),
            "year": dt.date.today().year,
        }
        text = render_to_string("registrations/email/message.txt", context)
        html = render_to_string("registrations/email/message.html", context)
    headers = {"Message-ID": message_id} if message_id else None
    mail = EmailMultiAlternatives(
        message.subject, text, None, [registration.email], headers=headers
    )
    mail.attach_alternative(html, "text/html")
    if message.attach_ticket:
        mail.attach("ticket.png", ticket_png(registration), "image/png")
        mail.attach("seminar.ics", seminar_ics(seminar, title=title), "text/calendar")
    return mail
