from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from keryx.networks.webhook.connector import STYLES

STYLE_LABELS = {
    "generic": _("Keryx JSON, signed (Zapier, Make, n8n, your own receiver)"),
    "discord": _("Discord"),
    "slack": _("Slack"),
    "teams": _("Microsoft Teams (workflow)"),
}


class MastodonForm(forms.Form):
    base_url = forms.CharField(
        label=_("Your Mastodon server"),
        max_length=200,
        help_text=_("For example mastodon.social or https://mastodon.example.gr"),
    )


class BlueskyForm(forms.Form):
    handle = forms.CharField(
        label=_("Handle"), max_length=253, help_text=_("For example seminar.bsky.social")
    )
    app_password = forms.CharField(
        label=_("App password"),
        max_length=100,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "Create one in Bluesky under Settings → Privacy and security → App passwords. "
            "Never your account password."
        ),
    )
    pds_url = forms.CharField(
        label=_("Server"),
        max_length=200,
        required=False,
        help_text=_("Leave as it is unless your account lives on your own PDS."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["pds_url"].initial = settings.KERYX_BLUESKY_DEFAULT_PDS


class WebhookForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("For example “Team Discord #announcements”")
    )
    url = forms.CharField(label=_("Webhook URL"), max_length=1000)
    style = forms.ChoiceField(
        label=_("Receiver"), choices=[(s, STYLE_LABELS[s]) for s in STYLES], initial="generic"
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "At least 16 characters; the receiver checks each delivery's X-Keryx-Signature "
            "with it. Optional for Discord, Slack and Teams."
        ),
    )


class ChooseAccountsForm(forms.Form):
    accounts = forms.MultipleChoiceField(
        label=_("Accounts to connect"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["accounts"].choices = choices  # type: ignore[attr-defined]
