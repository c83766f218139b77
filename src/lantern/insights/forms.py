"""The dashboard's filters and the Eurostat year (GET forms)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.accounts.roles import OrganisationType
from lantern.cases.forms import DateInput
from lantern.cases.models import Sex

from .statistics import Filters, stage_labels


class FilterForm(forms.Form):
    registered_from = forms.DateField(label=_("Registered from"), required=False, widget=DateInput())
    registered_to = forms.DateField(label=_("Registered until"), required=False, widget=DateInput())
    organisation_type = forms.ChoiceField(label=_("Type of organisation"), required=False)
    stage = forms.ChoiceField(label=_("Current stage"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_choice = [("", _("Any"))]
        self.fields["organisation_type"].choices = any_choice + list(OrganisationType.choices)
        self.fields["stage"].choices = any_choice + list(stage_labels().items())
        self.fields["sex"].choices = any_choice + list(Sex.choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("registered_from"), data.get("registered_to")
        if start and end and start > end:
            self.add_error("registered_to", _("The end of the period must be on or after its start."))
        return data

    def filters(self) -> Filters:
        """The filters asked for; none when the form is invalid (the errors are shown)."""
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            registered_from=data.get("registered_from"),
            registered_to=data.get("registered_to"),
            organisation_type=data.get("organisation_type", ""),
            stage=data.get("stage", ""),
            sex=data.get("sex", ""),
        )


def default_year() -> int:
    return timezone.localdate().year - 1


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year of registration"), min_value=2000, max_value=2100, required=False)

    def chosen_year(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("year"):
            return int(self.cleaned_data["year"])
        return default_year()
