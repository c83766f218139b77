"""Handover between organisations: a reception-centre screener hands a case to an NGO, whose case worker
accepts; each rule and each bad input (nothing half-saved)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lantern.accounts.roles import OrganisationType, Role
from lantern.accounts.tests.factories import OrganisationFactory, UserFactory
from lantern.authz import gate
from lantern.cases import handovers, selectors, services
from lantern.cases.models import Basis, Case, CaseAccess, CaseEvent, Handover, HandoverStatus, Purpose
from lantern.cases.tests.factories import consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def screener(personas: Any) -> Any:
    return personas.own[Role.SCREENER]


@pytest.fixture
def screened(open_case: Any, screener: Any, ngo: Any) -> Any:
    """A case the reception centre's screener opened, with the person's consent to the NGO."""
    case = open_case(actor=screener)
    services.record_consent(
        actor=screener,
        case=case,
        purpose=Purpose.REFERRAL,
        basis=Basis.PERSON,
        organisation=ngo,
        language="ti",
    )
    return case


def _errors(call: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def test_screener_hands_over_and_the_ngo_case_worker_accepts(
    personas: Any, screener: Any, screened: Any, ngo: Any, ngo_worker: Any
) -> None:
    reception = personas.own_org
    handover = handovers.propose_handover(
        actor=screener, case=screened, to_organisation=ngo, message="Tigrinya"
    )
    assert handover.status == HandoverStatus.PROPOSED and handover.from_organisation == reception
    assert list(selectors.handover_inbox(ngo_worker)) == [handover]
    # Before acceptance the NGO does not see the case.
    assert not gate.can(ngo_worker, "case.view", screened)

    handovers.accept_handover(actor=ngo_worker, handover=handover)
    case = Case.objects.get(pk=screened.pk)
    assert case.organisation == ngo and case.case_worker == ngo_worker
    assert gate.can(ngo_worker, "case.change", case) and gate.can(ngo_worker, "case.refer", case)
    # The screener no longer works the case; the reception centre keeps reading what it recorded.
    assert not gate.can(screener, "case.change", case)
    grant = CaseAccess.objects.active().get(case=case, organisation=reception)
    assert "legal" not in grant.field_groups and "identity" in grant.field_groups
    assert grant.consent == handover.consent
    reception_worker = personas.own[Role.CASE_WORKER]
    assert gate.can(reception_worker, "case.view", case) and not gate.can(
        reception_worker, "case.change", case
    )
    kinds = list(case.events.values_list("kind", flat=True))
    assert CaseEvent.Kind.HANDOVER_PROPOSED in kinds and CaseEvent.Kind.HANDOVER_ACCEPTED in kinds
    assert not selectors.handover_inbox(ngo_worker).exists()


def test_revoking_the_consent_ends_the_senders_read_access(
    personas: Any, screener: Any, screened: Any, ngo: Any, ngo_worker: Any
) -> None:
    handover = handovers.propose_handover(actor=screener, case=screened, to_organisation=ngo)
    handovers.accept_handover(actor=ngo_worker, handover=handover)
    case = Case.objects.get(pk=screened.pk)
    services.revoke_consent(actor=ngo_worker, consent=handover.consent)
    assert not gate.can(personas.own[Role.CASE_WORKER], "case.view", case)


def test_a_decision_maker_accepts_and_the_case_waits_in_the_team_queue(
    personas: Any, screener: Any, open_case: Any
) -> None:
    authority = personas.own_authority
    decider = personas.own[Role.NRM_DECISION_MAKER]
    case = open_case(actor=screener)
    services.record_consent(
        actor=screener,
        case=case,
        purpose=Purpose.REFERRAL,
        basis=Basis.PERSON,
        organisation=authority,
        language="en",
    )
    handover = handovers.propose_handover(actor=screener, case=case, to_organisation=authority)
    handovers.accept_handover(actor=decider, handover=handover)
    case.refresh_from_db()
    assert case.organisation == authority and case.case_worker is None


def test_declining_needs_a_reason_and_leaves_the_case(
    screener: Any, screened: Any, ngo: Any, ngo_worker: Any
) -> None:
    handover = handovers.propose_handover(actor=screener, case=screened, to_organisation=ngo)
    assert "reason" in _errors(
        lambda: handovers.decline_handover(actor=ngo_worker, handover=handover, reason=" ")
    )
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.PROPOSED
    handovers.decline_handover(actor=ngo_worker, handover=handover, reason="No Tigrinya speaker")
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.DECLINED and handover.reason == "No Tigrinya speaker"
    assert Case.objects.get(pk=screened.pk).organisation_id == screener.organisation_id
    assert not CaseAccess.objects.filter(case=screened).exists()


def test_answered_twice_is_refused_nothing_changes(
    screener: Any, screened: Any, ngo: Any, ngo_worker: Any
) -> None:
    handover = handovers.propose_handover(actor=screener, case=screened, to_organisation=ngo)
    handovers.decline_handover(actor=ngo_worker, handover=handover, reason="Full")
    with pytest.raises(ValidationError):
        handovers.accept_handover(actor=ngo_worker, handover=handover)
    assert Case.objects.get(pk=screened.pk).organisation_id == screener.organisation_id
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.DECLINED


def test_a_shelter_is_not_an_organisation_that_manages_cases(screener: Any, open_case: Any) -> None:
    shelter = OrganisationFactory(type=OrganisationType.SHELTER, country="GR")
    case = open_case(actor=screener)
    services.record_consent(
        actor=screener,
        case=case,
        purpose=Purpose.REFERRAL,
        basis=Basis.PERSON,
        organisation=shelter,
        language="en",
    )
    errors = _errors(lambda: handovers.propose_handover(actor=screener, case=case, to_organisation=shelter))
    assert "to_organisation" in errors
    assert not Handover.objects.exists()


def test_not_to_ones_own_organisation(personas: Any, open_case: Any, ngo: Any) -> None:
    worker = UserFactory(organisation=ngo, roles=[Role.CASE_WORKER])
    case = open_case(actor=worker)
    services.record_consent(
        actor=worker, case=case, purpose=Purpose.REFERRAL, basis=Basis.PERSON, organisation=ngo, language="en"
    )
    errors = _errors(lambda: handovers.propose_handover(actor=worker, case=case, to_organisation=ngo))
    assert "to_organisation" in errors and not Handover.objects.exists()


def test_without_consent_for_that_organisation(screener: Any, open_case: Any, ngo: Any) -> None:
    case = open_case(actor=screener)
    other_ngo = OrganisationFactory(type=OrganisationType.NGO, country="GR")
    services.record_consent(
        actor=screener,
        case=case,
        purpose=Purpose.REFERRAL,
        basis=Basis.PERSON,
        organisation=other_ngo,
        language="en",
    )
    errors = _errors(lambda: handovers.propose_handover(actor=screener, case=case, to_organisation=ngo))
    assert "consented" in errors["to_organisation"][0] and not Handover.objects.exists()


def test_a_child_needs_the_guardian_not_the_childs_own_consent(
    screener: Any, open_case: Any, ngo: Any
) -> None:
    case = open_case(actor=screener, appears_minor=True)
    assert case.treated_as_child
    # A consent recorded as the person's own does not count for a child.
    consent(case, Purpose.REFERRAL, organisation=ngo, basis=Basis.PERSON)
    assert "to_organisation" in _errors(
        lambda: handovers.propose_handover(actor=screener, case=case, to_organisation=ngo)
    )
    services.record_consent(
        actor=screener,
        case=case,
        purpose=Purpose.REFERRAL,
        basis=Basis.GUARDIAN,
        organisation=ngo,
        representative="Guardian",
        best_interests_note="Placed with a guardian who knows the family.",
        language="en",
    )
    handover = handovers.propose_handover(actor=screener, case=case, to_organisation=ngo)
    assert handover.consent.basis == Basis.GUARDIAN


def test_a_closed_case_is_not_handed_over(screener: Any, screened: Any, ngo: Any) -> None:
    Case.objects.filter(pk=screened.pk).update(stage="closed")
    screened.refresh_from_db()
    errors = _errors(lambda: handovers.propose_handover(actor=screener, case=screened, to_organisation=ngo))
    assert "case" in errors and not Handover.objects.exists()


def test_one_open_proposal_at_a_time(screener: Any, screened: Any, ngo: Any) -> None:
    handovers.propose_handover(actor=screener, case=screened, to_organisation=ngo)
    assert "case" in _errors(
        lambda: handovers.propose_handover(actor=screener, case=screened, to_organisation=ngo)
    )
    assert Handover.objects.count() == 1


def test_only_the_receiver_answers(personas: Any, screener: Any, screened: Any, ngo: Any) -> None:
    handover = handovers.propose_handover(actor=screener, case=screened, to_organisation=ngo)
    for outsider in (
        personas.own[Role.CASE_WORKER],
        screener,
        UserFactory(organisation=ngo, roles=[Role.SCREENER]),
    ):
        with pytest.raises(gate.Denied):
            handovers.accept_handover(actor=outsider, handover=handover)
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.PROPOSED


def test_a_screener_cannot_hand_over_a_case_a_colleague_opened(
    personas: Any, open_case: Any, ngo: Any
) -> None:
    case = open_case()  # opened by the case worker
    with pytest.raises(gate.Denied):
        handovers.propose_handover(actor=personas.own[Role.SCREENER], case=case, to_organisation=ngo)


def test_the_sender_withdraws(screener: Any, screened: Any, ngo: Any, ngo_worker: Any) -> None:
    handover = handovers.propose_handover(actor=screener, case=screened, to_organisation=ngo)
    handovers.withdraw_handover(actor=screener, handover=handover)
    assert Handover.objects.get(pk=handover.pk).status == HandoverStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        handovers.accept_handover(actor=ngo_worker, handover=handover)
