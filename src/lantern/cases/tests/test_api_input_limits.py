"""The cases API refuses oversized, repeated and deeply nested input with 400, quickly (schema fuzzing)."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

import pytest
from django.test import Client
from django_countries import Countries, countries

from lantern.accounts.models import ApiToken
from lantern.cases.models import Case
from lantern.web.api_fields import DEFAULT_MAX_ITEMS

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def deep_json(levels: int) -> str:
    return '{"a": ' * levels + "1" + "}" * levels


@pytest.mark.parametrize("url", ["/api/v1/cases/", "/api/v1/score/"])
def test_a_body_nested_2000_levels_deep_answers_400(client: Client, worker: Any, url: str) -> None:
    body = deep_json(2000)  # 4 KB: Python's parser raised RecursionError, a 500
    response = client.post(url, body, content_type="application/json", **bearer(worker))
    assert response.status_code == 400
    assert "nests more than" in response.json()["detail"]
    shallow_but_too_deep = "[" * 100 + "]" * 100  # parses, but deeper than any request of the API
    response = client.post(url, shallow_but_too_deep, content_type="application/json", **bearer(worker))
    assert response.status_code == 400 and "nests more than" in response.json()["detail"]


def test_100000_country_codes_are_refused_at_once(client: Client, worker: Any, open_case: Any) -> None:
    case = open_case()
    codes = [code for code, _name in countries]
    body = {"citizenships": (codes * 500)[:100_000]}
    started = time.perf_counter()
    response = client.patch(
        f"/api/v1/cases/{case.pk}/", json.dumps(body), content_type="application/json", **bearer(worker)
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 400 and "citizenships" in response.json()
    assert elapsed < 2, elapsed  # was 8 s of CPU (the country table rebuilt per item)


@pytest.mark.parametrize(
    ("field", "items"),
    [
        ("citizenships", ["NG", "NG"]),
        ("exploitation_forms", ["labour", "labour"]),
        ("languages", ["ar", "ar"]),
        ("exploitation_countries", [code for code, _name in countries][:60]),  # 60 > 50
        ("exploitation_forms", ["labour"] * 100_000),  # valid items, stored as they came before
    ],
)
def test_a_list_with_repeats_or_too_many_items_is_refused(
    client: Client, worker: Any, open_case: Any, field: str, items: list[str]
) -> None:
    case = open_case()
    before = Case.objects.get(pk=case.pk)
    response = client.patch(
        f"/api/v1/cases/{case.pk}/", {field: items}, content_type="application/json", **bearer(worker)
    )
    assert response.status_code == 400 and field in response.json(), response.content
    assert getattr(Case.objects.get(pk=case.pk), field) == getattr(before, field)


def test_a_valid_list_is_stored(client: Client, worker: Any, open_case: Any) -> None:
    case = open_case()
    response = client.patch(
        f"/api/v1/cases/{case.pk}/",
        {"citizenships": ["sy", "NG"]},
        content_type="application/json",
        **bearer(worker),
    )
    assert response.status_code == 200, response.content
    assert sorted(response.json()["citizenships"]) == ["NG", "SY"]


def test_the_schema_states_the_size_and_uniqueness_of_every_list(client: Client) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    lists = [
        (name, field, spec)
        for name, schema in schemas.items()
        if name.endswith("Request")
        for field, spec in schema.get("properties", {}).items()
        if spec.get("type") == "array"
    ]
    assert len(lists) >= 8
    for name, field, spec in lists:
        assert spec.get("uniqueItems") is True and spec.get("maxItems"), (name, field, spec)
    citizenships = schemas["PatchedCaseWriteRequest"]["properties"]["citizenships"]
    assert citizenships["maxItems"] == DEFAULT_MAX_ITEMS


def test_validating_country_codes_reads_the_country_table_once_not_per_code(
    worker: Any, monkeypatch: Any, today: dt.date
) -> None:
    from lantern.cases.api import CaseWriteSerializer

    built = []
    original = Countries.__iter__
    monkeypatch.setattr(Countries, "__iter__", lambda self: built.append(1) or original(self))
    serializer = CaseWriteSerializer(
        data={"citizenships": ["NG", "SY", "GR", "FR"], "identified_on": today.isoformat()},
        partial=True,
    )
    assert serializer.is_valid(), serializer.errors
    assert len(built) <= 1
