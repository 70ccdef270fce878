from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keryx.core.choices import time_zone_choices
from keryx.core.forms import WallClockField
from keryx.core.widgets import TimeZoneSelect
from keryx.publishing.enums import WEEKDAYS, Anchor, Direction, OffsetUnit, RepeatUnit


class PauseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("Shown to the team on the calendar, e.g. “sad news: no promotion today”."),
    )
    seminar = forms.TypedChoiceField(
        label=_("What to pause"), coerce=int, empty_value=None, required=False, choices=()
    )

    def __init__(self, *args: Any, seminars: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        field = self.fields["seminar"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Every post of the workspace"))] + [
            (pk, _("Only “%(title)s”") % {"title": title}) for pk, title in seminars
        ]


class ScheduleForm(forms.Form):
    scheduled_at = WallClockField(label=_("Date and time"))


class ScheduleAllForm(forms.Form):
    """The composer's "schedule every network" control."""

    mode = forms.ChoiceField(
        label=_("Schedule every network"),
        choices=[
            ("same_time", _("at the same time")),
            ("next_slot", _("in each network's next free posting slot")),
            ("best_time", _("at each network's best time")),
        ],
        initial="same_time",
        widget=forms.RadioSelect,
    )
    scheduled_at = WallClockField(
        label=_("Date and time"),
        required=False,
        help_text=_("For “at the same time”, in the seminar's time zone."),
    )


class ReleaseForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("publish", _("Publish now")),
            ("reschedule", _("Reschedule")),
            ("drop", _("Drop")),
        ]
    )
    scheduled_at = WallClockField(label=_("New date and time"), required=False)


class SettleForm(forms.Form):
    published = forms.TypedChoiceField(
        coerce=lambda v: v == "yes",
        choices=[("yes", _("It is on the network")), ("no", _("It is not on the network"))],
    )
    url = forms.URLField(label=_("Link to the post"), required=False, assume_scheme="https")


class RelativeForm(forms.Form):
    amount = forms.IntegerField(label=_("How much"), min_value=0, initial=7)
    unit = forms.ChoiceField(label=_("Unit"), choices=OffsetUnit.choices, initial=OffsetUnit.DAYS)
    direction = forms.ChoiceField(label=_("Before or after"), choices=Direction.choices)
    anchor = forms.ChoiceField(label=_("Of"), choices=Anchor.choices)
    at_time = forms.TimeField(
        label=_("At (time of day)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("With days or weeks, e.g. “7 days before the start at 10:00”."),
    )


class RecurrenceForm(forms.Form):
    every = forms.IntegerField(label=_("Every"), min_value=1, max_value=365, initial=1)
    unit = forms.ChoiceField(label=_("Unit"), choices=RepeatUnit.choices, initial=RepeatUnit.WEEK)
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for no end (checked against the network's quotas)."),
    )


class SlotsForm(forms.Form):
    """One field per weekday: times separated by commas, e.g. “09:00, 13:30”."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=time_zone_choices, widget=TimeZoneSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, label in WEEKDAYS:
            self.fields[f"day{day}"] = forms.CharField(
                label=label, required=False, help_text=_("e.g. 09:00, 13:30")
            )

    def day_fields(self) -> list[forms.BoundField]:
        return [self[f"day{day}"] for day, _label in WEEKDAYS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        slots: list[tuple[int, dt.time]] = []
        for day, _label in WEEKDAYS:
            raw = data.get(f"day{day}", "") or ""
            for part in raw.replace(";", ",").split(","):
                part = part.strip()
                if not part:
                    continue
                try:
                    at = dt.datetime.strptime(part, "%H:%M").time()
                except ValueError:
                    self.add_error(f"day{day}", _("Write times as 09:00, 13:30."))
                    continue
                slots.append((day, at))
        data["slots"] = slots
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_(
            "Columns: scheduled_at (2026-12-05 10:00), account (@handle or network:@handle), "
            "text, and optionally link, first_comment, phase, theme."
        ),
    )
    csv_text = forms.CharField(widget=forms.HiddenInput, required=False)
