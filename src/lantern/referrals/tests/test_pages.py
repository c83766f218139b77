"""The directory, referral and support-plan pages: same rules as the services, errors next to the field,
each button acting once, outsiders getting 404, pinned query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord
from lantern.cases import services as case_services
from lantern.cases.models import CaseEvent
from lantern.referrals import services
from lantern.referrals.models import Need, Referral, ReferralStatus
from lantern.web.idempotency import new_key

from .factories import ServiceOfferFactory

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def sent(open_case: Any, worker: Any, offer: Any, consent_to: Any) -> Referral:
    case = open_case(family_name="Okafor", contact="+30 210 555 0000")
    referral = services.create_referral(
        actor=worker, case=case, offer=offer, message="Arrives by bus at 18:00"
    )
    consent_to(case, offer.organisation)
    return services.send_referral(actor=worker, referral=referral)


# The directory ------------------------------------------------------------------------------------------


def test_every_signed_in_role_reads_the_directory_with_free_places(
    login_client: Any, personas: Any, offer: Any
) -> None:
    response = login_client(personas.own[Role.STATISTICS_VIEWER]).get(reverse("referrals:directory"))
    assert response.status_code == 200
    assert "Safe Harbour Shelter" in text(response) and "2 of 2 places free" in text(response)


def test_the_directory_filters_by_service_region_language_and_provision(
    login_client: Any, worker: Any, offer: Any, abroad_offer: Any
) -> None:
    ServiceOfferFactory(
        organisation=offer.organisation, region="Thessaloniki", gender="men", languages=["el"]
    )
    client = login_client(worker)
    body = text(client.get(reverse("referrals:directory"), {"language": "ar"}))
    assert "Attica" in body and "Île-de-France" not in body and "Thessaloniki" not in body
    body = text(client.get(reverse("referrals:directory"), {"gender": "women", "region": "thess"}))
    assert "No service matches" in body
    body = text(client.get(reverse("referrals:directory"), {"country": "FR"}))
    assert "Île-de-France" in body and "Attica" not in body


def test_the_directory_for_a_case_is_prefilled_from_the_case(
    login_client: Any, worker: Any, open_case: Any, offer: Any
) -> None:
    ServiceOfferFactory(organisation=offer.organisation, region="Patras", languages=["el"])
    case = open_case(languages=["ar"], sex="female")
    body = text(login_client(worker).get(reverse("referrals:directory"), {"case": case.pk}))
    assert 'value="ar"' in body and "Attica" in body and "Patras" not in body
    assert reverse("referrals:create", args=[case.pk]) + f"?offer={offer.pk}" in body
    assert AuditRecord.objects.filter(
        action="view", object_type="cases.case", object_id=str(case.pk)
    ).exists()


def test_the_directory_query_count_does_not_grow_with_offers(
    login_client: Any, worker: Any, django_assert_max_num_queries: Any
) -> None:
    client = login_client(worker)
    ServiceOfferFactory()
    with django_assert_max_num_queries(14) as few:
        assert client.get(reverse("referrals:directory")).status_code == 200
    ServiceOfferFactory.create_batch(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("referrals:directory")).status_code == 200


def test_provider_staff_update_their_free_places_and_others_cannot(
    login_client: Any, shelter_staff: Any, worker: Any, offer: Any
) -> None:
    url = reverse("referrals:offer_edit", args=[offer.pk])
    assert login_client(worker).get(url).status_code == 403
    client = login_client(shelter_staff)
    data = {**{k: v for k, v in _offer_data(offer).items()}, "free_places": "1"}
    assert client.post(url, data).status_code == 302
    offer.refresh_from_db()
    assert offer.free_places == 1
    bad = client.post(url, {**data, "free_places": "5"})
    assert "There cannot be more free places than places in total." in text(bad)


def _offer_data(offer: Any) -> dict[str, str]:
    return {
        "service": offer.service,
        "region": offer.region,
        "languages": ", ".join(offer.languages),
        "gender": offer.gender,
        "ages": offer.ages,
        "total_places": str(offer.total_places),
        "free_places": str(offer.free_places),
        "phone": offer.phone,
        "email": offer.email,
        "active": "on",
    }


# Referring ------------------------------------------------------------------------------------------------


def test_the_referral_form_is_prefilled_and_a_full_provider_is_an_error_next_to_the_field(
    login_client: Any, worker: Any, open_case: Any, offer: Any
) -> None:
    case = open_case()
    client = login_client(worker)
    url = reverse("referrals:create", args=[case.pk])
    form = text(client.get(url, {"offer": offer.pk}))
    assert 'value="identity" id="id_field_groups_0" checked' in form.replace("\n", "")
    offer.free_places = 0
    offer.save()
    data = {"offer": offer.pk, "field_groups": ["identity"], "idempotency_key": new_key()}
    response = client.post(url, data)
    body = text(response)
    assert "There is a problem" in body and 'id="id_offer-error"' in body and "no free places" in body
    assert not Referral.objects.exists()


def test_preparing_sending_and_a_double_click_acts_once(
    login_client: Any, worker: Any, open_case: Any, offer: Any, consent_to: Any
) -> None:
    case = open_case()
    client = login_client(worker)
    data = {"offer": offer.pk, "field_groups": ["identity", "background"], "idempotency_key": new_key()}
    first = client.post(reverse("referrals:create", args=[case.pk]), data)
    again = client.post(reverse("referrals:create", args=[case.pk]), data)
    referral = Referral.objects.get()
    assert first.url == again.url == reverse("referrals:detail", args=[referral.pk])
    check = text(client.get(first.url))
    assert "Before you send" in check and "Missing" in check and "Okafor" in check  # preview from the case
    send = reverse("referrals:send", args=[referral.pk])
    refused = client.post(send, {"idempotency_key": new_key()})
    assert "has not consented" in text(refused)
    consent_to(case, offer.organisation)
    key = new_key()
    assert client.post(send, {"idempotency_key": key}).status_code == 302
    assert client.post(send, {"idempotency_key": key}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert case.events.filter(kind=CaseEvent.Kind.REFERRAL_SENT).count() == 1


def test_the_receiver_answers_and_declining_needs_a_reason_next_to_the_field(
    login_client: Any, sent: Referral, shelter_staff: Any
) -> None:
    client = login_client(shelter_staff)
    page = text(client.get(reverse("referrals:detail", args=[sent.pk])))
    assert "Okafor" in page and "+30 210 555" not in page  # identity referred, contact not
    assert "Arrives by bus" in page
    answer = reverse("referrals:answer", args=[sent.pk])
    refused = text(client.post(answer, {"answer": "decline", "reason": "", "idempotency_key": new_key()}))
    assert 'id="answer_reason-error"' in refused and "Say why you decline" in refused
    assert client.post(answer, {"answer": "accept", "idempotency_key": new_key()}).status_code == 302
    sent.refresh_from_db()
    sent.offer.refresh_from_db()
    assert sent.status == ReferralStatus.ACCEPTED and sent.offer.free_places == 1


def test_the_receiver_sees_that_consent_was_revoked_and_no_longer_the_case(
    login_client: Any, sent: Referral, shelter_staff: Any, worker: Any
) -> None:
    assert sent.consent is not None
    case_services.revoke_consent(actor=worker, consent=sent.consent)
    client = login_client(shelter_staff)
    page = text(client.get(reverse("referrals:detail", args=[sent.pk])))
    assert "Consent revoked" in page and "Okafor" not in page and "Arrives by bus" not in page
    assert client.get(reverse("cases:detail", args=[sent.case_id])).status_code == 404


def test_outsiders_get_404_and_the_attempt_is_audited(
    login_client: Any, sent: Referral, personas: Any
) -> None:
    client = login_client(personas.other[Role.SERVICE_PROVIDER])
    for url in (
        reverse("referrals:detail", args=[sent.pk]),
        reverse("referrals:support_plan", args=[sent.case_id]),
    ):
        assert client.get(url).status_code == 404
    assert AuditRecord.objects.filter(action="denied", object_type="referrals.referral").exists()


def test_roles_without_referrals_cannot_open_referral_pages(login_client: Any, personas: Any) -> None:
    for role in (Role.SCREENER, Role.NRM_DECISION_MAKER, Role.STATISTICS_VIEWER, Role.ORG_ADMIN):
        assert login_client(personas.own[role]).get(reverse("referrals:list")).status_code == 403


def test_the_referral_list_query_count_does_not_grow_with_referrals(
    login_client: Any, worker: Any, open_case: Any, offer: Any, django_assert_max_num_queries: Any
) -> None:
    client = login_client(worker)
    services.create_referral(actor=worker, case=open_case(), offer=offer)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("referrals:list")).status_code == 200
    for _ in range(10):
        services.create_referral(actor=worker, case=open_case(), offer=offer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("referrals:list"))
    body = text(response)
    assert all(
        reverse("referrals:detail", args=[pk]) in body for pk in Referral.objects.values_list("pk", flat=True)
    )


def test_waiting_referrals_show_on_the_receivers_dashboard(
    login_client: Any, sent: Referral, shelter_staff: Any, worker: Any
) -> None:
    body = text(login_client(shelter_staff).get(reverse("cases:dashboard")))
    assert "Referrals to your services waiting for your answer" in body
    assert sent.case.reference in body and "Okafor" not in body


# The support plan ----------------------------------------------------------------------------------------


def test_the_case_links_to_its_support_plan_where_needs_are_added(
    login_client: Any, worker: Any, open_case: Any
) -> None:
    case = open_case()
    client = login_client(worker)
    assert reverse("referrals:support_plan", args=[case.pk]) in text(
        client.get(reverse("cases:detail", args=[case.pk]))
    )
    url = reverse("referrals:need_create", args=[case.pk])
    bad = text(client.post(url, {"kind": "medical", "priority": "high", "status": "identified"}))
    assert "There is a problem" in bad
    data = {"kind": "medical", "description": "Untreated injury", "priority": "high", "status": "identified"}
    assert client.post(url, data).status_code == 302
    plan = text(client.get(reverse("referrals:support_plan", args=[case.pk])))
    assert "Untreated injury" in plan and "Find a service" in plan
    assert Need.objects.get().created_by == worker


def test_a_service_sees_only_the_needs_referred_to_it_and_updates_their_status(
    login_client: Any, sent: Referral, worker: Any, shelter_staff: Any
) -> None:
    referred = services.record_need(
        actor=worker, case=sent.case, data={"kind": "accommodation", "description": "Bed"}
    )
    referred.referral = sent
    referred.save()
    services.record_need(actor=worker, case=sent.case, data={"kind": "legal", "description": "Asylum claim"})
    client = login_client(shelter_staff)
    plan = text(client.get(reverse("referrals:support_plan", args=[sent.case_id])))
    assert "Bed" in plan and "Asylum claim" not in plan and "Add a need" not in plan
    url = reverse("referrals:need_status", args=[referred.pk])
    assert client.post(url, {"status": "met", "idempotency_key": new_key()}).status_code == 302
    referred.refresh_from_db()
    assert referred.status == "met"


def test_the_directory_lists_and_filters_sexual_violence_and_sexual_health_services(
    login_client: Any, worker: Any, offer: Any
) -> None:
    # Issue #14: victims of sexual exploitation are referred to these services; they are service types.
    from lantern.accounts.roles import Service
    from lantern.referrals.policies import shareable_groups

    ServiceOfferFactory(organisation=offer.organisation, service=Service.SEXUAL_VIOLENCE, region="Piraeus")
    ServiceOfferFactory(organisation=offer.organisation, service=Service.SEXUAL_HEALTH, region="Patras")
    client = login_client(worker)
    body = text(client.get(reverse("referrals:directory"), {"service": "sexual_violence"}))
    assert "Piraeus" in body and "Patras" not in body and "Attica" not in body
    body = text(client.get(reverse("referrals:directory"), {"service": "sexual_health"}))
    assert "Patras" in body and "Piraeus" not in body
    assert "timeline" not in shareable_groups(Service.SEXUAL_VIOLENCE)
    assert "documents" not in shareable_groups(Service.SEXUAL_HEALTH)


def test_the_answer_form_names_its_parts_once_and_never_calls_the_needed_reason_optional(
    login_client: Any, sent: Referral, shelter_staff: Any
) -> None:
    page = text(login_client(shelter_staff).get(reverse("referrals:detail", args=[sent.pk])))
    assert page.count("Your answer") == 1
    assert "Reason for declining <span" not in page and "Reason for declining</label>" in page
    assert "Required if you decline." in page
