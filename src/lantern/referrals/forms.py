"""Forms for the directory, referrals and the support plan. They parse and show input; the rules are the
services'. Forms that change a referral carry an idempotency key (`lantern.web.idempotency`): a double click
or a resend acts once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.accounts.roles import Service
from lantern.cases.forms import DateInput
from lantern.web.answer_forms import AcceptOrDeclineForm
from lantern.web.idempotency import IdempotentFormMixin

from .models import AgeProvision, GenderProvision, NeedKind, NeedStatus, Priority
from .policies import REFERRABLE_GROUPS
from .presenters import group_label, offer_choice_label


def _languages(raw: str) -> list[str]:
    return [code.strip().lower() for code in (raw or "").split(",") if code.strip()]


class DirectoryFilterForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), required=False)
    region = forms.CharField(label=_("Region or city"), required=False, max_length=100)
    language = forms.CharField(
        label=_("Language the service works in"),
        required=False,
        max_length=8,
        help_text=_("A language code, for example: ar"),
    )
    gender = forms.ChoiceField(
        label=_("Open to"),
        required=False,
        choices=[("", _("Anyone")), (GenderProvision.WOMEN, _("Women")), (GenderProvision.MEN, _("Men"))],
    )
    ages = forms.ChoiceField(
        label=_("Age"),
        required=False,
        choices=[
            ("", _("Any age")),
            (AgeProvision.ADULTS, _("Adults")),
            (AgeProvision.CHILDREN, _("Children")),
        ],
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    free_only = forms.BooleanField(label=_("Only services with free places"), required=False)

    def __init__(self, *args: Any, countries: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("Any service")), *Service.choices]
        self.fields["country"].choices = [("", _("Any country")), *countries]


class OfferForm(IdempotentFormMixin, forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    region = forms.CharField(label=_("Region or city"), max_length=100)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the service offers and how to access it. No names of staff or residents."),
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=200,
        help_text=_("Language codes, separated by commas, for example: el, en, ar"),
    )
    gender = forms.ChoiceField(
        label=_("Who is it for (gender)?"), choices=GenderProvision.choices, widget=forms.RadioSelect
    )
    ages = forms.ChoiceField(
        label=_("Who is it for (age)?"), choices=AgeProvision.choices, widget=forms.RadioSelect
    )
    total_places = forms.IntegerField(
        label=_("Places in total"),
        required=False,
        min_value=0,
        help_text=_(
            "For accommodation and other services with a limited number of places. Leave empty if not."
        ),
    )
    free_places = forms.IntegerField(label=_("Free places now"), required=False, min_value=0)
    phone = forms.CharField(
        label=_("Organisation's phone"),
        required=False,
        max_length=40,
        help_text=_("A switchboard or duty phone, not a person's own number."),
    )
    email = forms.EmailField(
        label=_("Organisation's email"),
        required=False,
        help_text=_("A shared address such as referrals@…, not a person's own address."),
    )
    active = forms.BooleanField(label=_("The service is offered now"), required=False, initial=True)

    def clean_languages(self) -> list[str]:
        return _languages(self.cleaned_data.get("languages", ""))

    @staticmethod
    def initial_for(offer: Any) -> dict[str, Any]:
        fields = ("service", "region", "description", "gender", "ages", "total_places", "free_places")
        initial = {name: getattr(offer, name) for name in fields}
        initial.update(phone=offer.phone, email=offer.email, active=offer.active)
        initial["languages"] = ", ".join(offer.languages)
        return initial


class OfferChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return offer_choice_label(obj)


class ReferralForm(IdempotentFormMixin, forms.Form):
    offer = OfferChoiceField(
        label=_("Service"),
        queryset=None,
        empty_label=_("Choose a service"),
        help_text=_("Services of other organisations in the directory, with their free places."),
    )
    field_groups = forms.MultipleChoiceField(
        label=_("What the service may see of the case"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only what the service needs. It is taken from the case: nothing needs to be entered again. "
            "The person's consent to this referral is needed before it is sent."
        ),
    )
    needs = forms.ModelMultipleChoiceField(
        label=_("Needs this referral should meet"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(
        label=_("What the service should know"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example practical arrangements. Do not repeat what the case record already holds."),
    )

    def __init__(
        self, *args: Any, offers: Any, needs: Any, groups: tuple[str, ...] = REFERRABLE_GROUPS, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers
        self.fields["field_groups"].choices = [(g, group_label(g)) for g in groups]
        self.fields["needs"].queryset = needs
        self.fields["needs"].label_from_instance = lambda need: need.get_kind_display()
        if not needs.exists():
            del self.fields["needs"]


class ConfirmForm(IdempotentFormMixin, forms.Form):
    """A button that changes a referral (send, withdraw, close): only the idempotency key."""


class AnswerForm(AcceptOrDeclineForm):
    accept_label = _("Accept the referral")
    decline_label = _("Decline the referral")
    reason_help = _("Required if you decline. The referrer sees it.")
    reason_required_when = _("decline")


class NeedForm(IdempotentFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Need"), choices=NeedKind.choices)
    description = forms.CharField(
        label=_("The need as assessed with the person"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Support does not depend on whether the person cooperates with the authorities."),
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, widget=forms.RadioSelect, initial=Priority.NORMAL
    )
    status = forms.ChoiceField(label=_("Status"), choices=NeedStatus.choices, initial=NeedStatus.IDENTIFIED)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DateInput())

    @staticmethod
    def initial_for(need: Any) -> dict[str, Any]:
        return {
            name: getattr(need, name) for name in ("kind", "description", "priority", "status", "target_date")
        }


class NeedStatusForm(IdempotentFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"))

    def __init__(self, *args: Any, statuses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, NeedStatus(s).label) for s in statuses]
