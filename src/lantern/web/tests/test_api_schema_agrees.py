"""The API schema states what the server does: lists are pages, rules the server enforces are in the schema,
and a filter value the server does not know answers 400 instead of being ignored (schema fuzzing)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import ApiToken
from lantern.accounts.roles import Role
from lantern.cases.tests.factories import case_related_to

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def schema(client: Client) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").json()


def test_a_cases_documents_are_a_page_as_the_schema_says(
    client: Client, personas: Any, schema: dict[str, Any]
) -> None:
    worker = personas.own[Role.CASE_WORKER]
    case = case_related_to(personas.own_org, worker)
    operation = schema["paths"]["/api/v1/cases/{case_pk}/documents/"]["get"]
    assert "Paginated" in operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    response = client.get(f"/api/v1/cases/{case.pk}/documents/", {"limit": "5"}, **bearer(worker))
    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_the_schema_states_the_rules_the_server_enforces(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    assert "identified_on" in components["CaseCreateRequest"]["required"]
    consent = components["ConsentWriteRequest"]["properties"]
    assert "referral" in consent["organisation"]["description"]
    assert "best_interests" in consent["language"]["description"]
    year = next(
        p for p in schema["paths"]["/api/v1/statistics/eurostat/"]["get"]["parameters"] if p["name"] == "year"
    )
    assert (year["schema"]["minimum"], year["schema"]["maximum"]) == (2000, 2100)
    assert "en" in components["InterviewLanguage"]["enum"]
    assert "ilo-adult-labour" in components["ScreeningInstrument"]["enum"]


@pytest.mark.parametrize(
    ("path", "params", "role"),
    [
        ("/api/v1/directory/", {"service": "AAA"}, Role.CASE_WORKER),
        ("/api/v1/directory/", {"gender": "AAA"}, Role.CASE_WORKER),
        ("/api/v1/directory/", {"free": "maybe"}, Role.CASE_WORKER),
        ("/api/v1/dedup/pairs/", {"queue": "AAA"}, Role.NRM_DECISION_MAKER),
        ("/api/v1/statistics/eurostat/", {"year": ""}, Role.STATISTICS_VIEWER),
        ("/api/v1/statistics/eurostat/", {"year": "1999"}, Role.STATISTICS_VIEWER),
    ],
)
def test_an_unknown_filter_value_answers_400(
    client: Client, personas: Any, path: str, params: dict[str, str], role: str
) -> None:
    headers = bearer(personas.own[role])
    assert client.get(path, **headers).status_code == 200  # the allowed twin: no filter
    response = client.get(path, params, **headers)
    assert response.status_code == 400 and list(params)[0] in response.json(), response.content
