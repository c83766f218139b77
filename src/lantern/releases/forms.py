"""Forms for making and reviewing releases. Limits mirror the services' checks (which have the last word)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.web.idempotency import IdempotentFormMixin

from . import kanon, services
from .dp import DEFAULT_EPSILON


class MicrodataReleaseForm(IdempotentFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    k = forms.IntegerField(
        label=_("k"),
        initial=kanon.DEFAULT_K,
        min_value=services.K_RANGE[0],
        max_value=services.K_RANGE[1],
        help_text=_(
            "Every combination of age group, sex, citizenship, type of exploitation, year and country "
            "of exploitation will be shared by at least k persons."
        ),
    )
    max_suppression = forms.IntegerField(
        label=_("Largest share of persons left out (%)"),
        initial=round(kanon.DEFAULT_MAX_SUPPRESSION * 100),
        min_value=0,
        max_value=round(services.MAX_SUPPRESSION_LIMIT * 100),
        help_text=_(
            "Persons in groups smaller than k are left out, up to this share; beyond it, the values "
            "are generalised further."
        ),
    )


class TablesReleaseForm(IdempotentFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    epsilon = forms.FloatField(
        label=_("Epsilon (privacy budget)"),
        initial=DEFAULT_EPSILON,
        min_value=services.EPSILON_RANGE[0],
        max_value=services.EPSILON_RANGE[1],
        help_text=_("Smaller is more private and less precise. It is shared equally between the tables."),
    )
    year_from = forms.IntegerField(label=_("First year"), min_value=1990, max_value=2100)
    year_to = forms.IntegerField(label=_("Last year"), min_value=1990, max_value=2100)
    seed = forms.IntegerField(
        label=_("Seed (review runs only)"),
        required=False,
        min_value=0,
        help_text=_(
            "Leave empty for a release that can be published. With a seed, the same tables come out "
            "every time, for checking; such a release can never be published."
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        self.fields["year_from"].initial = year - 9
        self.fields["year_to"].initial = year


class ConfirmForm(IdempotentFormMixin, forms.Form):
    """A button that moves a release on (approve, publish): only the idempotency key."""
