"""The cases API goes through the same gate and services: explicit fields, outsiders get 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import ApiToken
from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord
from lantern.cases import services
from lantern.cases.models import Case, Purpose
from lantern.cases.sharing import consent_allows

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_schema_describes_the_case_endpoints(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/cases/",
        "/api/v1/cases/{id}/",
        "/api/v1/cases/{case_pk}/consents/",
        "/api/v1/cases/{case_pk}/consents/{id}/revoke/",
        "/api/v1/cases/{case_pk}/decisions/",
    ):
        assert path in paths, path
    assert "put" not in paths["/api/v1/cases/{id}/"] and "delete" not in paths["/api/v1/cases/{id}/"]


def test_creating_a_case_and_reading_it_back(client: Client, worker: Any, today: dt.date) -> None:
    payload = {
        "profile": "uk-style",
        "identified_on": today.isoformat(),
        "family_name": "Okafor",
        "citizenships": ["NG"],
        "exploitation_forms": ["labour"],
    }
    response = client.post("/api/v1/cases/", payload, content_type="application/json", **bearer(worker))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["family_name"] == "Okafor" and body["citizenships"] == ["NG"] and body["stage"] == "identified"
    )
    listed = client.get("/api/v1/cases/", **bearer(worker)).json()["results"]
    assert [row["id"] for row in listed] == [body["id"]] and "family_name" not in listed[0]


def test_bad_input_gets_field_errors_and_saves_nothing(client: Client, worker: Any, today: dt.date) -> None:
    payload = {
        "identified_on": today.isoformat(),
        "date_of_birth": (today + dt.timedelta(days=1)).isoformat(),
        "citizenships": ["XX"],
    }
    response = client.post("/api/v1/cases/", payload, content_type="application/json", **bearer(worker))
    assert response.status_code == 400 and "citizenships" in response.json()
    payload.pop("citizenships")
    response = client.post("/api/v1/cases/", payload, content_type="application/json", **bearer(worker))
    assert response.status_code == 400 and "date_of_birth" in response.json()
    assert not Case.objects.exists()


def test_retrieving_is_audited_and_partial_update_changes_the_record(
    client: Client, worker: Any, open_case: Any
) -> None:
    case = open_case()
    url = f"/api/v1/cases/{case.pk}/"
    assert client.get(url, **bearer(worker)).json()["given_names"] == "Amina"
    assert AuditRecord.objects.filter(
        action="view", object_type="cases.case", object_id=str(case.pk)
    ).exists()
    response = client.patch(url, {"risk_level": "high"}, content_type="application/json", **bearer(worker))
    assert response.status_code == 200 and response.json()["risk_level"] == "high"


def test_another_organisations_case_is_404_and_audited(client: Client, personas: Any, open_case: Any) -> None:
    case = open_case()
    outsider = bearer(personas.other[Role.CASE_WORKER])
    response = client.get(f"/api/v1/cases/{case.pk}/", **outsider)
    missing = client.get("/api/v1/cases/999999/", **outsider)
    assert response.status_code == missing.status_code == 404 and response.json() == missing.json()
    assert client.get(f"/api/v1/cases/{case.pk}/consents/", **outsider).status_code == 404
    assert AuditRecord.objects.filter(
        action="denied", object_type="cases.case", object_id=str(case.pk)
    ).exists()


def test_a_read_only_grantee_cannot_write(client: Client, personas: Any, open_case: Any, worker: Any) -> None:
    from lantern.cases.sharing import grant_case_access

    case = open_case()
    lawyer = personas.other[Role.LAWYER]
    grant_case_access(actor=worker, case=case, user=lawyer, field_groups=["identity"])
    headers = bearer(lawyer)
    body = client.get(f"/api/v1/cases/{case.pk}/", **headers).json()
    assert body["family_name"] == "Okafor" and "contact" not in body and "risk_notes" not in body
    response = client.patch(
        f"/api/v1/cases/{case.pk}/", {"family_name": "X"}, content_type="application/json", **headers
    )
    assert response.status_code == 403


def test_consents_are_recorded_and_revoked_through_the_api(
    client: Client, worker: Any, open_case: Any, nrm: Any
) -> None:
    case = open_case()
    headers = bearer(worker)
    url = f"/api/v1/cases/{case.pk}/consents/"
    response = client.post(
        url,
        {"purpose": "competent_authority", "basis": "person", "language": "ar"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    consent_id = response.json()["id"]
    assert consent_allows(case, Purpose.COMPETENT_AUTHORITY, nrm)
    revoked = client.post(
        f"{url}{consent_id}/revoke/", {"note": "no"}, content_type="application/json", **headers
    )
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    assert not consent_allows(case, Purpose.COMPETENT_AUTHORITY, nrm)
    assert [row["active"] for row in client.get(url, **headers).json()] == [False]


def test_a_referral_consent_without_organisation_is_a_field_error(
    client: Client, worker: Any, open_case: Any
) -> None:
    response = client.post(
        f"/api/v1/cases/{open_case().pk}/consents/",
        {"purpose": "referral", "basis": "person", "language": "ar"},
        content_type="application/json",
        **bearer(worker),
    )
    assert response.status_code == 400 and "organisation" in response.json()


def test_only_the_decision_maker_records_decisions(
    client: Client, worker: Any, decider: Any, open_case: Any, refer: Any, today: dt.date
) -> None:
    case = refer(open_case())
    services.advance_stage(actor=decider, case=case, to_stage="reasonable_grounds")
    url = f"/api/v1/cases/{case.pk}/decisions/"
    payload = {"outcome": "positive", "decided_on": today.isoformat(), "reasons": "Credible."}
    assert client.post(url, payload, content_type="application/json", **bearer(worker)).status_code == 403
    response = client.post(url, payload, content_type="application/json", **bearer(decider))
    assert response.status_code == 201, response.content
    assert [d["outcome"] for d in client.get(url, **bearer(worker)).json()] == ["positive"]
    again = client.post(url, payload, content_type="application/json", **bearer(decider))
    assert again.status_code == 400  # no decision pending at the recovery stage


def test_a_consent_without_a_recipient_country_matches_its_documented_schema(
    client: Client, worker: Any, open_case: Any
) -> None:
    """The schema once said a two-letter code while the API answered "" for consents not made abroad."""
    import jsonschema

    case = open_case()
    headers = bearer(worker)
    url = f"/api/v1/cases/{case.pk}/consents/"
    client.post(
        url,
        {"purpose": "competent_authority", "basis": "person", "language": "ar"},
        content_type="application/json",
        **headers,
    )
    (row,) = client.get(url, **headers).json()
    assert row["recipient_country"] == ""
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["Consent"]
    jsonschema.validate(row["recipient_country"], schema["properties"]["recipient_country"])
