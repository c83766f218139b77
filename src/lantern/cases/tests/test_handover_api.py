"""The API for owners and handovers: the paths of issue #15, behind the gate, 400/404 on bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import ApiToken
from lantern.accounts.roles import OrganisationType, Role
from lantern.accounts.tests.factories import OrganisationFactory, UserFactory
from lantern.cases import services
from lantern.cases.models import Basis, Case, Handover, HandoverStatus, Purpose

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def screened(personas: Any, open_case: Any, ngo: Any) -> Any:
    screener = personas.own[Role.SCREENER]
    case = open_case(actor=screener)
    services.record_consent(
        actor=screener,
        case=case,
        purpose=Purpose.REFERRAL,
        basis=Basis.PERSON,
        organisation=ngo,
        language="en",
    )
    return case


def test_the_schema_has_the_paths_as_written(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/cases/{case_pk}/handovers/"]
    assert "get" in paths["/api/v1/handovers/"]
    assert "post" in paths["/api/v1/handovers/{id}/accept/"]
    assert "post" in paths["/api/v1/handovers/{id}/decline/"]
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "owner" in schemas["CaseDetail"]["properties"]
    assert "owner" in schemas["PatchedCaseWriteRequest"]["properties"]


def test_get_and_patch_the_owner(client: Client, personas: Any, open_case: Any) -> None:
    worker = personas.own[Role.CASE_WORKER]
    colleague = UserFactory(organisation=personas.own_org, roles=[Role.CASE_WORKER])
    case = open_case()
    url = f"/api/v1/cases/{case.pk}/"
    assert client.get(url, **bearer(worker)).json()["owner"] == worker.pk
    response = client.patch(url, {"owner": colleague.pk}, content_type="application/json", **bearer(worker))
    assert response.status_code == 200, response.content
    assert response.json()["owner"] == colleague.pk
    response = client.patch(url, {"owner": None}, content_type="application/json", **bearer(worker))
    assert response.json()["owner"] is None


def test_patching_an_owner_of_another_organisation_is_a_400(
    client: Client, personas: Any, open_case: Any
) -> None:
    worker = personas.own[Role.CASE_WORKER]
    case = open_case()
    for bad in (personas.other[Role.CASE_WORKER].pk, personas.own[Role.STATISTICS_VIEWER].pk):
        response = client.patch(
            f"/api/v1/cases/{case.pk}/",
            {"owner": bad, "aliases": "kept?"},
            content_type="application/json",
            **bearer(worker),
        )
        assert response.status_code == 400 and "owner" in response.json()
    case.refresh_from_db()
    assert case.case_worker == worker and case.aliases == ""  # nothing half-saved


def test_a_screener_cannot_set_the_owner(client: Client, personas: Any, open_case: Any) -> None:
    screener = personas.own[Role.SCREENER]
    case = open_case(actor=screener)
    response = client.patch(
        f"/api/v1/cases/{case.pk}/", {"owner": None}, content_type="application/json", **bearer(screener)
    )
    assert response.status_code in (403, 404)
    case.refresh_from_db()
    assert case.case_worker == screener


def test_propose_list_accept_through_the_api(
    client: Client, personas: Any, screened: Any, ngo: Any, ngo_worker: Any
) -> None:
    screener = personas.own[Role.SCREENER]
    response = client.post(
        f"/api/v1/cases/{screened.pk}/handovers/",
        {"to_organisation": ngo.pk, "message": "Speaks Tigrinya"},
        content_type="application/json",
        **bearer(screener),
    )
    assert response.status_code == 201, response.content
    handover_id = response.json()["id"]
    assert response.json()["status"] == "proposed"
    listed = client.get("/api/v1/handovers/", **bearer(ngo_worker)).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["id"] for row in rows] == [handover_id] and "message" not in rows[0]
    assert client.get(f"/api/v1/handovers/{handover_id}/", **bearer(ngo_worker)).json()["message"] == (
        "Speaks Tigrinya"
    )
    outsider = personas.other[Role.CASE_WORKER]
    assert client.post(f"/api/v1/handovers/{handover_id}/accept/", **bearer(outsider)).status_code == 404
    response = client.post(f"/api/v1/handovers/{handover_id}/accept/", **bearer(ngo_worker))
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert Case.objects.get(pk=screened.pk).organisation == ngo
    again = client.post(
        f"/api/v1/handovers/{handover_id}/decline/",
        {"reason": "late"},
        content_type="application/json",
        **bearer(ngo_worker),
    )
    assert again.status_code == 400
    assert Handover.objects.get(pk=handover_id).status == HandoverStatus.ACCEPTED


def test_decline_needs_a_reason(
    client: Client, personas: Any, screened: Any, ngo: Any, ngo_worker: Any
) -> None:
    screener = personas.own[Role.SCREENER]
    handover_id = client.post(
        f"/api/v1/cases/{screened.pk}/handovers/",
        {"to_organisation": ngo.pk},
        content_type="application/json",
        **bearer(screener),
    ).json()["id"]
    url = f"/api/v1/handovers/{handover_id}/decline/"
    assert client.post(url, {}, content_type="application/json", **bearer(ngo_worker)).status_code == 400
    response = client.post(
        url, {"reason": "No capacity"}, content_type="application/json", **bearer(ngo_worker)
    )
    assert response.status_code == 200 and response.json()["reason"] == "No capacity"


@pytest.mark.parametrize("target", ["own", "shelter", "unknown", "no_consent"])
def test_bad_receivers_are_a_400_and_nothing_is_saved(
    client: Client, personas: Any, screened: Any, target: str
) -> None:
    screener = personas.own[Role.SCREENER]
    targets = {
        "own": lambda: personas.own_org.pk,
        "shelter": lambda: OrganisationFactory(type=OrganisationType.SHELTER, country="GR").pk,
        "unknown": lambda: 999999,
        "no_consent": lambda: OrganisationFactory(type=OrganisationType.NGO, country="GR").pk,
    }
    response = client.post(
        f"/api/v1/cases/{screened.pk}/handovers/",
        {"to_organisation": targets[target]()},
        content_type="application/json",
        **bearer(screener),
    )
    assert response.status_code == 400 and "to_organisation" in response.json()
    assert not Handover.objects.exists()


def test_a_case_of_another_organisation_is_a_404(
    client: Client, personas: Any, screened: Any, ngo: Any
) -> None:
    response = client.post(
        f"/api/v1/cases/{screened.pk}/handovers/",
        {"to_organisation": ngo.pk},
        content_type="application/json",
        **bearer(personas.other[Role.CASE_WORKER]),
    )
    assert response.status_code == 404


def test_an_idempotent_retry_proposes_once(client: Client, personas: Any, screened: Any, ngo: Any) -> None:
    headers = {**bearer(personas.own[Role.SCREENER]), "HTTP_IDEMPOTENCY_KEY": "retry-1"}
    url = f"/api/v1/cases/{screened.pk}/handovers/"
    first = client.post(url, {"to_organisation": ngo.pk}, content_type="application/json", **headers)
    second = client.post(url, {"to_organisation": ngo.pk}, content_type="application/json", **headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"] and Handover.objects.count() == 1
