"""Field validators for seminars; messages are translated and say how to fix the value."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from keryx.core.text import is_valid_hashtag
from keryx.core.timezones import validate_time_zone as core_validate_time_zone
from keryx.networks.registry import network_keys


def validate_time_zone(value: str) -> None:
    """Kept for the migrations that name it; the check lives in core.timezones."""
    core_validate_time_zone(value)


def validate_hashtags(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Hashtags must be a list of words."), code="invalid")
    bad = [v for v in value if not is_valid_hashtag(v)]
    if bad:
        raise ValidationError(
            _(
                "Not a valid hashtag: %(tags)s. A hashtag is one word of letters, digits or "
                "underscores with at least one letter, such as #Σεμινάριο2026."
            ),
            code="invalid_hashtag",
            params={"tags": ", ".join(bad)},
        )


def validate_languages(value: Any) -> None:
    known = dict(settings.LANGUAGES)
    if not isinstance(value, list) or not value or any(v not in known for v in value):
        raise ValidationError(
            _("Choose one or more of the supported languages: %(langs)s."),
            code="invalid_language",
            params={"langs": ", ".join(known)},
        )


def validate_network_list(value: Any) -> None:
    if not isinstance(value, list) or any(v not in network_keys(social=True) for v in value):
        raise ValidationError(
            _("Unknown network. Choose from: %(names)s."),
            code="invalid_network",
            params={"names": ", ".join(network_keys(social=True))},
        )


def validate_word_list(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValidationError(_("Give a list of words or short phrases."), code="invalid")
