"""Forms of the review queue. They parse input; the rules are the services'. Each carries an idempotency key
(`lantern.web.idempotency`): a double click decides once."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.web.idempotency import IdempotentFormMixin

from .models import Verdict

REASON_MAX = 1000


def _reason(label: object, help_text: object) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


class DecisionForm(IdempotentFormMixin, forms.Form):
    verdict = forms.ChoiceField(
        label=_("Are these two cases the same person?"),
        choices=Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the two cases are the same person.")},
    )
    reason = _reason(
        _("Reason"),
        _("For example the document or fact the decision rests on. Other coordinators see it."),
    )


class UndoForm(IdempotentFormMixin, forms.Form):
    reason = _reason(
        _("Why the decision is undone"),
        _("For example what turned out to be wrong. Other coordinators see it."),
    )


class RunForm(IdempotentFormMixin, forms.Form):
    pass
