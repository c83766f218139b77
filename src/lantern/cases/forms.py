"""Forms for the case record: a short start page, then one form per task-list section (GOV.UK task list).

Forms only parse and show input; the rules are the services'. A service's ValidationError is put back on the
form (`lantern.web.idempotency.submit_once`) so that the person keeps what they typed and sees an error
summary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from lantern.web.idempotency import IdempotentFormMixin

from .fields import RECORD_FIELDS, CaseField, Kind
from .procedure.profiles import load_profiles


class DateInput(forms.DateInput):
    input_type = "date"


def _date(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text, widget=DateInput())


def _text(label: Any, *, long: bool = False, help_text: Any = "") -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 3}) if long else forms.TextInput()
    return forms.CharField(label=label, required=False, help_text=help_text, widget=widget, max_length=4000)


def _countries(label: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=list(countries),
        help_text=_("Choose one or more (hold Ctrl or Cmd to choose several)."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


def _choices(field: CaseField) -> list[tuple[str, Any]]:
    return field.choices() if field.choices is not None else []


# One form field per kind of input (`fields.Kind`); labels, help and choices come from the declaration.
_FORM_FIELD: dict[Kind, Callable[[CaseField], forms.Field]] = {
    Kind.TEXT: lambda f: _text(f.label, help_text=f.help_text),
    Kind.LONG_TEXT: lambda f: _text(f.label, long=True, help_text=f.help_text),
    Kind.LANGUAGES: lambda f: _text(f.label, help_text=f.help_text),  # comma-separated: clean_languages
    Kind.DATE: lambda f: _date(f.label, required=f.required, help_text=f.help_text),
    Kind.NUMBER: lambda f: forms.IntegerField(label=f.label, required=f.required, help_text=f.help_text),
    Kind.YES_NO: lambda f: forms.BooleanField(label=f.label, required=f.required, help_text=f.help_text),
    Kind.COUNTRIES: lambda f: _countries(f.label),
    Kind.ONE_OF: lambda f: forms.ChoiceField(
        label=f.label, required=f.required, choices=_choices(f), initial=f.initial, widget=forms.RadioSelect
    ),
    Kind.PICK: lambda f: forms.ChoiceField(
        label=f.label, required=f.required, choices=[("", _("Choose")), *_choices(f)]
    ),
    Kind.SOME_OF: lambda f: forms.MultipleChoiceField(
        label=f.label, required=f.required, choices=_choices(f), widget=forms.CheckboxSelectMultiple
    ),
}


def field_definitions() -> dict[str, forms.Field]:
    """Every field of the case record, as the forms show it (fresh instances each call), built from its
    declaration in `fields.RECORD_FIELDS`."""
    return {field.name: _FORM_FIELD[field.kind](field) for field in RECORD_FIELDS}


START_FIELDS = (
    "identified_on",
    "given_names",
    "family_name",
    "date_of_birth",
    "estimated_age",
    "appears_minor",
    "immediate_danger",
)


class CaseFieldsForm(IdempotentFormMixin, forms.Form):
    """A subset of the record's fields, and the idempotency key (`lantern.web.idempotency`)."""

    def __init__(self, *args: Any, field_names: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        definitions = field_definitions()
        for name in field_names:
            self.fields[name] = definitions[name]

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data.get("languages") or ""
        codes = [c.strip().lower() for c in raw.split(",") if c.strip()]
        bad = [c for c in codes if not (2 <= len(c) <= 8 and c.replace("-", "").isalpha())]
        if bad:
            raise ValidationError(_("Not a language code: %(codes)s") % {"codes": ", ".join(bad)})
        return codes

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if data.get("estimated_age") is None and "estimated_age" in data:
            data["estimated_age"] = ""
        return data


class CaseStartForm(CaseFieldsForm):
    """The first page: what is needed to open a case. The rest follows in the task list."""

    profile = forms.ChoiceField(
        label=_("NRM procedure"),
        widget=forms.RadioSelect,
        help_text=_(
            "The national referral procedure the case follows. Your organisation's country sets the default."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, field_names=START_FIELDS, **kwargs)
        self.fields["profile"].choices = [(p.id, gettext(p.name)) for p in load_profiles().profiles.values()]
        self.order_fields(["profile", *START_FIELDS])


def initial_for(case: Any, field_names: tuple[str, ...]) -> dict[str, Any]:
    """The form's initial values from a case."""
    initial: dict[str, Any] = {}
    for name in field_names:
        value = getattr(case, name)
        if name == "date_of_birth":
            value = case.birth_date
        elif name == "estimated_age":
            value = case.age_estimate
        elif name in ("citizenships", "recruitment_countries", "exploitation_countries"):
            value = [c.code for c in value]
        elif name == "languages":
            value = ", ".join(value)
        initial[name] = value
    return initial
