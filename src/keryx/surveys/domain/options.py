"""The built-in options of the demographic questions, in both languages."""

from __future__ import annotations

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from keryx.core.choices import AGE_BAND_CHOICES
from keryx.networks.registry import network_choices

# The social networks by name, as the networks' registry lists them.
NETWORK_CHOICES: list[tuple[str, str]] = network_choices(social=True)
NETWORK_NAMES: dict[str, str] = dict(NETWORK_CHOICES)

GENDER_OPTIONS: list[tuple[str, str | Promise]] = [
    ("female", _("Woman")),
    ("male", _("Man")),
    ("non_binary", _("Non-binary")),
    ("undisclosed", _("Prefer not to say")),
    ("self", _("Let me describe myself")),
]
SECTOR_OPTIONS: list[tuple[str, str | Promise]] = [
    ("marketing", _("Marketing and communications")),
    ("education", _("Education and research")),
    ("health", _("Health")),
    ("public", _("Public sector")),
    ("business", _("Private business")),
    ("tech", _("Technology")),
    ("ngo", _("Non-profit organisation")),
    ("student", _("Student")),
    ("other", _("Other")),
]
HEARD_OPTIONS: list[tuple[str, str | Promise]] = [
    *NETWORK_CHOICES,
    ("friend", _("A friend or colleague")),
    ("email", _("E-mail or newsletter")),
    ("website", _("A website or search engine")),
    ("press", _("Press or radio")),
    ("other", _("Other")),
]
AGE_OPTIONS: list[tuple[str, str | Promise]] = [(str(k), str(v)) for k, v in AGE_BAND_CHOICES if k]

BUILT_IN: dict[str, list[tuple[str, str | Promise]]] = {
    "age_band": AGE_OPTIONS,
    "gender": GENDER_OPTIONS,
    "profession": SECTOR_OPTIONS,
    "heard_from": HEARD_OPTIONS,
}

DEMOGRAPHIC_TEXTS: dict[str, str | Promise] = {
    "age_band": _("How old are you?"),
    "gender": _("What is your gender?"),
    "profession": _("In which sector do you work?"),
    "city": _("In which city do you live?"),
    "country": _("In which country?"),
    "heard_from": _("How did you hear about us?"),
}


def both(text: str | Promise) -> dict[str, str]:
    """A lazy text in Greek and English."""
    out = {}
    for language in ("el", "en"):
        with translation.override(language):
            out[language] = str(text)
    return out


def built_in_options(kind: str) -> list[dict[str, str]]:
    return [{"key": key, **both(label)} for key, label in BUILT_IN.get(kind, [])]
