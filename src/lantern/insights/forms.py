"""The dashboard's filters and the Eurostat year (GET forms). The period is chosen in whole months: a figure
narrowed to a day could be subtracted from another to single a person out (`disclosure`)."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.accounts.roles import OrganisationType
from lantern.cases.models import Sex

from .statistics import Filters, stage_labels


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m")


class MonthField(forms.DateField):
    """A month, as YYYY-MM; a full date (YYYY-MM-DD, from an older link) is widened to its month. Cleaned to
    the month's first day (`end=False`) or last day (`end=True`)."""

    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def __init__(self, *, end: bool, **kwargs: Any) -> None:
        self.end = end
        help_text = _("Counted in whole months: a date is widened to its month.")
        super().__init__(widget=MonthInput(), required=False, help_text=help_text, **kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        day = super().to_python(value)
        if day is None:
            return None
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=last if self.end else 1)


class FilterForm(forms.Form):
    registered_from = MonthField(label=_("Registered from (month)"), end=False)
    registered_to = MonthField(label=_("Registered until (month)"), end=True)
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
