"""The API's lists: a bounded page size, and 400 for page parameters that are not in range."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import ApiToken
from lantern.accounts.roles import Role
from lantern.cases.tests.factories import case_related_to
from lantern.web.api_pagination import MAX_LIMIT

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = [
    {"limit": "9223372036854775808"},  # one past a 64-bit integer: SQLite failed with a 500
    {"limit": "99999999999"},  # every row in one answer
    {"limit": "0"},
    {"limit": "-1"},
    {"limit": "null"},
    {"offset": "9223372036854775808"},
    {"offset": "-5"},
    {"offset": "1e3"},
]


def _list_paths(client: Client) -> list[str]:
    """Every list of the API without a path parameter, from the schema."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    return [
        path
        for path, operations in paths.items()
        if "{" not in path
        and any(parameter["name"] == "limit" for parameter in operations.get("get", {}).get("parameters", []))
    ]


def test_page_parameters_out_of_range_answer_400_on_every_list_for_every_role(
    client: Client, personas: Any
) -> None:
    paths = _list_paths(client)
    assert {"/api/v1/cases/", "/api/v1/referrals/", "/api/v1/users/", "/api/v1/organisations/"} <= set(paths)
    for role in Role:
        case_related_to(personas.own_org, personas.own[role])
    for role in Role:
        _, raw = ApiToken.issue(personas.own[role], "test")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        for path in paths:
            if client.get(path, **headers).status_code != 200:
                continue  # this role may not list this
            for params in OUT_OF_RANGE:
                response = client.get(path, params, **headers)
                assert response.status_code == 400, (role, path, params, response.status_code)
                assert list(params)[0] in response.json(), response.json()


def test_a_list_answers_at_most_the_maximum_page_size(client: Client, personas: Any) -> None:
    from lantern.accounts.tests.factories import OrganisationFactory

    OrganisationFactory.create_batch(MAX_LIMIT + 5)
    _, raw = ApiToken.issue(personas.own[Role.SYSTEM_ADMIN], "test")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    page = client.get("/api/v1/organisations/", {"limit": str(MAX_LIMIT)}, **headers).json()
    assert len(page["results"]) == MAX_LIMIT and page["next"]
    assert client.get("/api/v1/organisations/", {"limit": str(MAX_LIMIT + 1)}, **headers).status_code == 400


def test_the_schema_states_the_page_bounds(client: Client) -> None:
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/cases/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert parameters["limit"]["schema"]["maximum"] == MAX_LIMIT
    assert parameters["limit"]["schema"]["minimum"] == 1
    assert parameters["offset"]["schema"]["minimum"] == 0
    assert "400" in operation["responses"]
