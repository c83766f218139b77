"""Forms for campaigns. They parse and show input; the rules are the services' (which check the period
again, as does the database)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.cases.forms import DateInput
from lantern.web.idempotency import IdempotentFormMixin

from .models import LANGUAGES, Campaign, Channel, TargetGroup
from .services import check_campaign


def language_choices() -> list[tuple[str, str]]:
    from .materials import language_name

    return [(code, language_name(code)) for code in LANGUAGES]


class CampaignForm(IdempotentFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    aim = forms.CharField(
        label=_("Aim"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the campaign wants people to know or do. Describe groups, never individuals."),
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"), choices=TargetGroup.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=language_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leaflets, posters and QR codes are made in each of these languages."),
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(label=_("Start date"), widget=DateInput)
    ends_on = forms.DateField(
        label=_("End date"), widget=DateInput, help_text=_("The same as or after the start date.")
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Partners' administrators, case workers and statistics viewers see the campaign."),
    )
    other_partners = forms.CharField(
        label=_("Other partners"),
        max_length=500,
        required=False,
        help_text=_("Partners that do not use Lantern, separated by commas."),
    )
    active = forms.BooleanField(
        label=_("Count reach"),
        required=False,
        initial=True,
        help_text=_("Page views and QR scans are counted only while this is ticked."),
    )

    def __init__(self, *args: Any, partner_choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = partner_choices

    @classmethod
    def initial_for(cls, campaign: Campaign) -> dict[str, Any]:
        return {
            "name": campaign.name,
            "aim": campaign.aim,
            "target_groups": campaign.target_groups,
            "languages": campaign.languages,
            "channels": campaign.channels,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "partners": list(campaign.partners.all()),
            "other_partners": campaign.other_partners,
            "active": campaign.active,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, messages in check_campaign(data).items():
            if name not in self.errors:
                self.add_error(name, messages)
        return data


class ReachFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=None, required=False, empty_label=_("All")
    )
    since = forms.DateField(label=_("From"), required=False, widget=DateInput)
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput)

    def __init__(self, *args: Any, campaigns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
