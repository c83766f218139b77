"""For the policy matrix: each role's "own" object built with the *least* relation that should grant it.

`object_for` (test_policy_matrix.py) builds one object with every relation at once (a case of the
organisation, opened by the actor, referred to the organisation and shared with the actor): the right object
to show that a role is refused, and the wrong one to show that a role is allowed — a screener allowed on it
might be allowed because of the grant, not because they opened the case. Here a role allowed on its own
organisation's object gets one tied to it in one way only, the way the rule is meant to grant:

- screener: a case they opened; case worker: a case of their organisation opened by a colleague;
- NRM decision-maker: another organisation's case referred to their authority with the person's consent;
- lawyer: another organisation's case shared with them (a user grant); service provider: another
  organisation's case shared with their organisation;
- referrals: the case worker as referrer (to a third organisation's service), the receiving roles as the
  receiver (a third organisation's case referred to their service); needs likewise;
- legal track: the case worker's organisation's case, or another's with the actor assigned as its lawyer.

`least_object_for` returns None where `object_for`'s object has one relation only already.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from lantern.accounts.roles import Role

RECEIVING = ("referral.answer",)  # actions only the receiving side takes


def _third_organisation() -> Any:
    from lantern.accounts.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Third Organisation")


def least_case(role: str, organisation: Any, actor: Any) -> Any:
    """A case `actor` (of `role`, in `organisation`) is related to in the one way its role needs."""
    from lantern.cases.models import CaseAccess
    from lantern.cases.tests.factories import CaseFactory, consent

    if role == Role.SCREENER:
        return CaseFactory(organisation=organisation, created_by=actor)
    if role == Role.CASE_WORKER:
        return CaseFactory(organisation=organisation)  # opened by a colleague
    holder = _third_organisation()
    if role == Role.NRM_DECISION_MAKER:
        case = CaseFactory(organisation=holder, stage="referred", referred_to=organisation)
        consent(case, organisation=organisation)
        return case
    case = CaseFactory(organisation=holder)
    grantee = {"user": actor} if role == Role.LAWYER else {"organisation": organisation}
    CaseAccess.objects.create(case=case, field_groups=["identity"], granted_by=case.created_by, **grantee)
    return case


def _referral(case: Any, to_organisation: Any) -> Any:
    """`case` referred (sent, with its access grant) to a service of `to_organisation`."""
    from lantern.cases.models import CaseAccess
    from lantern.referrals.models import Referral, ReferralKind, ReferralStatus
    from lantern.referrals.tests.factories import ServiceOfferFactory

    offer = ServiceOfferFactory(organisation=to_organisation)
    access = CaseAccess.objects.create(
        case=case, organisation=to_organisation, field_groups=["identity"], granted_by=case.created_by
    )
    return Referral.objects.create(
        case=case,
        from_organisation=case.organisation,
        to_organisation=to_organisation,
        offer=offer,
        service=offer.service,
        kind=ReferralKind.NATIONAL,
        field_groups=["identity"],
        status=ReferralStatus.SENT,
        sent_at=timezone.now(),
        access=access,
        created_by=case.created_by,
    )


def least_referral(action: str, role: str, organisation: Any, actor: Any) -> Any:
    """The case worker refers (unless the action is the receiver's); the service provider receives."""
    from lantern.cases.tests.factories import CaseFactory

    if role == Role.CASE_WORKER and action not in RECEIVING:
        return _referral(CaseFactory(organisation=organisation), _third_organisation())
    return _referral(CaseFactory(organisation=_third_organisation()), organisation)


def least_need(role: str, organisation: Any, actor: Any) -> Any:
    """A need of the case worker's organisation's case (not referred), or one referred to the provider."""
    from lantern.cases.tests.factories import CaseFactory
    from lantern.referrals.models import Need, NeedKind, NeedStatus

    fields = {"kind": NeedKind.ACCOMMODATION, "description": "Safe accommodation"}
    if role == Role.CASE_WORKER:
        case = CaseFactory(organisation=organisation)
        return Need.objects.create(case=case, created_by=case.created_by, **fields)
    referral = _referral(CaseFactory(organisation=_third_organisation()), organisation)
    return Need.objects.create(
        case=referral.case,
        status=NeedStatus.REFERRED,
        referral=referral,
        offer=referral.offer,
        created_by=referral.created_by,
        **fields,
    )


def least_legal_track(role: str, organisation: Any, actor: Any) -> Any:
    from lantern.cases.tests.factories import CaseFactory
    from lantern.legal.models import LegalTrack
    from lantern.legal.tests.factories import assign

    if role == Role.LAWYER:
        return assign(CaseFactory(organisation=_third_organisation()), actor)
    return LegalTrack.objects.create(case=CaseFactory(organisation=organisation))


def least_screening(organisation: Any) -> Any:
    """A screening of the organisation, started by a colleague (the rules ask only for the organisation)."""
    from lantern.accounts.tests.factories import UserFactory
    from lantern.screening.models import Screening

    return Screening.objects.create(
        organisation=organisation, created_by=UserFactory(organisation=organisation)
    )


def least_object_for(action: str, role: str, organisation: Any, actor: Any) -> Any | None:
    """The object for `role`'s "allowed on its own organisation's object" check (None: `object_for`'s)."""
    from lantern.records.models import Document

    kind = action.split(".")[0]
    if action == "case.assign" and role == Role.ORG_ADMIN:
        from lantern.cases.tests.factories import CaseFactory

        return CaseFactory(organisation=organisation)  # any case of the organisation
    if action == "handover.propose":
        return least_case(role, organisation, actor)
    if kind in ("case", "export"):
        return least_case(role, organisation, actor)
    if kind == "document":
        case = least_case(role, organisation, actor)
        return Document(case=case, uploaded_by=case.created_by)
    if kind == "legal":
        return least_legal_track(role, organisation, actor)
    if kind == "referral":
        return least_referral(action, role, organisation, actor)
    if kind == "need":
        return least_need(role, organisation, actor)
    if kind == "screening" and action != "screening.score":
        return least_screening(organisation)
    return None
