"""May a case's data be shared, and on which consent? The one module that answers it.

- **The rule** — `consent_allows` (one case) and `sharing_allowed_q` (a SQL condition, so that lists and
  single objects agree) are THE check every sharing path calls:
  - an adult: an active consent given by the person for that purpose (and that organisation); where the
    profile does not require an adult's consent to a referral, referral purposes are allowed without one;
  - a child (or a person presumed to be one, CETS 197 art. 10(3)): an active consent of the guardian or
    representative; or, for referral purposes where the profile does not require a child's consent, an
    active best-interests determination recorded for that purpose (domain.md §3);
  - a revoked consent allows nothing from the moment of revocation.
- **Which consent a grant rests on** — `referral_consent_for` (a referral, a lawyer of another organisation)
  and `transnational_consent_for` (a transfer abroad): for a child the guardian's consent is preferred over
  a best-interests determination, then the most recent.
- **Granting and ending access** — `grant_case_access` (`record_grant` for a service that checked its own
  gate), `revoke_case_access` (by a user), `end_access` (by a service, e.g. a referral declined),
  `end_access_resting_on` (a consent revoked: here and, through
  `reactions.CONSENT_REVOKED`, other apps' grants resting on it), `end_all_access` (an erased case).
  Other apps call these rather than changing `CaseAccess` rows themselves.

Recording and revoking a consent are services (`services.record_consent`, `services.revoke_consent`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.authz import gate

from . import reactions
from .models import ALL_FIELD_GROUPS, Basis, Case, CaseAccess, CaseEvent, Consent, Purpose
from .procedure.profiles import load_profiles
from .timeline import log_event

REFERRAL_PURPOSES = frozenset({Purpose.REFERRAL, Purpose.COMPETENT_AUTHORITY})
NEVER = Q(pk__in=[])


# The rule ---------------------------------------------------------------------------------------------------


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


# Which consent a grant rests on ---------------------------------------------------------------------------


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
    """The active consent to a referral to `organisation` that a grant to it rests on: for a child the
    guardian's before a best-interests determination, then the most recent. None when there is none —
    including where the NRM profile lets an adult be referred without one (`consent_allows` says whether
    sharing is allowed)."""
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


# Granting and ending access -------------------------------------------------------------------------------


@transaction.atomic
def grant_case_access(
    *,
    actor: Any,
    case: Case,
    field_groups: list[str],
    user: Any = None,
    organisation: Any = None,
    consent: Consent | None = None,
    reason: str = "",
    expires_on: dt.date | None = None,
) -> CaseAccess:
    """Let one user or one organisation see `field_groups` of the case (until revoked, expiry or the consent
    it rests on is revoked). Whether the sharing is allowed is the caller's check: `consent_allows`."""
    gate.require(actor, "case.grant_access", case)
    return record_grant(
        actor=actor,
        case=case,
        field_groups=field_groups,
        user=user,
        organisation=organisation,
        consent=consent,
        reason=reason,
        expires_on=expires_on,
    )


@transaction.atomic
def record_grant(
    *,
    actor: Any,
    case: Case,
    field_groups: list[str],
    user: Any = None,
    organisation: Any = None,
    consent: Consent | None = None,
    reason: str = "",
    expires_on: dt.date | None = None,
) -> CaseAccess:
    """`grant_case_access` for a service that checked its own gate: a handover accepted by the receiver
    leaves the sender a grant that the receiver's decision-maker could not give by hand."""
    errors: dict[str, list[str]] = {}
    if (user is None) == (organisation is None):
        errors["user"] = [_("Grant access to one person or to one organisation.")]
    groups = sorted(set(field_groups))
    if not groups or not set(groups) <= ALL_FIELD_GROUPS:
        errors["field_groups"] = [
            _("Choose what may be seen, from: %(groups)s") % {"groups": ", ".join(sorted(ALL_FIELD_GROUPS))}
        ]
    if consent is not None and (consent.case_id != case.pk or not consent.active):
        errors["consent"] = [_("The consent must be an active consent of this case.")]
    if expires_on is not None and expires_on < timezone.localdate():
        errors["expires_on"] = [_("The end date cannot be in the past.")]
    if errors:
        raise ValidationError(errors)
    access = CaseAccess.objects.create(
        case=case,
        user=user,
        organisation=organisation,
        field_groups=groups,
        consent=consent,
        reason=reason,
        granted_by=actor,
        expires_on=expires_on,
    )
    log_event(
        case,
        CaseEvent.Kind.ACCESS_GRANTED,
        actor=actor,
        detail={
            "access": access.pk,
            "user": getattr(user, "pk", None),
            "organisation": getattr(organisation, "pk", None),
            "field_groups": groups,
        },
    )
    return access


def end_access(access: CaseAccess, *, at: dt.datetime | None = None) -> bool:
    """End one grant now (or `at`), saved so that the change is audited. False when it had already ended.

    The caller writes the timeline entry if the ending is an act of its own (`revoke_case_access`)."""
    if access.revoked_at is not None:
        return False
    access.revoked_at = at or timezone.now()
    access.save()
    return True


@transaction.atomic
def revoke_case_access(*, actor: Any, access: CaseAccess) -> CaseAccess:
    """A user with the right to grant access ends a grant."""
    gate.require(actor, "case.grant_access", access.case)
    if end_access(access):
        log_event(access.case, CaseEvent.Kind.ACCESS_REVOKED, actor=actor, detail={"access": access.pk})
    return access


def end_access_resting_on(consent: Consent) -> None:
    """A consent was revoked: every grant that rests on it ends at the moment of revocation — those tied to
    it, and (`reactions.CONSENT_REVOKED`) those other apps know to rest on it as well."""
    for access in CaseAccess.objects.filter(consent=consent, revoked_at__isnull=True):
        end_access(access, at=consent.revoked_at)
    reactions.consent_revoked(consent)


def end_all_access(case: Case) -> int:
    """Nobody keeps access to the case (its data is being erased): one UPDATE; the erasure audits itself."""
    return CaseAccess.objects.filter(case=case, revoked_at__isnull=True).update(revoked_at=timezone.now())
