"""May a case's data be shared for a purpose? `consent_allows` is THE check every sharing path calls.

The rule, in one place (a SQL condition, so that lists and single objects agree):
- an adult: an active consent given by the person for that purpose (and that organisation); where the profile
  does not require an adult's consent to a referral, referral purposes are allowed without one;
- a child (or a person presumed to be one, CETS 197 art. 10(3)): an active consent of the guardian or
  representative; or, for referral purposes where the profile does not require a child's consent, an active
  best-interests determination recorded for that purpose (domain.md §3);
- a revoked consent allows nothing from the moment of revocation.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from .models import Basis, Case, Consent, Purpose
from .procedure.profiles import load_profiles

REFERRAL_PURPOSES = frozenset({Purpose.REFERRAL, Purpose.COMPETENT_AUTHORITY})
NEVER = Q(pk__in=[])


def _organisation_id(organisation: Any) -> Any:
    return getattr(organisation, "pk", organisation)


def sharing_allowed_q(purpose: str, organisation: Any = None) -> Q:
    """A condition on Case: the cases whose data may be shared for `purpose` (with `organisation`).

    `organisation` is an Organisation, an id, an expression such as ``OuterRef("referred_to_id")`` (relative
    to the case) or None (any recipient; not allowed for referrals to a named organisation).
    """
    purpose = Purpose(purpose)
    consents = Consent.objects.filter(case=OuterRef("pk"), purpose=purpose, revoked_at__isnull=True)
    if purpose == Purpose.REFERRAL:
        if organisation is None:
            raise ValueError("a referral consent names the organisation: pass organisation=")
        consents = consents.filter(organisation=_organisation_id(organisation))
    elif organisation is not None:
        consents = consents.filter(
            Q(organisation__isnull=True) | Q(organisation=_organisation_id(organisation))
        )
    profiles = load_profiles().profiles.values()
    referral = purpose in REFERRAL_PURPOSES
    adult_free = [p.id for p in profiles if not p.consent_required(child=False)] if referral else []
    child_free = [p.id for p in profiles if not p.consent_required(child=True)] if referral else []
    # Who may give it: the person for an adult, the guardian or representative for a child, or (where the
    # profile allows) a best-interests determination for a child. One EXISTS with the case's side inside it,
    # rather than one EXISTS per basis OR-ed together: PostgreSQL can then walk a list in order and probe
    # each case's consents (a semi-join that stops after a page), where the OR made it hash every live
    # consent of the purpose first (60 ms and more at 100k cases, on every page).
    given = Q(basis=Basis.PERSON, case__treated_as_child=False) | Q(
        basis=Basis.GUARDIAN, case__treated_as_child=True
    )
    if child_free:
        given |= Q(basis=Basis.BEST_INTERESTS, case__treated_as_child=True, case__profile__in=child_free)
    allowed = Exists(consents.filter(given))
    if adult_free:  # an adult's referral needs no consent under these profiles
        return allowed | Q(treated_as_child=False, profile__in=adult_free)
    return Q(allowed)


def consent_allows(case: Case, purpose: str, organisation: Any = None) -> bool:
    """True when `case`'s data may be shared now for `purpose` (with `organisation`). One query."""
    if case.pk is None:
        return False
    return Case.objects.filter(pk=case.pk).filter(sharing_allowed_q(purpose, organisation)).exists()


def best_interests_allowed(case: Case, purpose: str) -> bool:
    """Whether a best-interests determination may stand in for consent for this case and purpose."""
    return (
        case.treated_as_child
        and purpose in REFERRAL_PURPOSES
        and not case.nrm_profile.consent_required(child=True)
    )
