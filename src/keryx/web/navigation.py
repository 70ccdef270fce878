"""The areas of the product, in the order the navigation shows them.

An area that is not built yet points at the ``web:area`` page, which says so plainly; when an
app builds its area it points the entry at its own view.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Area:
    key: str
    label: str | Promise
    url_name: str  # takes the workspace slug as ``workspace``
    description: str | Promise
    built: bool = True


AREAS: tuple[Area, ...] = (
    Area(
        "home",
        _("Home"),
        "web:dashboard",
        _(
            "What is scheduled today and this week, what waits for your approval, what failed, the next seminar against its target."
        ),
    ),
    Area(
        "plan",
        _("Plan"),
        "seminars:list",
        _("Seminars, audience personas, KPI targets, agenda and speakers."),
    ),
    Area(
        "compose",
        _("Compose"),
        "content:home",
        _(
            "Write a post once, adapt it to every network, check it against each network's rules, and send it for approval."
        ),
    ),
    Area(
        "calendar",
        _("Calendar"),
        "publishing:calendar",
        _(
            "The content calendar, posting time slots, the publishing queue and the emergency pause."
        ),
    ),
    Area(
        "inbox",
        _("Inbox"),
        "inbox:list",
        _(
            "Comments, mentions and messages from every network in one place, with sentiment and crisis alerts."
        ),
    ),
    Area(
        "listening",
        _("Listening"),
        "insights:trending",
        _(
            "Trending hashtags and words, the mood of what people write, topics to post about, and crisis alerts."
        ),
    ),
    Area(
        "live",
        _("Live"),
        "live:home",
        _(
            "Q&A with upvotes and moderation, live polls, word clouds, the stream and the social wall."
        ),
    ),
    Area(
        "registrations",
        _("Registrations"),
        "registrations:overview",
        _(
            "The public seminar page, registrations with consent, tickets, check-in and tracked links."
        ),
    ),
    Area(
        "surveys",
        _("Surveys"),
        "surveys:list",
        _("Audience and feedback surveys, ratings and NPS."),
    ),
    Area(
        "community",
        _("Community"),
        "community:list",
        _(
            "The attendees' space after the seminar: materials, the questions from the room, announcements, discussions and follow-up posts."
        ),
    ),
    Area(
        "analytics",
        _("Analytics"),
        "analytics:home",
        _(
            "Participants, engagement, clicks, ad spend and cost per registrant against your KPI targets."
        ),
    ),
    Area(
        "settings",
        _("Settings"),
        "web:settings",
        _("Workspace, team and roles, audit log, API tokens."),
    ),
)

AREAS_BY_KEY = {area.key: area for area in AREAS}
