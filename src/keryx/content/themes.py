"""The themes of the seminar playbook, each with the structure a post of that theme follows."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from keryx.content.enums import CampaignPhase, Theme


@dataclass(frozen=True)
class ThemeGuide:
    key: str
    label: str | Promise
    purpose: str | Promise
    structure: tuple[str | Promise, ...]
    phases: tuple[str, ...]


GUIDES: dict[str, ThemeGuide] = {
    g.key: g
    for g in (
        ThemeGuide(
            Theme.PERSONAL_STORY,
            Theme.PERSONAL_STORY.label,
            _("A person from the organisation or audience tells why the topic matters to them."),
            (
                _("Hook: one concrete moment, in the first line"),
                _("What changed for them, in two or three sentences"),
                _("The link to the seminar's topic"),
                _("Invitation with the registration link"),
            ),
            (CampaignPhase.ANNOUNCEMENT, CampaignPhase.EARLY_BIRD),
        ),
        ThemeGuide(
            Theme.SUCCESS_STORY,
            Theme.SUCCESS_STORY.label,
            _("A past participant's result, with a number if there is one."),
            (
                _("The result first (a number or a quote)"),
                _("Who they are and where they started"),
                _("What they learned at the seminar"),
                _("Call to action: “be next”"),
            ),
            (CampaignPhase.ANNOUNCEMENT, CampaignPhase.EARLY_BIRD, CampaignPhase.COUNTDOWN),
        ),
        ThemeGuide(
            Theme.PRACTICAL_TIP,
            Theme.PRACTICAL_TIP.label,
            _("One useful tip from the seminar's material, usable today."),
            (
                _("The problem in one line"),
                _("The tip, in steps or a short list"),
                _("Where to learn more: the seminar"),
            ),
            (CampaignPhase.ANNOUNCEMENT, CampaignPhase.SPEAKERS, CampaignPhase.COUNTDOWN),
        ),
        ThemeGuide(
            Theme.SPEAKER_SPOTLIGHT,
            Theme.SPEAKER_SPOTLIGHT.label,
            _("Introduce one speaker and what they will talk about."),
            (
                _("Name, role and organisation, with their handle"),
                _("One line on why to listen to them"),
                _("Their session: title and time"),
                _("Registration link"),
            ),
            (CampaignPhase.SPEAKERS,),
        ),
        ThemeGuide(
            Theme.AGENDA_HIGHLIGHT,
            Theme.AGENDA_HIGHLIGHT.label,
            _("One session of the agenda and what participants take home from it."),
            (
                _("The session and its time"),
                _("Three things participants will learn"),
                _("Registration link"),
            ),
            (CampaignPhase.SPEAKERS, CampaignPhase.COUNTDOWN),
        ),
        ThemeGuide(
            Theme.COUNTDOWN,
            Theme.COUNTDOWN.label,
            _("Days left, places left, and one reason to register now."),
            (
                _("How many days (and places) are left"),
                _("One reason not to miss it"),
                _("Registration link"),
            ),
            (CampaignPhase.COUNTDOWN, CampaignPhase.EARLY_BIRD),
        ),
        ThemeGuide(
            Theme.BEHIND_THE_SCENES,
            Theme.BEHIND_THE_SCENES.label,
            _("The preparation: the team, the venue, the material."),
            (
                _("A photo or short video from the preparation"),
                _("Who is in it and what they are doing"),
                _("See you on the day"),
            ),
            (CampaignPhase.COUNTDOWN, CampaignPhase.LIVE),
        ),
        ThemeGuide(
            Theme.LIVE_UPDATE,
            Theme.LIVE_UPDATE.label,
            _("What is happening right now at the seminar."),
            (
                _("What is happening, with a photo"),
                _("A quote from the speaker"),
                _("The official hashtag and the stream link"),
            ),
            (CampaignPhase.LIVE,),
        ),
        ThemeGuide(
            Theme.THANK_YOU,
            Theme.THANK_YOU.label,
            _("Thank participants, speakers and partners."),
            (
                _("Thank you, with a group photo"),
                _("One number (participants, questions, ratings)"),
                _("Tag speakers and partners"),
                _("What comes next (survey, community, next seminar)"),
            ),
            (CampaignPhase.THANK_YOU,),
        ),
        ThemeGuide(
            Theme.RECORDING_AVAILABLE,
            Theme.RECORDING_AVAILABLE.label,
            _("The recording or slides are online."),
            (
                _("What is available and where"),
                _("The most useful moment, with its time stamp"),
                _("Link to the recording"),
            ),
            (CampaignPhase.THANK_YOU,),
        ),
    )
}
