"""Forms: the public registration form (built from the seminar's settings) and staff forms."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from keryx.registrations.enums import OPTIONAL_FIELD_LABELS, OPTIONAL_FIELDS, HeardFrom
from keryx.registrations.models import AGE_BANDS, GENDERS, RegistrationSettings

_STARTED_SALT = "keryx.registrations.form-started"


def started_token() -> str:
    """When the form was shown, signed, so a bot cannot claim it took its time."""
    return signing.TimestampSigner(salt=_STARTED_SALT).sign(str(int(time.time())))


def _optional_field(name: str, required: bool) -> forms.Field:
    label = OPTIONAL_FIELD_LABELS[name]
    if name == "age_band":
        return forms.ChoiceField(label=label, required=required, choices=[("", "—"), *AGE_BANDS])
    if name == "gender":
        return forms.ChoiceField(label=label, required=required, choices=[("", "—"), *GENDERS])
    if name == "heard_from":
        return forms.ChoiceField(
            label=label, required=required, choices=[("", "—"), *HeardFrom.choices]
        )
    if name == "interests":
        return forms.CharField(
            label=label,
            required=required,
            max_length=500,
            help_text=_("Separate with commas."),
        )
    return forms.CharField(label=label, required=required, max_length=120)


class AnswersMixin:
    """Adds the optional questions this seminar asks."""

    fields: dict[str, forms.Field]

    def add_questions(self, row: RegistrationSettings) -> None:
        for name in OPTIONAL_FIELDS:
            if name in row.optional_fields:
                self.fields[name] = _optional_field(name, name in row.required_fields)

    def answers(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        return {k: cleaned.get(k, "") for k in OPTIONAL_FIELDS if k in self.fields}


class RegistrationForm(AnswersMixin, forms.Form):
    name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput({"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput({"autocomplete": "email"}),
        error_messages={
            "invalid": _("This is not an e-mail address. Check it, e.g. name@example.org.")
        },
    )
    # Bots: a field people never see (and must leave empty), and the time the form was shown.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput({"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)
    kx = forms.CharField(required=False, widget=forms.HiddenInput)
    # "1" when the form was shown with places left: then the visitor asked for a place, and
    # is asked before being put on the waiting list instead (the last place went meanwhile).
    places_seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, row: RegistrationSettings, notice: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_questions(row)
        self.fields["consent_privacy"] = forms.BooleanField(
            label=_("I have read the privacy notice and agree that my data is used as it says."),
            required=True,
            error_messages={
                "required": _(
                    "Please accept the privacy notice: we need it to keep your registration."
                )
            },
        )
        self.notice = notice
        if row.ask_marketing_consent:
            from keryx.registrations.texts import marketing_text

            self.fields["consent_marketing"] = forms.BooleanField(
                label=marketing_text(), required=False
            )
        # the trap goes last, where a person tabbing through never lands
        self.fields["website"] = self.fields.pop("website")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("website"):
            raise forms.ValidationError(
                _("We could not accept this form. Please try again."), code="bot"
            )
        try:
            shown = int(
                signing.TimestampSigner(salt=_STARTED_SALT).unsign(
                    cleaned.get("started", ""), max_age=24 * 3600
                )
            )
        except (signing.BadSignature, ValueError):
            raise forms.ValidationError(
                _("This form is too old. Please check your answers and send it again."),
                code="stale",
            ) from None
        if time.time() - shown < getattr(settings, "KERYX_REGISTRATION_MIN_FILL_SECONDS", 3):
            raise forms.ValidationError(
                _("That was very quick. Please check your answers and send the form again."),
                code="too_fast",
            )
        return cleaned

    def clean_kx(self) -> str:
        """A malformed tracked-link code is dropped, never an error for the registrant."""
        from keryx.registrations.domain.registrations import link_code

        return link_code(self.cleaned_data.get("kx"))

    def consents(self) -> list[str]:
        kinds = ["privacy"] if self.cleaned_data.get("consent_privacy") else []
        if self.cleaned_data.get("consent_marketing"):
            kinds.append("marketing")
        return kinds


class SelfServiceForm(AnswersMixin, forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)

    def __init__(self, *args: Any, row: RegistrationSettings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_questions(row)


class StaffRegistrationForm(SelfServiceForm):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


def initial_answers(registration: Any) -> dict[str, Any]:
    data = {k: getattr(registration, k) for k in ("name", "email", "language", *OPTIONAL_FIELDS)}
    data["interests"] = ", ".join(registration.interests or [])
    return data


class SettingsForm(forms.Form):
    is_public = forms.BooleanField(
        label=_("Publish the public page"),
        required=False,
        help_text=_("Anyone with the link can see the seminar page and register."),
    )
    registration_open = forms.BooleanField(label=_("Registration open"), required=False)
    waitlist_enabled = forms.BooleanField(
        label=_("Waiting list when full"),
        required=False,
        help_text=_("When every place is taken, new registrants join a waiting list."),
    )
    optional_fields = forms.MultipleChoiceField(
        label=_("Questions asked"),
        required=False,
        choices=[(k, OPTIONAL_FIELD_LABELS[k]) for k in OPTIONAL_FIELDS],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Name and e-mail are always asked. Ask only what you will use."),
    )
    required_fields = forms.MultipleChoiceField(
        label=_("Questions required"),
        required=False,
        choices=[(k, OPTIONAL_FIELD_LABELS[k]) for k in OPTIONAL_FIELDS],
        widget=forms.CheckboxSelectMultiple,
    )
    privacy_notice_el = forms.CharField(
        label=_("Privacy notice (Greek)"), required=False, widget=forms.Textarea({"rows": 5})
    )
    privacy_notice_en = forms.CharField(
        label=_("Privacy notice (English)"), required=False, widget=forms.Textarea({"rows": 5})
    )
    privacy_version = forms.CharField(
        label=_("Notice version"),
        max_length=32,
        help_text=_(
            "Change it whenever the text changes: each consent keeps the version accepted."
        ),
    )
    ask_marketing_consent = forms.BooleanField(
        label=_("Ask for consent to news about future seminars"), required=False
    )
    confirm_within_hours = forms.IntegerField(
        label=_("Confirmation link valid for (hours)"), min_value=1, max_value=24 * 60
    )

    @staticmethod
    def initial_from(row: RegistrationSettings) -> dict[str, Any]:
        notice = row.privacy_notice or {}
        return {
            "is_public": row.is_public,
            "registration_open": row.registration_open,
            "waitlist_enabled": row.waitlist_enabled,
            "optional_fields": row.optional_fields,
            "required_fields": row.required_fields,
            "privacy_notice_el": notice.get("el", ""),
            "privacy_notice_en": notice.get("en", ""),
            "privacy_version": row.privacy_version,
            "ask_marketing_consent": row.ask_marketing_consent,
            "confirm_within_hours": row.confirm_within_hours,
        }

    def domain_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["privacy_notice"] = {
            "el": data.pop("privacy_notice_el", ""),
            "en": data.pop("privacy_notice_en", ""),
        }
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("An attendee export from Eventbrite or a similar tool, or a Keryx export."),
    )
    commit = forms.BooleanField(required=False, widget=forms.HiddenInput)
