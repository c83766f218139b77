"""The screening pages' forms. Each carries the screening's `version` and an idempotency key.

`partial=True` (the "Save and pause" button) lifts the required fields: a person may need to stop at once,
and whatever was entered is kept rather than refused.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.web.idempotency import IdempotentFormMixin

from .models import AgeGroup, Answer, Consent, Gender, GenderPreference
from .selectors import Bilingual

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes_no(label: Any, **kwargs: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
        **kwargs,
    )


class StartForm(IdempotentFormMixin, forms.Form):
    person_reference = forms.CharField(
        label=_("Reference for the person"),
        help_text=_(
            "For example the centre's registration number. Leave it empty for an anonymous preliminary "
            "screening. Write a name only if the person agreed to it."
        ),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class ScreeningStepForm(IdempotentFormMixin, forms.Form):
    """A page of a screening: the version it was opened at, and whether required fields apply."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, partial: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partial = partial
        if partial:
            for name, field in self.fields.items():
                if name != "version":
                    field.required = False


class SettingForm(ScreeningStepForm):
    interview_language = forms.ChoiceField(
        label=_("Language of the interview"),
        help_text=_("The language the person is most comfortable in. Questions are shown in it as well."),
    )
    screener_language = forms.ChoiceField(
        label=_("Your language for the questions"),
        help_text=_("The language you read the questions in, shown beside the person's language."),
    )
    interpreter_used = _yes_no(_("Is an interpreter taking part?"))
    interpreter_gender = forms.ChoiceField(
        label=_("Gender of the interpreter"),
        help_text=_("Only when an interpreter takes part."),
        choices=Gender.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    interviewer_gender = forms.ChoiceField(
        label=_("Your gender (the interviewer's)"),
        choices=Gender.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    gender_preference = forms.ChoiceField(
        label=_("Did the person have a preference for the gender of the interviewer and interpreter?"),
        help_text=_(
            "Ask before the interview. Many people find it easier to talk to someone of their gender."
        ),
        choices=GenderPreference.choices,
        widget=forms.RadioSelect,
    )
    gender_preference_unmet_reason = forms.CharField(
        label=_("Why could the preference not be met?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )
    private_space = _yes_no(
        _("Is the interview in a private space?"),
        help_text=_("Where no one else can hear or see the person, including companions or other residents."),
    )
    child_friendly = forms.BooleanField(
        label=_("Use child-friendly mode"),
        help_text=_(
            "Simpler wording and an introduction for children. Switched on when the person may be a child."
        ),
        required=False,
    )

    # The interview content's guidance (`setting_help`) for the fields it concerns.
    HELP_FOR = {"interpreter_gender": "gender_preference", "private_space": "private_space",
                "child_friendly": "child_friendly"}  # fmt: skip

    def __init__(
        self, *args: Any, languages: list[tuple[str, str]], guidance: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for key, name in self.HELP_FOR.items():
            if guidance.get(key):
                self.fields[name].help_text = guidance[key]
        self.fields["interview_language"].choices = [("", _("Choose a language")), *languages]
        self.fields["screener_language"].choices = languages

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.partial:
            return data
        if data.get("interpreter_used") and not data.get("interpreter_gender"):
            self.add_error("interpreter_gender", _("Select the gender of the interpreter."))
        if (
            data.get("gender_preference") == GenderPreference.NOT_MET
            and not (data.get("gender_preference_unmet_reason") or "").strip()
        ):
            self.add_error(
                "gender_preference_unmet_reason", _("Say why the person's preference could not be met.")
            )
        return data

    def setting_changes(self) -> dict[str, Any]:
        """The fields given (a paused partial form leaves the others as they were)."""
        data = self.cleaned_data
        return {
            name: value
            for name, value in data.items()
            if name not in ("version", "idempotency_key") and (not self.partial or value not in (None, ""))
        }


class ConsentForm(ScreeningStepForm):
    consent = forms.ChoiceField(
        label=_("Does the person agree to continue?"),
        choices=[
            (Consent.GIVEN, _("Yes, the person agrees to answer questions")),
            (Consent.REFUSED, _("No, the person does not agree")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether the person agrees to continue.")},
    )


class FirstSignsForm(ScreeningStepForm):
    signs = forms.MultipleChoiceField(
        label=_("Which signs have you observed?"),
        help_text=_("Select all that apply. These are your own observations: no question is asked."),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, signs: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signs"].choices = signs


class AgeForm(ScreeningStepForm):
    age_group = forms.ChoiceField(
        label=_("How old is the person?"),
        help_text=_(
            "If the age is not known and the person may be under 18, they are treated as a child until "
            "their age is established (presumption of minority)."
        ),
        choices=AgeGroup.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the person's age group.")},
    )


def field_name(indicator_id: str) -> str:
    """The form field of an indicator: ``dr.wages`` -> ``q_dr__wages`` (ids and CSS selectors stay simple)."""
    return "q_" + indicator_id.replace(".", "__")


class ThemeForm(ScreeningStepForm):
    """One radio group per question of a theme; none is required (an unanswered question is "not asked")."""

    def __init__(
        self,
        *args: Any,
        indicators: list[tuple[str, str]],
        answer_labels: dict[str, Bilingual],
        **kwargs: Any,
    ) -> None:
        """`indicators`: (id, label in the screener's language); the screener records the indicator."""
        super().__init__(*args, **kwargs)
        self.indicator_of: dict[str, str] = {}
        choices = [(value, str(answer_labels[value].screener)) for value in Answer.values]
        for indicator_id, label in indicators:
            name = field_name(indicator_id)
            self.indicator_of[name] = indicator_id
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                widget=forms.RadioSelect,
                required=False,
            )

    def answers(self) -> dict[str, str | None]:
        return {
            indicator: (self.cleaned_data.get(name) or None) for name, indicator in self.indicator_of.items()
        }

    def question_fields(self) -> list[Any]:
        return [self[name] for name in self.indicator_of]


class CompleteForm(ScreeningStepForm):
    notes = forms.CharField(
        label=_("Notes"),
        help_text=_(
            "Anything a colleague needs to know, such as follow-up agreed with the person. "
            "Do not repeat the person's account in detail."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )
