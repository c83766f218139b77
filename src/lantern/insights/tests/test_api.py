"""GET /api/v1/statistics/eurostat/: through the gate, in the schema, suppressed like the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import ApiToken
from lantern.accounts.roles import Role

pytestmark = pytest.mark.django_db
URL = "/api/v1/statistics/eurostat/"


def bearer(user: Any) -> dict[str, str]:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_schema_describes_the_statistics_endpoint(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert URL in paths and list(paths[URL]) == ["get"]
    assert [p["name"] for p in paths[URL]["get"]["parameters"]] == ["year"]


def test_the_eurostat_tables_as_json(client: Client, personas: Any, counted_case: Any) -> None:
    for _i in range(5):
        counted_case(personas.own_org, identified_on=dt.date(2024, 6, 1))
    counted_case(personas.own_org, identified_on=dt.date(2025, 6, 1))
    data = client.get(URL, {"year": 2024}, **bearer(personas.own[Role.NRM_DECISION_MAKER])).json()
    assert data["year"] == 2024 and data["persons"] == 5 and data["suppressed_below"] is None
    assert data["disclosure_control"] is None  # exact figures for NRM decision-makers
    status = next(t for t in data["tables"] if t["id"] == "eurostat_status")
    assert status["columns"][-1] == {"code": "total", "label": "Total"}
    assert status["rows"][-1] == {"code": "total", "label": "Total", "values": [5, 0, 0, 0, 5]}


def test_statistics_viewers_get_small_cells_as_null(client: Client, personas: Any, counted_case: Any) -> None:
    counted_case(personas.own_org, identified_on=dt.date(2024, 6, 1))
    data = client.get(URL, {"year": 2024}, **bearer(personas.own[Role.STATISTICS_VIEWER])).json()
    # One person: perturbed to 0 (the noise may take them away) or to 1-3, then null ("fewer than 5").
    assert data["suppressed_below"] == 5 and data["persons"] in (None, 0)
    assert data["disclosure_control"]["max_noise"] == 2
    assert data["disclosure_control"]["method"].startswith("cell-key")
    status = next(t for t in data["tables"] if t["id"] == "eurostat_status")
    assert status["rows"][-1]["values"][-1] in (None, 0)


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.SCREENER, Role.SYSTEM_ADMIN])
def test_roles_without_statistics_are_refused(client: Client, personas: Any, role: str) -> None:
    assert client.get(URL, **bearer(personas.own[role])).status_code == 403


def test_a_bad_year_is_a_400(client: Client, personas: Any) -> None:
    response = client.get(URL, {"year": "soon"}, **bearer(personas.own[Role.NRM_DECISION_MAKER]))
    assert response.status_code == 400 and "year" in response.json()


def test_anonymous_callers_are_refused(client: Client) -> None:
    assert client.get(URL).status_code == 401  # no credentials: authenticate first, not "forbidden"
