"""Referring a case to a service: consent first, only the referred fields, capacity, answers, the timeline."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lantern.accounts.roles import Role, Service
from lantern.authz.gate import Denied, can, visible
from lantern.cases import services as case_services
from lantern.cases.models import Case, CaseEvent, Purpose
from lantern.cases.policies import visible_field_groups
from lantern.referrals import services
from lantern.referrals.models import Need, NeedStatus, Referral, ReferralKind, ReferralStatus

from .factories import ServiceOfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(open_case: Any, worker: Any, offer: Any) -> Referral:
    return services.create_referral(actor=worker, case=open_case(), offer=offer)


@pytest.fixture
def sent(draft: Referral, worker: Any, consent_to: Any) -> Referral:
    consent_to(draft.case, draft.to_organisation)
    return services.send_referral(actor=worker, referral=draft)


def events(case: Case) -> list[str]:
    return list(case.events.order_by("at", "pk").values_list("kind", flat=True))


def test_a_draft_is_prefilled_with_what_the_service_needs(draft: Referral) -> None:
    assert draft.status == ReferralStatus.DRAFT
    assert draft.field_groups == ["background", "identity", "safety"]
    assert draft.kind == ReferralKind.NATIONAL and draft.from_organisation_id == draft.case.organisation_id
    assert events(draft.case)[-1] == CaseEvent.Kind.REFERRAL_DRAFTED


def test_only_the_groups_the_service_may_receive_can_be_referred(
    open_case: Any, worker: Any, offer: Any
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_referral(
            actor=worker, case=open_case(), offer=offer, field_groups=["identity", "consents"]
        )
    assert "field_groups" in caught.value.message_dict
    assert not Referral.objects.exists()


def test_a_referral_without_consent_cannot_be_sent(draft: Referral, worker: Any, shelter_staff: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.send_referral(actor=worker, referral=draft)
    assert caught.value.code == "no_consent"
    assert "has not consented to a referral to Safe Harbour Shelter" in caught.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == ReferralStatus.DRAFT and draft.access is None
    assert not can(shelter_staff, "case.view", draft.case)


def test_a_consent_to_another_organisation_does_not_allow_the_referral(
    draft: Referral, worker: Any, consent_to: Any, personas: Any
) -> None:
    consent_to(draft.case, personas.other_org)
    with pytest.raises(ValidationError):
        services.send_referral(actor=worker, referral=draft)


def test_service_provider_sees_only_the_referred_case_and_fields(
    sent: Referral, shelter_staff: Any, open_case: Any
) -> None:
    unreferred = open_case()
    assert list(visible(shelter_staff, "case.view", Case)) == [sent.case]
    assert visible_field_groups(shelter_staff, sent.case) == {"identity", "background", "safety"}
    assert not can(shelter_staff, "case.view", unreferred)
    assert not can(shelter_staff, "case.change", sent.case)
    assert events(sent.case)[-2:] == [CaseEvent.Kind.ACCESS_GRANTED, CaseEvent.Kind.REFERRAL_SENT]


def test_service_provider_never_sees_another_organisations_referrals(
    sent: Referral, personas: Any, shelter_staff: Any
) -> None:
    for role in Role:
        outsider = personas.other[role]
        assert not visible(outsider, "referral.view", Referral).exists()
        assert not visible(outsider, "case.view", Case).exists()
    other_shelter = ServiceOfferFactory().organisation
    from .factories import staff

    stranger = staff(other_shelter, username="stranger")
    assert not can(stranger, "referral.view", sent) and not can(stranger, "case.view", sent.case)
    assert list(visible(shelter_staff, "referral.view", Referral)) == [sent]


def test_a_receiver_never_sees_drafts(draft: Referral, shelter_staff: Any) -> None:
    assert not can(shelter_staff, "referral.view", draft)
    assert not visible(shelter_staff, "referral.view", Referral).exists()


def test_revoking_the_consent_stops_sharing_at_once_and_the_receiver_sees_it(
    sent: Referral, worker: Any, shelter_staff: Any
) -> None:
    assert sent.consent is not None
    case_services.revoke_consent(actor=worker, consent=sent.consent, note="changed her mind")
    sent.refresh_from_db()
    assert not can(shelter_staff, "case.view", sent.case)
    assert can(shelter_staff, "referral.view", sent) and sent.consent_revoked
    with pytest.raises(ValidationError) as caught:
        services.accept_referral(actor=shelter_staff, referral=sent)
    assert "consent was revoked" in caught.value.message_dict["answer"][0]


def test_a_full_provider_is_refused_with_a_message_next_to_the_service(
    open_case: Any, worker: Any, offer: Any
) -> None:
    offer.free_places = 0
    offer.save()
    with pytest.raises(ValidationError) as caught:
        services.create_referral(actor=worker, case=open_case(), offer=offer)
    assert "no free places" in caught.value.message_dict["offer"][0]
    assert not Referral.objects.exists() and not CaseEvent.objects.filter(kind="referral_drafted").exists()


def test_a_provider_that_filled_up_before_sending_is_refused_and_nothing_is_shared(
    draft: Referral, worker: Any, consent_to: Any, shelter_staff: Any
) -> None:
    consent_to(draft.case, draft.to_organisation)
    draft.offer.free_places = 0
    draft.offer.save()
    with pytest.raises(ValidationError) as caught:
        services.send_referral(actor=worker, referral=draft)
    assert "offer" in caught.value.message_dict
    assert not can(shelter_staff, "case.view", draft.case)
    assert not draft.case.accesses.exists()


def test_free_places_decrease_on_acceptance_and_increase_on_close(
    sent: Referral, shelter_staff: Any, worker: Any
) -> None:
    services.accept_referral(actor=shelter_staff, referral=sent)
    sent.offer.refresh_from_db()
    assert sent.offer.free_places == 1
    services.close_referral(actor=worker, referral=sent)
    sent.offer.refresh_from_db()
    assert sent.offer.free_places == 2
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.CLOSED and not can(shelter_staff, "case.view", sent.case)


def test_the_last_place_goes_to_the_first_acceptance(
    sent: Referral, shelter_staff: Any, worker: Any, open_case: Any, consent_to: Any
) -> None:
    sent.offer.free_places = 1
    sent.offer.save()
    second = services.create_referral(actor=worker, case=open_case(), offer=sent.offer)
    consent_to(second.case, second.to_organisation)
    services.send_referral(actor=worker, referral=second)
    services.accept_referral(actor=shelter_staff, referral=sent)
    with pytest.raises(ValidationError) as caught:
        services.accept_referral(actor=shelter_staff, referral=second)
    assert "no free places" in caught.value.message_dict["answer"][0]


def test_a_transnational_referral_needs_the_transnational_consent(
    open_case: Any, worker: Any, abroad_offer: Any, consent_to: Any, personas: Any
) -> None:
    case = open_case()
    referral = services.create_referral(actor=worker, case=case, offer=abroad_offer)
    assert referral.kind == ReferralKind.TRANSNATIONAL
    consent_to(case, personas.other_org)
    with pytest.raises(ValidationError) as caught:
        services.send_referral(actor=worker, referral=referral)
    assert caught.value.code == "no_transnational_consent"
    consent_to(case, None, purpose=Purpose.TRANSNATIONAL, recipient_country="DE")  # another country
    with pytest.raises(ValidationError):
        services.send_referral(actor=worker, referral=referral)
    consent_to(case, None, purpose=Purpose.TRANSNATIONAL, recipient_country="FR")
    services.send_referral(actor=worker, referral=referral)
    assert can(personas.other[Role.SERVICE_PROVIDER], "case.view", case)


def test_revoking_the_transnational_consent_ends_the_access_too(
    open_case: Any, worker: Any, abroad_offer: Any, consent_to: Any, personas: Any
) -> None:
    case = open_case()
    referral = services.create_referral(actor=worker, case=case, offer=abroad_offer)
    consent_to(case, personas.other_org)
    transfer = consent_to(case, None, purpose=Purpose.TRANSNATIONAL, recipient_country="FR")
    services.send_referral(actor=worker, referral=referral)
    case_services.revoke_consent(actor=worker, consent=transfer)
    referral.refresh_from_db()
    assert referral.consent_revoked
    assert not can(personas.other[Role.SERVICE_PROVIDER], "case.view", case)


def test_declining_needs_a_reason_and_ends_the_access(sent: Referral, shelter_staff: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.decline_referral(actor=shelter_staff, referral=sent, reason="  ")
    assert "reason" in caught.value.message_dict
    services.decline_referral(actor=shelter_staff, referral=sent, reason="Women-only house")
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.DECLINED and sent.decline_reason == "Women-only house"
    assert sent.answered_by == shelter_staff and not can(shelter_staff, "case.view", sent.case)
    assert events(sent.case)[-1] == CaseEvent.Kind.REFERRAL_DECLINED


def test_only_the_receiving_organisation_answers(sent: Referral, worker: Any, personas: Any) -> None:
    for actor in (worker, personas.other[Role.SERVICE_PROVIDER]):
        with pytest.raises(Denied):
            services.accept_referral(actor=actor, referral=sent)


def test_an_answered_referral_cannot_be_answered_again_or_withdrawn(
    sent: Referral, shelter_staff: Any, worker: Any
) -> None:
    services.accept_referral(actor=shelter_staff, referral=sent)
    with pytest.raises(ValidationError):
        services.decline_referral(actor=shelter_staff, referral=sent, reason="no")
    with pytest.raises(ValidationError):
        services.withdraw_referral(actor=worker, referral=sent)


def test_withdrawing_a_sent_referral_ends_the_access_and_reopens_its_needs(
    sent: Referral, worker: Any, shelter_staff: Any
) -> None:
    need = services.record_need(actor=worker, case=sent.case, data={"kind": "medical", "description": "x"})
    need.referral, need.status = sent, NeedStatus.REFERRED
    need.save()
    services.withdraw_referral(actor=worker, referral=sent)
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.WITHDRAWN and not can(shelter_staff, "case.view", sent.case)
    assert can(shelter_staff, "referral.view", sent)  # the receiver still sees what happened
    need.refresh_from_db()
    assert need.status == NeedStatus.IDENTIFIED and need.referral is None


def test_a_draft_can_be_withdrawn_and_stays_unseen_by_the_receiver(
    draft: Referral, worker: Any, shelter_staff: Any
) -> None:
    services.withdraw_referral(actor=worker, referral=draft)  # was an IntegrityError (a 500)
    draft.refresh_from_db()
    assert draft.status == ReferralStatus.WITHDRAWN and draft.sent_at is None
    assert events(draft.case)[-1] == CaseEvent.Kind.REFERRAL_WITHDRAWN
    assert not can(shelter_staff, "referral.view", draft)
    assert not visible(shelter_staff, "referral.view", Referral).filter(pk=draft.pk).exists()


def test_the_full_flow_writes_every_state_change_to_the_timeline(
    open_case: Any, worker: Any, offer: Any, consent_to: Any, shelter_staff: Any
) -> None:
    case = open_case()
    need = services.record_need(
        actor=worker,
        case=case,
        data={"kind": "accommodation", "description": "A safe place for her and her son"},
    )
    referral = services.create_referral(actor=worker, case=case, offer=offer, needs=[need])
    consent_to(case, offer.organisation)
    services.send_referral(actor=worker, referral=referral)
    need.refresh_from_db()
    assert need.status == NeedStatus.REFERRED and need.referral == referral and need.offer == offer
    services.accept_referral(actor=shelter_staff, referral=referral)
    need.refresh_from_db()
    assert need.status == NeedStatus.IN_PROGRESS
    services.update_need_status(actor=shelter_staff, need=need, status=NeedStatus.MET)
    services.close_referral(actor=shelter_staff, referral=referral)
    kinds = [k for k in events(case) if k.startswith(("referral", "need", "access"))]
    assert kinds == [
        CaseEvent.Kind.NEED_RECORDED,
        CaseEvent.Kind.REFERRAL_DRAFTED,
        CaseEvent.Kind.ACCESS_GRANTED,
        CaseEvent.Kind.REFERRAL_SENT,
        CaseEvent.Kind.REFERRAL_ACCEPTED,
        CaseEvent.Kind.NEED_UPDATED,
        CaseEvent.Kind.ACCESS_REVOKED,
        CaseEvent.Kind.REFERRAL_CLOSED,
    ]
    detail = case.events.get(kind=CaseEvent.Kind.REFERRAL_SENT).detail
    assert set(detail) == {"referral", "organisation", "service", "kind", "field_groups"}  # no personal data


def test_a_case_opened_from_a_screening_can_be_referred_in_sequence(
    worker: Any, offer: Any, consent_to: Any, today: Any
) -> None:
    case = case_services.create_case(actor=worker, data={"given_names": "Amina", "identified_on": today})
    referral = services.create_referral(actor=worker, case=case, offer=offer)
    consent_to(case, offer.organisation)
    assert services.send_referral(actor=worker, referral=referral).status == ReferralStatus.SENT


def test_a_child_is_referred_on_a_best_interests_determination(
    open_case: Any, worker: Any, offer: Any, shelter_staff: Any
) -> None:
    from lantern.cases.models import Basis

    case = open_case(appears_minor=True)
    referral = services.create_referral(actor=worker, case=case, offer=offer)
    with pytest.raises(ValidationError):
        services.send_referral(actor=worker, referral=referral)
    case_services.record_consent(
        actor=worker,
        case=case,
        purpose=Purpose.REFERRAL,
        basis=Basis.BEST_INTERESTS,
        organisation=offer.organisation,
        best_interests_note="Needs a safe place tonight",
    )
    services.send_referral(actor=worker, referral=referral)
    assert can(shelter_staff, "case.view", case)


def test_a_service_updates_only_the_status_of_needs_referred_to_it(
    sent: Referral, worker: Any, shelter_staff: Any
) -> None:
    referred = services.record_need(
        actor=worker, case=sent.case, data={"kind": "medical", "description": "x"}
    )
    referred.referral = sent
    referred.save()
    other = services.record_need(actor=worker, case=sent.case, data={"kind": "legal", "description": "y"})
    assert list(visible(shelter_staff, "need.view", Need)) == [referred]
    with pytest.raises(ValidationError):
        services.update_need_status(actor=shelter_staff, need=referred, status=NeedStatus.IDENTIFIED)
    services.update_need_status(actor=shelter_staff, need=referred, status=NeedStatus.NOT_AVAILABLE)
    with pytest.raises(Denied):
        services.update_need_status(actor=shelter_staff, need=other, status=NeedStatus.MET)
    with pytest.raises(Denied):
        services.update_need(actor=shelter_staff, need=referred, changes={"description": "z"})


def test_support_is_never_conditional_on_cooperation_with_the_authorities() -> None:
    names = {f.name for model in (Need, Referral) for f in model._meta.get_fields()}
    assert not {n for n in names if any(w in n for w in ("testify", "witness", "cooperat"))}


def test_only_the_providers_own_staff_change_its_directory_entry(
    offer: Any, shelter_staff: Any, personas: Any
) -> None:
    services.save_offer(actor=shelter_staff, offer=offer, data={"free_places": 1})
    offer.refresh_from_db()
    assert offer.free_places == 1
    for actor in (personas.other[Role.SERVICE_PROVIDER], personas.own[Role.CASE_WORKER]):
        with pytest.raises(Denied):
            services.save_offer(actor=actor, offer=offer, data={"free_places": 2})


def test_places_are_both_given_or_neither(shelter_staff: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.save_offer(
            actor=shelter_staff,
            data={"service": Service.SHELTER, "region": "Attica", "total_places": 3, "free_places": 4},
        )
    assert "free_places" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.save_offer(
            actor=shelter_staff, data={"service": Service.SHELTER, "region": "Attica", "total_places": 3}
        )
    assert "free_places" in caught.value.message_dict
    medical = services.save_offer(actor=shelter_staff, data={"service": Service.MEDICAL, "region": "Attica"})
    assert not medical.capacity_bound and not medical.full
