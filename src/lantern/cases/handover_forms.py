"""Forms for a case's owner and its handover to another organisation (rules: `ownership`, `handovers`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.web.answer_forms import AcceptOrDeclineForm
from lantern.web.idempotency import IdempotentFormMixin


class OwnerForm(IdempotentFormMixin, forms.Form):
    owner = forms.ChoiceField(label=_("Owner"), required=False)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("Nobody: the team's queue"))] + [
            (str(person.pk), person.get_full_name() or person.username) for person in people
        ]


class HandoverForm(IdempotentFormMixin, forms.Form):
    to_organisation = forms.ModelChoiceField(
        label=_("Organisation that takes the case"),
        queryset=None,
        empty_label=_("Choose an organisation"),
        help_text=_("An organisation that manages cases. The person must have consented to it."),
    )
    message = forms.CharField(
        label=_("Message to the organisation"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What they need to know to take the case up."),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = organisations


class HandoverAnswerForm(AcceptOrDeclineForm):
    answer_label = _("Your answer")
    accept_label = _("Accept: we take the case")
