"""Form widgets shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class TimeZoneSelect(forms.Select):
    """The time zone ``<select>`` (common zones first, then all), with a search box that
    app.js puts before it: typing "athen" or "new york" narrows the list."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={
                "data-tz-select": "",
                "data-search-label": _("Search time zones"),
                **(attrs or {}),
            }
        )
