"""The referrals API goes through the same gate and services: explicit fields, outsiders get 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import ApiToken
from lantern.accounts.roles import Role
from lantern.cases import services as case_services
from lantern.referrals.models import Referral, ReferralStatus

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_schema_describes_the_referral_endpoints(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/directory/",
        "/api/v1/directory/{id}/",
        "/api/v1/referrals/",
        "/api/v1/referrals/{id}/",
        "/api/v1/referrals/{id}/send/",
        "/api/v1/referrals/{id}/accept/",
        "/api/v1/referrals/{id}/decline/",
        "/api/v1/referrals/{id}/withdraw/",
        "/api/v1/referrals/{id}/close/",
        "/api/v1/cases/{case_pk}/needs/",
    ):
        assert path in paths, path
    assert "delete" not in paths["/api/v1/referrals/{id}/"] and "put" not in paths["/api/v1/referrals/{id}/"]


def test_the_directory_lists_and_filters_offers_for_every_role(
    client: Client, personas: Any, offer: Any, abroad_offer: Any
) -> None:
    headers = bearer(personas.own[Role.STATISTICS_VIEWER])
    everything = client.get("/api/v1/directory/", **headers).json()["results"]
    assert {row["id"] for row in everything} == {offer.pk, abroad_offer.pk}
    found = client.get("/api/v1/directory/", {"country": "fr", "free": "true"}, **headers).json()["results"]
    assert [row["id"] for row in found] == [abroad_offer.pk]
    assert set(found[0]) >= {
        "organisation_name",
        "free_places",
        "total_places",
        "languages",
        "gender",
        "ages",
    }


def test_creating_sending_and_accepting_a_referral(
    client: Client, worker: Any, shelter_staff: Any, open_case: Any, offer: Any, consent_to: Any
) -> None:
    case = open_case()
    created = client.post(
        "/api/v1/referrals/",
        {"case": case.pk, "offer": offer.pk, "message": "Needs a ground-floor room"},
        content_type="application/json",
        **bearer(worker),
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["field_groups"] == ["background", "identity", "safety"]
    assert body["message"] == "Needs a ground-floor room" and "given_names" not in body
    pk = body["id"]
    refused = client.post(f"/api/v1/referrals/{pk}/send/", **bearer(worker))
    assert refused.status_code == 400 and "consented" in refused.json()["non_field_errors"][0]
    consent_to(case, offer.organisation)
    assert client.post(f"/api/v1/referrals/{pk}/send/", **bearer(worker)).json()["status"] == "sent"
    staff = bearer(shelter_staff)
    seen = client.get(f"/api/v1/referrals/{pk}/", **staff).json()
    assert seen["message"] == "Needs a ground-floor room" and seen["consent_revoked"] is False
    accepted = client.post(f"/api/v1/referrals/{pk}/accept/", **staff)
    assert accepted.json()["status"] == "accepted"
    assert client.get(f"/api/v1/cases/{case.pk}/", **staff).json()["family_name"] == "Okafor"


def test_declining_through_the_api_needs_a_reason(
    client: Client, worker: Any, shelter_staff: Any, open_case: Any, offer: Any, consent_to: Any
) -> None:
    from lantern.referrals import services

    case = open_case()
    referral = services.create_referral(actor=worker, case=case, offer=offer)
    consent_to(case, offer.organisation)
    services.send_referral(actor=worker, referral=referral)
    url = f"/api/v1/referrals/{referral.pk}/decline/"
    refused = client.post(url, {}, content_type="application/json", **bearer(shelter_staff))
    assert refused.status_code == 400 and "reason" in refused.json()
    done = client.post(
        url, {"reason": "Full tonight"}, content_type="application/json", **bearer(shelter_staff)
    )
    assert done.json()["status"] == "declined" and done.json()["decline_reason"] == "Full tonight"


def test_a_transnational_referral_needs_its_consent_through_the_api_too(
    client: Client, worker: Any, open_case: Any, abroad_offer: Any, consent_to: Any, personas: Any
) -> None:
    case = open_case()
    created = client.post(
        "/api/v1/referrals/",
        {"case": case.pk, "offer": abroad_offer.pk},
        content_type="application/json",
        **bearer(worker),
    ).json()
    assert created["kind"] == "transnational"
    consent_to(case, personas.other_org)
    refused = client.post(f"/api/v1/referrals/{created['id']}/send/", **bearer(worker))
    assert refused.status_code == 400 and "another country" in refused.json()["non_field_errors"][0]


def test_outsiders_get_404(
    client: Client, worker: Any, open_case: Any, offer: Any, personas: Any, consent_to: Any
) -> None:
    from lantern.referrals import services

    case = open_case()
    referral = services.create_referral(actor=worker, case=case, offer=offer)
    consent_to(case, offer.organisation)
    services.send_referral(actor=worker, referral=referral)
    outsider = bearer(personas.other[Role.CASE_WORKER])
    assert client.get(f"/api/v1/referrals/{referral.pk}/", **outsider).status_code == 404
    assert client.post(f"/api/v1/referrals/{referral.pk}/accept/", **outsider).status_code == 404
    assert client.get(f"/api/v1/cases/{case.pk}/needs/", **outsider).status_code == 404
    created = client.post(
        "/api/v1/referrals/",
        {"case": case.pk, "offer": offer.pk},
        content_type="application/json",
        **outsider,
    )
    assert created.status_code == 404
    assert client.get("/api/v1/referrals/", **outsider).json()["results"] == []


def test_a_receiver_cannot_send_or_create_and_a_referrer_cannot_answer(
    client: Client, worker: Any, shelter_staff: Any, open_case: Any, offer: Any, consent_to: Any
) -> None:
    from lantern.referrals import services

    case = open_case()
    referral = services.create_referral(actor=worker, case=case, offer=offer)
    payload = {"case": case.pk, "offer": offer.pk}
    staff = bearer(shelter_staff)
    assert (
        client.post("/api/v1/referrals/", payload, content_type="application/json", **staff).status_code
        == 403
    )
    consent_to(case, offer.organisation)
    assert client.post(f"/api/v1/referrals/{referral.pk}/send/", **staff).status_code == 403  # not their role
    services.send_referral(actor=worker, referral=referral)
    assert client.post(f"/api/v1/referrals/{referral.pk}/accept/", **bearer(worker)).status_code == 404
    assert Referral.objects.get().status == ReferralStatus.SENT


def test_needs_of_a_case_are_listed_and_added_by_its_case_workers(
    client: Client, worker: Any, open_case: Any, personas: Any
) -> None:
    case = open_case()
    url = f"/api/v1/cases/{case.pk}/needs/"
    created = client.post(
        url,
        {"kind": "psychological", "description": "Nightmares", "priority": "high"},
        content_type="application/json",
        **bearer(worker),
    )
    assert created.status_code == 201 and created.json()["status"] == "identified"
    assert [n["description"] for n in client.get(url, **bearer(worker)).json()] == ["Nightmares"]
    lawyer = bearer(personas.own[Role.LAWYER])
    assert (
        client.post(
            url, {"kind": "legal", "description": "x"}, content_type="application/json", **lawyer
        ).status_code
        == 403
    )


def test_revocation_shows_in_the_api_and_hides_the_message(
    client: Client, worker: Any, shelter_staff: Any, open_case: Any, offer: Any, consent_to: Any
) -> None:
    from lantern.referrals import services

    case = open_case()
    referral = services.create_referral(actor=worker, case=case, offer=offer, message="Call first")
    consent = consent_to(case, offer.organisation)
    services.send_referral(actor=worker, referral=referral)
    case_services.revoke_consent(actor=worker, consent=consent)
    seen = client.get(f"/api/v1/referrals/{referral.pk}/", **bearer(shelter_staff)).json()
    assert seen["consent_revoked"] is True and seen["message"] is None
    listed = client.get("/api/v1/referrals/", **bearer(shelter_staff)).json()["results"]
    assert listed[0]["consent_revoked"] is True and listed[0]["message"] is None


@pytest.mark.parametrize(
    "extra",
    [
        {"needs": [10**30]},  # past a 64-bit id: was a 500
        {"needs": [0]},
        {"needs": [1, 1]},
        {"field_groups": ["identity", "identity"]},
        {"field_groups": ["identity"] * 100_000},
    ],
)
def test_a_referral_with_impossible_ids_or_repeated_items_is_refused(
    client: Client, worker: Any, open_case: Any, offer: Any, extra: dict[str, Any]
) -> None:
    case = open_case()
    response = client.post(
        "/api/v1/referrals/",
        {"case": case.pk, "offer": offer.pk, **extra},
        content_type="application/json",
        **bearer(worker),
    )
    assert response.status_code == 400 and set(extra) <= set(response.json()), response.content
    assert not Referral.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_need_with_an_implausible_target_date_is_refused(
    client: Client, worker: Any, open_case: Any, day: str
) -> None:
    response = client.post(
        f"/api/v1/cases/{open_case().pk}/needs/",
        {"kind": "medical", "description": "A doctor", "target_date": day},
        content_type="application/json",
        **bearer(worker),
    )
    assert response.status_code == 400 and "1900" in response.json()["target_date"][0], response.content
