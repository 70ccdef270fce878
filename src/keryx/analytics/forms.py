"""Forms of the analytics pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keryx.analytics.domain.campaigns import CampaignData
from keryx.analytics.enums import AdPlatform, Objective
from keryx.links.models import TrackedLink
from keryx.seminars.models import Seminar


class CampaignForm(forms.Form):
    platform = forms.ChoiceField(label=_("Ad platform"), choices=AdPlatform.choices)
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("As it is named in the ad platform, so imported rows find it."),
    )
    starts_on = forms.DateField(label=_("Starts"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends"), widget=forms.DateInput(attrs={"type": "date"}))
    budget = forms.DecimalField(label=_("Budget"), min_value=0, max_digits=12, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="EUR")
    objective = forms.ChoiceField(label=_("Objective"), choices=Objective.choices)
    links = forms.ModelMultipleChoiceField(
        label=_("Tracked links its ads use"),
        queryset=TrackedLink.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, seminar: Seminar, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["links"].queryset = TrackedLink.objects.filter(seminar=seminar)  # type: ignore[attr-defined]
        self.fields["currency"].initial = seminar.currency

    def data_out(self) -> CampaignData:
        d = self.cleaned_data
        return CampaignData(
            platform=d["platform"],
            name=d["name"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            budget=d["budget"],
            currency=d["currency"],
            objective=d["objective"],
            link_ids=[link.pk for link in d["links"]],
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV export"),
        help_text=_(
            "Exported from Meta Ads Manager, LinkedIn Campaign Manager or Google Ads, with a day breakdown."
        ),
    )


class AbForm(forms.Form):
    shown_a = forms.IntegerField(label=_("A: people reached"), min_value=1)
    success_a = forms.IntegerField(label=_("A: clicks or registrations"), min_value=0)
    shown_b = forms.IntegerField(label=_("B: people reached"), min_value=1)
    success_b = forms.IntegerField(label=_("B: clicks or registrations"), min_value=0)
    mde = forms.DecimalField(
        label=_("Smallest difference worth detecting (percentage points)"),
        min_value=Decimal("0.1"),
        max_value=Decimal(50),
        decimal_places=1,
        initial=Decimal(2),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for side in ("a", "b"):
            shown, success = data.get(f"shown_{side}"), data.get(f"success_{side}")
            if shown is not None and success is not None and success > shown:
                self.add_error(f"success_{side}", _("Cannot be more than the people reached."))
        return data


class MetaAdsForm(forms.Form):
    ad_account_id = forms.CharField(
        label=_("Meta ad account ID"),
        max_length=40,
        help_text=_("The number after “act_” in Ads Manager’s address or account menu."),
    )
    access_token = forms.CharField(
        label=_("Access token with the ads_read permission"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "A system user’s token from Meta Business Settings. Leave empty to keep the saved one."
        ),
    )


class AbTestForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("What differs"), choices=())
    goal = forms.ChoiceField(label=_("Compared on"), choices=())
    variant_a = forms.TypedChoiceField(label="A", coerce=int, choices=())
    variant_b = forms.TypedChoiceField(label="B", coerce=int, choices=())

    def __init__(self, *args: Any, variants: list[tuple[int, str]], **kwargs: Any) -> None:
        from keryx.analytics.models import AbTest

        super().__init__(*args, **kwargs)
        for name, choices in (
            ("kind", AbTest.Kind.choices),
            ("goal", AbTest.Goal.choices),
            ("variant_a", variants),
            ("variant_b", variants),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
