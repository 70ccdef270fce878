"""Forms of the links pages: the UTM builder and the GA4 setting. Validation lives in the
domain; these parse what the browser sends and show the domain's errors in place."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keryx.content.enums import CampaignPhase
from keryx.links.domain.ga4 import Ga4Data
from keryx.links.domain.links import LinkData
from keryx.links.domain.utm import UTM_KEYS
from keryx.links.enums import LINK_CHANNEL_CHOICES, Touch
from keryx.links.models import TrackedLink
from keryx.seminars.models import Seminar

UTM_HELP = {
    "utm_source": _("Where the link is shared: facebook, bluesky, newsletter, qrcode…"),
    "utm_medium": _("The kind of channel: social, email, print…"),
    "utm_campaign": _("The campaign: the seminar's short name, and its phase if any."),
    "utm_content": _("Tells apart links of the same campaign: the post, the variant, the poster."),
    "utm_term": _("Optional: a keyword (paid search)."),
}


class LinkForm(forms.Form):
    label = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("For you only, e.g. “Poster in the library”."),
    )
    destination = forms.CharField(
        label=_("Destination"),
        max_length=1000,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("Leave empty for the seminar's public page."),
    )
    network = forms.ChoiceField(
        label=_("Shared on"),
        choices=[("", _("— choose —")), *LINK_CHANNEL_CHOICES],
        required=False,
        widget=forms.Select(attrs={"data-utm-channel": ""}),
    )
    campaign_phase = forms.ChoiceField(
        label=_("Campaign phase"),
        choices=[("", _("— none —")), *CampaignPhase.choices],
        required=False,
        widget=forms.Select(attrs={"data-utm-phase": ""}),
    )
    utm_source = forms.CharField(label="utm_source", max_length=100, required=False)
    utm_medium = forms.CharField(label="utm_medium", max_length=100, required=False)
    utm_campaign = forms.CharField(label="utm_campaign", max_length=100, required=False)
    utm_content = forms.CharField(label="utm_content", max_length=100, required=False)
    utm_term = forms.CharField(label="utm_term", max_length=100, required=False)
    permanent = forms.BooleanField(
        label=_("Permanent redirect (301)"),
        required=False,
        help_text=TrackedLink._meta.get_field("permanent").help_text,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in UTM_KEYS:
            self.fields[key].help_text = UTM_HELP[key]
            self.fields[key].widget.attrs["data-utm"] = key

    @classmethod
    def for_link(cls, link: TrackedLink, data: Any = None) -> LinkForm:
        initial = {name: getattr(link, name) for name in cls.base_fields}
        return cls(data, initial=initial)

    def link_data(self, *, creating: bool) -> LinkData:
        """On create, empty UTM fields take the channel's defaults; on update they are kept
        empty if the user emptied them."""
        data = self.cleaned_data
        values: dict[str, Any] = {
            "label": data["label"],
            "network": data["network"],
            "campaign_phase": data["campaign_phase"],
            "permanent": data["permanent"],
            "destination": data["destination"] or None,
        }
        for key in UTM_KEYS:
            values[key] = data[key] if (data[key] or not creating) else None
        return LinkData(**values)


class TouchForm(forms.Form):
    touch = forms.ChoiceField(
        label=_("Credit registrations to"), choices=Touch.choices, required=False
    )


class Ga4Form(forms.Form):
    seminar = forms.ChoiceField(label=_("Applies to"), required=False)
    measurement_id = forms.CharField(
        label=_("Measurement ID"),
        max_length=32,
        widget=forms.TextInput(attrs={"placeholder": "G-XXXXXXXXXX", "autocomplete": "off"}),
    )
    api_secret = forms.CharField(
        label=_("Measurement Protocol API secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Stored encrypted. Leave empty to keep the secret already saved."),
    )
    enabled = forms.BooleanField(label=_("Send registrations to GA4"), required=False, initial=True)

    def __init__(self, *args: Any, seminars: list[Seminar], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seminars = {str(s.pk): s for s in seminars}
        seminar_field = self.fields["seminar"]
        assert isinstance(seminar_field, forms.ChoiceField)
        seminar_field.choices = [
            ("", _("Every seminar of the workspace")),
            *[(str(s.pk), s.title) for s in seminars],
        ]

    def chosen_seminar(self) -> Seminar | None:
        return self.seminars.get(self.cleaned_data.get("seminar") or "")

    def ga4_data(self) -> Ga4Data:
        return Ga4Data(
            measurement_id=self.cleaned_data["measurement_id"],
            api_secret=self.cleaned_data["api_secret"],
            enabled=self.cleaned_data["enabled"],
        )
