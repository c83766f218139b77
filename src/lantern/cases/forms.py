"""Forms for the case record: a short start page, then one form per task-list section (GOV.UK task list).

Forms only parse and show input; the rules are the services'. A service's ValidationError is put back on the
form (`lantern.web.idempotency.submit_once`) so that the person keeps what they typed and sees an error
summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from lantern.web.idempotency import IdempotentFormMixin

from .models import IDENTIFIED_BY_CHOICES, RiskLevel, Sex
from .procedure.profiles import load_profiles

EXPLOITATION_LABELS = {
    "sexual": _("Sexual exploitation"),
    "labour": _("Forced labour or services"),
    "forced_criminality": _("Forced criminal activities"),
    "forced_begging": _("Forced begging"),
    "domestic_servitude": _("Domestic servitude"),
    "forced_marriage": _("Forced marriage"),
    "illegal_adoption": _("Illegal adoption"),
    "surrogacy": _("Exploitation of surrogacy"),
    "organ_removal": _("Removal of organs"),
    "other": _("Other"),
}


def exploitation_choices() -> list[tuple[str, Any]]:
    return [(form, EXPLOITATION_LABELS.get(form, form)) for form in load_profiles().exploitation_forms]


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


def field_definitions() -> dict[str, forms.Field]:
    """Every field of the case record, as the forms show it (fresh instances each call)."""
    return {
        "given_names": _text(_("Given names")),
        "family_name": _text(_("Family name")),
        "aliases": _text(_("Other names and aliases"), long=True),
        "date_of_birth": _date(_("Date of birth"), help_text=_("Leave empty if not known.")),
        "estimated_age": forms.IntegerField(
            label=_("Estimated age"),
            required=False,
            help_text=_("In whole years, if the date of birth is not known."),
        ),
        "appears_minor": forms.BooleanField(
            label=_("There are reasons to believe the person may be under 18"),
            required=False,
            help_text=_("Until an age assessment, the person is then treated as a child."),
        ),
        "age_assessed_on": _date(
            _("Date of the age assessment"), help_text=_("Only if an assessment was made.")
        ),
        "sex": forms.ChoiceField(
            label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN, widget=forms.RadioSelect
        ),
        "gender_identity": _text(
            _("Gender identity"), help_text=_("In the person's own words, if they wish.")
        ),
        "citizenships": _countries(_("Citizenships")),
        "languages": _text(
            _("Languages"), help_text=_("Language codes separated by commas, for example: ar, ti, en")
        ),
        "interpreter_needed": forms.BooleanField(label=_("Needs an interpreter"), required=False),
        "interpreter_notes": _text(
            _("Interpreter needs"), long=True, help_text=_("For example a preferred gender or dialect.")
        ),
        "exploitation_forms": forms.MultipleChoiceField(
            label=_("Forms of exploitation"),
            required=False,
            choices=exploitation_choices(),
            widget=forms.CheckboxSelectMultiple,
        ),
        "recruitment_countries": _countries(_("Countries of recruitment")),
        "recruitment_places": _text(_("Places of recruitment"), long=True),
        "exploitation_countries": _countries(_("Countries of exploitation")),
        "exploitation_places": _text(_("Places of exploitation"), long=True),
        "identified_on": _date(_("Date the person was identified"), required=True),
        "identified_where": _text(_("Where the person was identified")),
        "identified_by": forms.ChoiceField(
            label=_("Identified by"), required=False, choices=[("", _("Choose"))] + IDENTIFIED_BY_CHOICES
        ),
        "immediate_danger": forms.BooleanField(
            label=_("The person is in immediate danger"),
            required=False,
            help_text=_("You will be shown the emergency protocol and local emergency contacts."),
        ),
        "risk_level": forms.ChoiceField(
            label=_("Risk"), choices=RiskLevel.choices, initial=RiskLevel.UNKNOWN, widget=forms.RadioSelect
        ),
        "risk_notes": _text(_("Safety and risk assessment"), long=True),
        "risk_assessed_on": _date(_("Date of the risk assessment")),
        "contact": _text(
            _("How to contact the person safely"), long=True, help_text=_("Say when and how contact is safe.")
        ),
        "documents": _text(
            _("Identity and travel documents"), long=True, help_text=_("Which documents the person holds.")
        ),
        "documents_withheld": forms.BooleanField(
            label=_("Someone else holds the person's documents"), required=False
        ),
    }


@dataclass(frozen=True)
class Section:
    id: str
    title: Any
    fields: tuple[str, ...]


SECTIONS = (
    Section(
        "person",
        _("About the person"),
        (
            "given_names",
            "family_name",
            "aliases",
            "date_of_birth",
            "estimated_age",
            "appears_minor",
            "age_assessed_on",
            "sex",
            "gender_identity",
        ),
    ),
    Section(
        "background",
        _("Citizenship and languages"),
        ("citizenships", "languages", "interpreter_needed", "interpreter_notes"),
    ),
    Section(
        "exploitation",
        _("Exploitation and identification"),
        (
            "exploitation_forms",
            "recruitment_countries",
            "recruitment_places",
            "exploitation_countries",
            "exploitation_places",
            "identified_on",
            "identified_where",
            "identified_by",
        ),
    ),
    Section(
        "safety", _("Safety and risk"), ("immediate_danger", "risk_level", "risk_notes", "risk_assessed_on")
    ),
    Section("contact", _("Contact and documents"), ("contact", "documents", "documents_withheld")),
)
SECTIONS_BY_ID = {s.id: s for s in SECTIONS}
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
