from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from keryx.accounts.roles import ROLE_CHOICES
from keryx.core.choices import time_zone_choices
from keryx.core.errors import KeryxError
from keryx.core.widgets import TimeZoneSelect


def apply_error(
    form: forms.Form, exc: KeryxError, *, field_of: Callable[[str], str] | None = None
) -> None:
    """Show a domain error on the form: field errors beside the field they are about, else on
    top. ``field_of`` maps a domain field name (``kpi_targets.nps.target``) to the form's
    field name; a name the form does not have is never shown (it means nothing to a reader)."""
    if not exc.fields:
        form.add_error(None, exc.message)
        return
    for name, messages in exc.fields.items():
        field = field_of(name) if field_of else name
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class WorkspaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    default_language = forms.ChoiceField(label=_("Default language"), choices=settings.LANGUAGES)
    default_time_zone = forms.ChoiceField(
        label=_("Default time zone"), choices=time_zone_choices, widget=TimeZoneSelect
    )


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What will use it, e.g. “reporting script”.")
    )
    expires_at = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a token that does not expire."),
    )


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        required=False,
        choices=lambda: [("", _("Same as the seminar")), *time_zone_choices()],
        widget=TimeZoneSelect,
        help_text=_("Times are shown in the seminar's time zone and, when it differs, in yours."),
    )
