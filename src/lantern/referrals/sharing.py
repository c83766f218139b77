"""Which consent a referral rests on. Whether sharing is allowed at all is `cases.consents.consent_allows`;
this finds the consent record to tie the access grant to, so that revoking it ends the access."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lantern.cases.consents import best_interests_allowed, consent_allows
from lantern.cases.models import Basis, Case, Consent, Purpose


def _bases(case: Case, purpose: str) -> list[str]:
    """The bases a consent may have for this person, preferred first (a guardian's over best interests)."""
    if not case.treated_as_child:
        return [Basis.PERSON]
    return [Basis.GUARDIAN] + ([Basis.BEST_INTERESTS] if best_interests_allowed(case, purpose) else [])


def _first(consents: QuerySet[Consent], case: Case, purpose: str) -> Consent | None:
    for basis in _bases(case, purpose):
        found = consents.filter(basis=basis).order_by("-given_on", "-pk").first()
        if found is not None:
            return found
    return None


def referral_consent_for(case: Case, organisation: Any) -> Consent | None:
    """The active consent to a referral to `organisation` (None when there is none — including where the
    NRM profile lets an adult be referred without one; ask `consent_allows` whether sharing is allowed)."""
    consents = Consent.objects.active().filter(case=case, purpose=Purpose.REFERRAL, organisation=organisation)
    return _first(consents, case, Purpose.REFERRAL)


def transnational_consent_for(case: Case, organisation: Any) -> Consent | None:
    """The active consent to a transfer of the data to `organisation`'s country, or None.

    A transfer abroad always needs its own consent (for a child, the guardian's), naming the country.
    """
    if not consent_allows(case, Purpose.TRANSNATIONAL, organisation):
        return None
    consents = Consent.objects.active().filter(
        Q(organisation__isnull=True) | Q(organisation=organisation),
        case=case,
        purpose=Purpose.TRANSNATIONAL,
        recipient_country=organisation.country.code,
    )
    return _first(consents, case, Purpose.TRANSNATIONAL)
