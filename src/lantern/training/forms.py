"""Forms for the quiz and the practice cases, built from the content files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.screening.engine import OUTCOMES

from .content import Question

FIELD_PREFIX = "q_"


class QuizForm(forms.Form):
    """One field per question of the attempt, options in the attempt's order; `module` must match it."""

    module = forms.CharField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, bank: Mapping[str, Question], layout: Sequence[Mapping[str, Any]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.layout = layout
        for number, entry in enumerate(layout, start=1):
            question = bank[entry["id"]]
            choices = [(option_id, question.option(option_id).text) for option_id in entry["options"]]
            label = f"{number}. {question.text}"
            if question.kind == "multiple":
                self.fields[FIELD_PREFIX + question.id] = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Select all that apply."),
                    error_messages={"required": _("Answer this question: select at least one option.")},
                )
            else:
                self.fields[FIELD_PREFIX + question.id] = forms.ChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Answer this question: select one option.")},
                )

    def extra_question_keys(self) -> list[str]:
        """Posted question fields that this attempt did not show (a tampered submission)."""
        return [key for key in self.data if key.startswith(FIELD_PREFIX) and key not in self.fields]

    def answers(self) -> dict[str, list[str]]:
        result = {}
        for name, value in self.cleaned_data.items():
            if name.startswith(FIELD_PREFIX):
                result[name.removeprefix(FIELD_PREFIX)] = list(value) if isinstance(value, list) else [value]
        return result


OUTCOME_LABELS = {
    "presumed-victim": _("Presumed victim: refer for identification"),
    "further-assessment": _("Some indicators: further assessment needed"),
    "no-indicators": _("No indicators of trafficking"),
}


class PracticeForm(forms.Form):
    """The trainee's reading of a practice case: the indicators seen in the story (one group per dimension),
    and the outcome."""

    def __init__(
        self, *args: Any, groups: Sequence[tuple[str, str, list[tuple[str, str]]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for dimension, label, choices in groups:
            self.fields["dim_" + dimension] = forms.MultipleChoiceField(
                label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
            )
        self.fields["outcome"] = forms.ChoiceField(
            label=_("What should the screening conclude?"),
            choices=[(o, OUTCOME_LABELS[o]) for o in OUTCOMES],
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose the outcome you expect.")},
        )

    def observed(self) -> set[str]:
        return {
            indicator
            for name, value in self.cleaned_data.items()
            if name.startswith("dim_")
            for indicator in value
        }
