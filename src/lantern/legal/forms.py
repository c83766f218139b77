"""Forms of the legal track. They parse input only; the services check and save (explicit fields). Each
carries an idempotency key (`lantern.web.idempotency`): a double click or a resend is applied once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.cases.forms import DateInput
from lantern.web.idempotency import IdempotentFormMixin

from .models import (
    CompensationClaim,
    CriminalProceeding,
    Hearing,
    InformationMethod,
    LegalTrack,
    OffenceCategory,
    ProtectiveMeasure,
    ResidencePermit,
    RightsInformation,
)
from .services import EXTRA_LAWYER_GROUPS

GROUP_LABELS = {
    "identity": _("About the person (names, age, sex)"),
    "background": _("Citizenship, languages and interpreter needs"),
    "exploitation": _("Exploitation and identification"),
    "documents": _("Identity documents and attached documents"),
    "timeline": _("The case's timeline and NRM decisions"),
}

TEXT = {"rows": 3}


def _checkboxes(label: Any, choices: Any, help_text: Any = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
    )


class LegalModelForm(IdempotentFormMixin, forms.ModelForm):
    """Dates as date pickers, choices as radios, encrypted text limited in length."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
            elif isinstance(field, forms.TypedChoiceField) and not isinstance(
                field.widget, forms.CheckboxSelectMultiple
            ):
                field.choices = [c for c in field.choices if c[0] != ""]
                field.widget = forms.RadioSelect(choices=field.choices)
            elif isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea):
                field.max_length = 4000
                field.widget.attrs.update(TEXT)


class NonPunishmentForm(LegalModelForm):
    non_punishment_categories = _checkboxes(_("Kinds of offence"), OffenceCategory.choices)

    class Meta:
        model = LegalTrack
        fields = [
            "non_punishment_applies",
            "non_punishment_categories",
            "non_punishment_offences",
            "non_punishment_status",
            "non_punishment_raised_on",
        ]
        help_texts = {
            "non_punishment_applies": _(
                "The person may have been compelled to commit offences as a result of being trafficked "
                "(CETS 197 art. 26; EU Directive 2011/36/EU art. 8)."
            ),
            "non_punishment_offences": _("Which offences, where and when (kept encrypted)."),
        }


class RightsInformationForm(LegalModelForm):
    methods = _checkboxes(_("How was the information given?"), InformationMethod.choices)

    class Meta:
        model = RightsInformation
        fields = ["given_on", "language", "methods", "given_by", "notes"]
        help_texts = {
            "language": _("A language code, for example: ar"),
            "given_by": _("Name and role of the person who explained the rights."),
        }
        widgets = {"given_by": forms.TextInput()}

    def clean_language(self) -> str:
        code = (self.cleaned_data.get("language") or "").strip().lower()
        if not (2 <= len(code) <= 8 and code.replace("-", "").isalpha()):
            raise forms.ValidationError(_("Enter a language code, for example: ar"))
        return code

    def clean_methods(self) -> list[str]:
        methods = self.cleaned_data.get("methods") or []
        if not methods:
            raise forms.ValidationError(_("Choose how the information was given."))
        return methods


class ProceedingForm(LegalModelForm):
    measures_requested = _checkboxes(_("Protective measures requested"), ProtectiveMeasure.choices)
    measures_granted = _checkboxes(_("Protective measures granted"), ProtectiveMeasure.choices)

    class Meta:
        model = CriminalProceeding
        fields = [
            "role",
            "status",
            "court",
            "case_number",
            "opened_on",
            "measures_requested",
            "measures_granted",
            "notes",
        ]
        widgets = {"court": forms.TextInput(), "case_number": forms.TextInput()}


class HearingForm(LegalModelForm):
    class Meta:
        model = Hearing
        fields = ["on", "purpose"]
        widgets = {"purpose": forms.TextInput()}


class ResidencePermitForm(LegalModelForm):
    class Meta:
        model = ResidencePermit
        fields = ["type", "applied_on", "decided_on", "expires_on", "outcome", "permit_number", "notes"]
        widgets = {"permit_number": forms.TextInput()}


class CompensationClaimForm(LegalModelForm):
    class Meta:
        model = CompensationClaim
        fields = [
            "against",
            "status",
            "currency",
            "amount_claimed",
            "amount_awarded",
            "filed_on",
            "decided_on",
            "notes",
        ]
        help_texts = {"currency": _("A three-letter code, for example EUR.")}


class AssignLawyerForm(IdempotentFormMixin, forms.Form):
    lawyer = forms.ModelChoiceField(
        label=_("Lawyer"),
        queryset=None,
        empty_label=_("Choose the lawyer"),
        help_text=_(
            "Lawyers of your organisation, and of organisations the person agreed to be referred to. "
            "To choose another, record the person's consent to a referral first."
        ),
    )
    extra_groups = _checkboxes(
        _("What else may the lawyer see?"),
        [(group, GROUP_LABELS[group]) for group in EXTRA_LAWYER_GROUPS],
        help_text=_("The lawyer always sees the legal track. Share only what they need."),
    )

    def __init__(self, *args: Any, lawyers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lawyer"].queryset = lawyers
        self.fields["lawyer"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username} — {user.organisation.name}"
        )


class EndAssignmentForm(IdempotentFormMixin, forms.Form):
    """The button that ends the lawyer's access: only the idempotency key."""


FORMS: dict[str, type[forms.ModelForm]] = {
    "rights": RightsInformationForm,
    "proceedings": ProceedingForm,
    "hearings": HearingForm,
    "permits": ResidencePermitForm,
    "claims": CompensationClaimForm,
}
