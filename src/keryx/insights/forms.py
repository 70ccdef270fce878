from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ListeningSettingsForm(forms.Form):
    webhook_url = forms.URLField(
        label=_("Alert webhook address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "An incoming-webhook address of Slack, Matrix (hookshot) or anything that takes "
            "Slack-compatible JSON. Crisis alerts are posted there too. Leave empty for none."
        ),
    )
    alert_spikes = forms.BooleanField(
        label=_("Also tell about positive spikes"), required=False, initial=True
    )
