"""consent_allows: the one check before any sharing; revocation stops sharing at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lantern.accounts.tests.factories import OrganisationFactory
from lantern.authz.gate import Denied, can, visible
from lantern.cases import services
from lantern.cases.models import Basis, Case, CaseEvent, Purpose
from lantern.cases.sharing import consent_allows, grant_case_access

pytestmark = pytest.mark.django_db


def give(worker: Any, case: Any, purpose: str, **fields: Any) -> Any:
    fields.setdefault("basis", Basis.PERSON)
    fields.setdefault("language", "ti")
    return services.record_consent(actor=worker, case=case, purpose=purpose, **fields)


def test_nothing_is_shared_without_consent(open_case: Any, nrm: Any) -> None:
    case = open_case()
    assert not consent_allows(case, Purpose.COMPETENT_AUTHORITY, nrm)
    assert not consent_allows(case, Purpose.STATISTICS)


def test_a_referral_consent_covers_only_the_organisation_named(open_case: Any, worker: Any) -> None:
    shelter, other = OrganisationFactory(name="Safe Shelter"), OrganisationFactory(name="Elsewhere")
    case = open_case()
    give(worker, case, Purpose.REFERRAL, organisation=shelter)
    assert consent_allows(case, Purpose.REFERRAL, shelter)
    assert not consent_allows(case, Purpose.REFERRAL, other)
    with pytest.raises(ValueError, match="names the organisation"):
        consent_allows(case, Purpose.REFERRAL)


def test_a_referral_consent_must_name_the_organisation(open_case: Any, worker: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        give(worker, open_case(), Purpose.REFERRAL)
    assert "organisation" in caught.value.message_dict


def test_revocation_stops_further_sharing_right_away(open_case: Any, worker: Any, nrm: Any) -> None:
    case = open_case()
    consent = give(worker, case, Purpose.COMPETENT_AUTHORITY)
    assert consent_allows(case, Purpose.COMPETENT_AUTHORITY, nrm)
    services.revoke_consent(actor=worker, consent=consent, note="Changed their mind.")
    assert not consent_allows(case, Purpose.COMPETENT_AUTHORITY, nrm)
    assert case.events.filter(kind=CaseEvent.Kind.CONSENT_REVOKED).exists()
    with pytest.raises(ValidationError, match="already revoked"):
        services.revoke_consent(actor=worker, consent=consent)


def test_revoking_the_competent_authority_consent_hides_the_case_from_the_authority(
    open_case: Any, refer: Any, worker: Any, decider: Any
) -> None:
    case = refer(open_case())
    assert can(decider, "case.view", case)
    services.revoke_consent(actor=worker, consent=case.consents.get())
    assert not can(decider, "case.view", case)
    assert not visible(decider, "case.view", Case).exists()


def test_revoking_a_consent_ends_the_access_granted_on_it(open_case: Any, worker: Any, personas: Any) -> None:
    provider = personas.other["service_provider"]
    case = open_case()
    consent = give(worker, case, Purpose.REFERRAL, organisation=personas.other_org)
    grant_case_access(
        actor=worker, case=case, organisation=personas.other_org, field_groups=["identity"], consent=consent
    )
    assert can(provider, "case.view", case)
    services.revoke_consent(actor=worker, consent=consent)
    assert not can(provider, "case.view", case)
    assert case.accesses.get().revoked_at is not None


def test_a_grant_resting_on_a_revoked_consent_ends_even_if_the_grant_itself_was_missed(
    open_case: Any, worker: Any, personas: Any
) -> None:
    """Defence in depth: the grant's own revocation is not the only guard (CaseAccessQuerySet.active)."""
    provider = personas.other["service_provider"]
    case, other = open_case(), open_case()
    consent = give(worker, case, Purpose.REFERRAL, organisation=personas.other_org)
    for shared in (case, other):
        grant_case_access(
            actor=worker,
            case=shared,
            organisation=personas.other_org,
            field_groups=["identity"],
            consent=consent if shared is case else None,
        )
    type(consent).objects.filter(pk=consent.pk).update(revoked_at=timezone.now())  # not via the service
    assert case.accesses.get().revoked_at is None
    assert not can(provider, "case.view", case)
    assert list(visible(provider, "case.view", Case)) == [other]


def test_a_childs_own_consent_is_not_enough_the_guardian_consents(
    open_case: Any, worker: Any, nrm: Any
) -> None:
    case = open_case(appears_minor=True)
    with pytest.raises(ValidationError) as caught:
        give(worker, case, Purpose.COMPETENT_AUTHORITY)
    assert "basis" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        give(worker, case, Purpose.COMPETENT_AUTHORITY, basis=Basis.GUARDIAN)
    assert {"representative", "best_interests_note"} <= set(caught.value.message_dict)
    give(
        worker,
        case,
        Purpose.COMPETENT_AUTHORITY,
        basis=Basis.GUARDIAN,
        representative="Appointed guardian",
        best_interests_note="Protection and support.",
    )
    assert consent_allows(case, Purpose.COMPETENT_AUTHORITY, nrm)


def test_best_interests_stands_in_for_consent_only_for_a_childs_referral(open_case: Any, worker: Any) -> None:
    child = open_case(appears_minor=True)
    give(
        worker, child, Purpose.COMPETENT_AUTHORITY, basis=Basis.BEST_INTERESTS, best_interests_note="Safety."
    )
    assert consent_allows(child, Purpose.COMPETENT_AUTHORITY)
    with pytest.raises(ValidationError, match="needs consent for this purpose"):
        give(worker, child, Purpose.STATISTICS, basis=Basis.BEST_INTERESTS, best_interests_note="Counting.")
    with pytest.raises(ValidationError, match="treated as an adult"):
        give(
            worker,
            open_case(),
            Purpose.COMPETENT_AUTHORITY,
            basis=Basis.BEST_INTERESTS,
            best_interests_note="x",
        )


def test_consent_records_the_language_and_the_interpreter(open_case: Any, worker: Any) -> None:
    case = open_case()
    with pytest.raises(ValidationError) as caught:
        give(worker, case, Purpose.STATISTICS, language="", interpreter_used=True)
    assert {"language", "interpreter"} <= set(caught.value.message_dict)
    consent = give(worker, case, Purpose.STATISTICS, interpreter_used=True, interpreter="Interpreter 12")
    assert (consent.language, consent.interpreter) == ("ti", "Interpreter 12")


def test_a_transnational_transfer_names_the_country(open_case: Any, worker: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        give(worker, open_case(), Purpose.TRANSNATIONAL)
    assert "recipient_country" in caught.value.message_dict


def test_a_screener_records_consent_on_the_case_they_opened_only(open_case: Any, personas: Any) -> None:
    screener = personas.own["screener"]
    theirs = open_case(actor=screener)
    give(screener, theirs, Purpose.STATISTICS)
    with pytest.raises(Denied):
        give(screener, open_case(), Purpose.STATISTICS)
