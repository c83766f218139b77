"""The one accept-or-decline form: a referral and a handover are answered the same way."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .idempotency import IdempotentFormMixin


class AcceptOrDeclineForm(IdempotentFormMixin, forms.Form):
    """An answer and, for a decline, the reason. Subclasses name the answer and its choices; the services
    refuse a decline without a reason. `reason_required_when` names the answer that needs the reason, so
    that the page does not call it optional (None: the field is shown as optional)."""

    answer_label: Promise | str = _("Accept or decline")
    accept_label: Promise | str = _("Accept")
    decline_label: Promise | str = _("Decline")
    reason_help: Promise | str = ""
    reason_required_when: Promise | str | None = None

    answer = forms.ChoiceField(widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        answer, reason = self.fields["answer"], self.fields["reason"]
        answer.label = self.answer_label
        answer.choices = [("accept", self.accept_label), ("decline", self.decline_label)]
        reason.help_text = self.reason_help
        if self.reason_required_when is not None:
            reason.required_when = self.reason_required_when
