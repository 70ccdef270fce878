"""Form fields shared by the apps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keryx.core.timezones import out_of_range, range_message


class WallClockField(forms.DateTimeField):
    """A date and time as read on a clock in some time zone; the form makes it aware.

    The browser's ``datetime-local`` input has no zone; the form knows which zone is meant
    (the seminar's) and calls :func:`keryx.core.timezones.aware_in`.
    """

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

    def to_python(self, value: Any) -> dt.datetime | None:
        with timezone.override(dt.UTC):
            result = super().to_python(value)
        if out_of_range(result):
            raise forms.ValidationError(range_message(), code="date_out_of_range")
        return result.replace(tzinfo=None) if result is not None else None


class WordListField(forms.CharField):
    """Words or phrases separated by commas (or new lines) ↔ a list of strings."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Separate with commas."))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(data) != (initial or [])

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


class HashtagListField(WordListField):
    """``#Σεμινάριο2026 #SocialMedia`` ↔ ``["#Σεμινάριο2026", "#SocialMedia"]``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", _("Separate with spaces or commas, e.g. #Σεμινάριο2026 #SocialMedia.")
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return " ".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = forms.CharField.to_python(self, value) or ""
        words = text.replace(",", " ").split()
        return [w if w[:1] in {"#", "＃"} else f"#{w}" for w in words]
