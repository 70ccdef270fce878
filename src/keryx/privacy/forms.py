from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AddressForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class EraseForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    confirm = forms.EmailField(
        label=_("Type the address again to confirm"),
        max_length=254,
        help_text=_("Erasure cannot be undone."),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        email, confirm = data.get("email"), data.get("confirm")
        if email and confirm and str(email).casefold() != str(confirm).casefold():
            self.add_error("confirm", _("The two addresses differ."))
        return data


class RetentionForm(forms.Form):
    kind = forms.CharField(max_length=100)
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=36500, required=False)
