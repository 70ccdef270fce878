"""Forms of the seminar pages. Validation itself lives in the models and the domain; these
forms parse what the browser sends and show the domain's errors next to the right field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from keryx.core.choices import AGE_BAND_CHOICES, GENDER_CHOICES, NETWORK_CHOICES, time_zone_choices
from keryx.core.forms import HashtagListField, WallClockField, WordListField
from keryx.core.timezones import aware_in, local
from keryx.core.widgets import TimeZoneSelect
from keryx.seminars.enums import KpiMetric, SeminarFormat, SessionKind
from keryx.seminars.models import Seminar, Session, Speaker

KPI_PREFIX = "kpi_"


def form_field_of(name: str) -> str:
    """The seminar form's field for a domain error's field: ``kpi_targets.nps.target`` is the
    ``kpi_nps`` box."""
    if name.startswith("kpi_targets."):
        return KPI_PREFIX + name.split(".")[1]
    return name


def _wall(value: Any, time_zone: str) -> Any:
    shown = local(value, time_zone)
    return shown.replace(tzinfo=None) if shown is not None else None


class SeminarForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("One-line summary"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    language = forms.ChoiceField(label=_("Main language"), choices=settings.LANGUAGES)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every language the seminar is held or promoted in."),
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=SeminarFormat.choices, widget=forms.RadioSelect
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        initial="Europe/Athens",
        widget=TimeZoneSelect,
    )
    starts_at = WallClockField(label=_("Starts"), help_text=_("In the seminar's time zone."))
    ends_at = WallClockField(label=_("Ends"), help_text=_("In the seminar's time zone."))
    venue_name = forms.CharField(label=_("Venue"), max_length=200, required=False)
    venue_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    venue_city = forms.CharField(label=_("City"), max_length=100, required=False)
    venue_country = forms.CharField(label=_("Country"), max_length=100, required=False)
    map_url = forms.URLField(label=_("Map link"), required=False, assume_scheme="https")
    online_url = forms.URLField(label=_("Online room link"), required=False, assume_scheme="https")
    stream_url = forms.URLField(label=_("Live stream link"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        help_text=_("Places available; leave empty for no limit."),
    )
    hashtags = HashtagListField(label=_("Official hashtags"))
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="EUR")
    other_title = forms.CharField(label=_("Title"), max_length=200, required=False)
    other_summary = forms.CharField(label=_("One-line summary"), max_length=300, required=False)
    other_description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, seminar: Seminar | None = None, **kwargs: Any) -> None:
        if seminar is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(seminar)
        super().__init__(*args, **kwargs)
        for metric in KpiMetric:
            self.fields[KPI_PREFIX + metric.value] = forms.DecimalField(
                label=metric.label, required=False, max_digits=12, decimal_places=2
            )

    @staticmethod
    def initial_from(seminar: Seminar) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(seminar, name)
            for name in (
                "title",
                "summary",
                "description",
                "language",
                "languages",
                "format",
                "time_zone",
                "venue_name",
                "venue_address",
                "venue_city",
                "venue_country",
                "map_url",
                "online_url",
                "stream_url",
                "capacity",
                "hashtags",
                "currency",
            )
        }
        initial["starts_at"] = _wall(seminar.starts_at, seminar.time_zone)
        initial["ends_at"] = _wall(seminar.ends_at, seminar.time_zone)
        for target in seminar.kpi_targets.all():
            initial[KPI_PREFIX + target.metric] = target.target
        other = seminar.translations.exclude(language=seminar.language).first()
        if other is not None:
            initial.update(
                other_title=other.title,
                other_summary=other.summary,
                other_description=other.description,
            )
        return initial

    def seminar_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {k: v for k, v in data.items() if not k.startswith((KPI_PREFIX, "other_"))}
        fields["starts_at"] = aware_in(data.get("starts_at"), data["time_zone"])
        fields["ends_at"] = aware_in(data.get("ends_at"), data["time_zone"])
        fields["languages"] = list(data.get("languages") or [])
        return fields

    def kpi_targets(self) -> dict[str, Any]:
        return {m.value: self.cleaned_data.get(KPI_PREFIX + m.value) for m in KpiMetric}

    def translations(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        other = next(
            (code for code, _label in settings.LANGUAGES if code != data["language"]), None
        )
        if not other or not data.get("other_title"):
            return []
        return [
            {
                "language": other,
                "title": data["other_title"],
                "summary": data.get("other_summary", ""),
                "description": data.get("other_description", ""),
            }
        ]

    def kpi_fields(self) -> list[forms.BoundField]:
        return [self[KPI_PREFIX + m.value] for m in KpiMetric]


class PersonaForm(forms.Form):
    name = forms.CharField(
        label=_("Persona name"), max_length=120, help_text=_("e.g. “Marketing officer at an NGO”.")
    )
    age_band = forms.ChoiceField(label=_("Age"), choices=AGE_BAND_CHOICES, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=GENDER_CHOICES, required=False)
    profession = forms.CharField(label=_("Profession"), max_length=120, required=False)
    sector = forms.CharField(label=_("Sector"), max_length=120, required=False)
    region = forms.CharField(label=_("Region"), max_length=120, required=False)
    interests = WordListField(label=_("Interests"))
    preferred_networks = forms.MultipleChoiceField(
        label=_("Preferred networks"),
        choices=NETWORK_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


PersonaFormSet = forms.formset_factory(PersonaForm, extra=1, max_num=20)


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    starts_at = WallClockField(label=_("Starts"))
    ends_at = WallClockField(label=_("Ends"))
    room = forms.CharField(label=_("Room"), max_length=100, required=False)
    speakers = forms.ModelMultipleChoiceField(
        label=_("Speakers"),
        queryset=Speaker.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(
        self, *args: Any, seminar: Seminar, instance: Session | None = None, **kwargs: Any
    ) -> None:
        self.seminar = seminar
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": instance.title,
                "kind": instance.kind,
                "room": instance.room,
                "description": instance.description,
                "starts_at": _wall(instance.starts_at, seminar.time_zone),
                "ends_at": _wall(instance.ends_at, seminar.time_zone),
                "speakers": list(instance.speakers.all()),
            }
        super().__init__(*args, **kwargs)
        self.fields["speakers"].queryset = seminar.speakers.all()  # type: ignore[attr-defined]
        help_text = _("In the seminar's time zone (%(zone)s).") % {"zone": seminar.time_zone}
        self.fields["starts_at"].help_text = help_text
        self.fields["ends_at"].help_text = help_text

    def domain_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("speakers", None)
        data["starts_at"] = aware_in(data.get("starts_at"), self.seminar.time_zone)
        data["ends_at"] = aware_in(data.get("ends_at"), self.seminar.time_zone)
        return data

    def speaker_ids(self) -> list[int]:
        return [s.pk for s in self.cleaned_data.get("speakers", [])]


class SpeakerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=150, required=False)
    bio = forms.CharField(label=_("Bio"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    photo = forms.ImageField(
        label=_("Photo"), required=False, help_text=_("JPEG, PNG or WebP, at most 5 MB.")
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    position = forms.IntegerField(label=_("Order"), min_value=0, initial=0)

    def __init__(self, *args: Any, instance: Speaker | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in ("name", "job_title", "organisation", "bio", "website", "position")
            }
            for key, handle in (instance.handles or {}).items():
                kwargs["initial"][f"handle_{key}"] = handle
        super().__init__(*args, **kwargs)
        for key, label in NETWORK_CHOICES:
            self.fields[f"handle_{key}"] = forms.CharField(
                label=_("%(network)s handle") % {"network": label}, max_length=100, required=False
            )

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The photo is larger than 5 MB. Use a smaller image."))
        return photo

    def domain_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {
            k: data[k] for k in ("name", "job_title", "organisation", "bio", "website", "position")
        }
        if data.get("photo"):
            fields["photo"] = data["photo"]
        fields["handles"] = {
            key: data[f"handle_{key}"].strip().lstrip("@")
            for key, _label in NETWORK_CHOICES
            if data.get(f"handle_{key}")
        }
        return fields

    def handle_fields(self) -> list[forms.BoundField]:
        return [self[f"handle_{key}"] for key, _label in NETWORK_CHOICES]
