"""factory_boy factories for screenings, and a helper that walks a screening to a given step."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from lantern.screening.models import AgeGroup, Consent, GenderPreference, Screening, Status


class ScreeningFactory(factory.django.DjangoModelFactory):
    """A screening just started (setting step). Pass `created_by`; the organisation follows it."""

    class Meta:
        model = Screening

    created_by = factory.SubFactory("lantern.accounts.tests.factories.UserFactory")
    organisation = factory.LazyAttribute(lambda s: s.created_by.organisation)


def interviewing(created_by: Any, **fields: Any) -> Screening:
    """A screening with the setting recorded and consent given: questions may be asked."""
    values = {
        "setting_recorded_at": timezone.now(),
        "interview_language": "en",
        "screener_language": "en",
        "gender_preference": GenderPreference.NO_PREFERENCE,
        "private_space": True,
        "consent": Consent.GIVEN,
        "consent_at": timezone.now(),
        "status": Status.INTERVIEW,
        "age_group": AgeGroup.ADULT,
        **fields,
    }
    return ScreeningFactory(created_by=created_by, **values)
