"""Forms for the NRM steps of a case: consent, referral, stage change and decision. Each carries an
idempotency key (`lantern.web.idempotency`): a double click or a resend after "Not saved" is applied once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from lantern.web.idempotency import IdempotentFormMixin

from .forms import DateInput
from .models import Basis, Outcome, Purpose


class ConsentForm(IdempotentFormMixin, forms.Form):
    purpose = forms.ChoiceField(
        label=_("What does the consent cover?"), choices=Purpose.choices, widget=forms.RadioSelect
    )
    basis = forms.ChoiceField(label=_("Who gave it?"), choices=Basis.choices, widget=forms.RadioSelect)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        help_text=_(
            "For a referral: the organisation named to the person. For the competent authority: leave "
            "empty to cover any competent authority."
        ),
    )
    recipient_country = forms.ChoiceField(
        label=_("Country the data would go to"), required=False, choices=[("", _("Choose"))] + list(countries)
    )
    language = forms.CharField(
        label=_("Language in which consent was explained"),
        required=False,
        max_length=8,
        help_text=_("A language code, for example: ar"),
    )
    interpreter_used = forms.BooleanField(label=_("An interpreter interpreted"), required=False)
    interpreter = forms.CharField(label=_("Interpreter's name or reference"), required=False, max_length=200)
    representative = forms.CharField(
        label=_("Guardian or representative"),
        required=False,
        max_length=200,
        help_text=_("For a child: the person who gave consent on the child's behalf."),
    )
    best_interests_note = forms.CharField(
        label=_("Why this is in the child's best interests"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    given_on = forms.DateField(
        label=_("Date"), required=False, widget=DateInput(), help_text=_("Leave empty for today.")
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class RevokeConsentForm(IdempotentFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReferForm(IdempotentFormMixin, forms.Form):
    authority = forms.ModelChoiceField(
        label=_("Competent authority"), queryset=None, empty_label=_("Choose the competent authority")
    )
    on = forms.DateField(
        label=_("Date of the referral"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for today."),
    )
    best_interests_note = forms.CharField(
        label=_("Why the referral is in the child's best interests"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Needed when no guardian has consented: a child is referred in their best interests."),
    )

    def __init__(self, *args: Any, authorities: Any, child: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        if not child:
            del self.fields["best_interests_note"]


class StageForm(IdempotentFormMixin, forms.Form):
    to_stage = forms.ChoiceField(label=_("Move the case to"), widget=forms.RadioSelect)
    on = forms.DateField(
        label=_("Date"), required=False, widget=DateInput(), help_text=_("Leave empty for today.")
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = choices


class DecisionForm(IdempotentFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DateInput())
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)


class CaseFilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue decisions"), required=False)
    owner = forms.ChoiceField(
        label=_("Owner"),
        required=False,
        choices=[("", _("Anyone")), ("mine", _("Mine")), ("unassigned", _("Nobody: the team's queue"))],
    )
    family_name = forms.CharField(label=_("Family name (exact)"), required=False, max_length=200)

    def __init__(self, *args: Any, stages: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", _("Open cases, any stage"))] + stages
