"""The legal track API: the same gate as the pages, explicit fields, outsiders get 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import ApiToken
from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord
from lantern.legal import services
from lantern.legal.models import CriminalProceeding

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def assigned(open_case: Any, worker: Any, lawyer: Any, consent_to: Any, personas: Any) -> Any:
    case = open_case()
    consent_to(case, personas.other_org)
    services.assign_lawyer(actor=worker, case=case, lawyer=lawyer)
    services.save_legal_record(
        actor=worker,
        case=case,
        record=CriminalProceeding(role="witness", case_number="K-77", measures_requested=["closed_hearing"]),
    )
    return case


def test_the_schema_describes_the_legal_endpoint(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/cases/{id}/legal/"]) >= {"get", "patch"}


def test_the_assigned_lawyer_reads_the_legal_track(client: Client, assigned: Any, lawyer: Any) -> None:
    response = client.get(f"/api/v1/cases/{assigned.pk}/legal/", **bearer(lawyer))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["lawyer"]["id"] == lawyer.pk and body["reference"] == assigned.reference
    proceeding = body["criminal_proceedings"][0]
    assert proceeding["case_number"] == "K-77" and proceeding["measures_requested"] == ["closed_hearing"]
    assert "family_name" not in body
    assert AuditRecord.objects.filter(action="view", actor=lawyer, object_id=str(assigned.pk)).exists()


def test_the_case_worker_changes_the_non_punishment_part(client: Client, assigned: Any, worker: Any) -> None:
    response = client.patch(
        f"/api/v1/cases/{assigned.pk}/legal/",
        {"non_punishment_applies": True, "non_punishment_categories": ["drugs"]},
        content_type="application/json",
        **bearer(worker),
    )
    assert response.status_code == 200, response.content
    assert response.json()["non_punishment_categories"] == ["drugs"]


def test_an_unknown_offence_category_is_refused(client: Client, assigned: Any, worker: Any) -> None:
    response = client.patch(
        f"/api/v1/cases/{assigned.pk}/legal/",
        {"non_punishment_categories": ["jaywalking"]},
        content_type="application/json",
        **bearer(worker),
    )
    assert response.status_code == 400 and "non_punishment_categories" in response.json()


@pytest.mark.parametrize("categories", [["drugs", "drugs"], ["drugs"] * 100_000])
def test_repeated_or_too_many_offence_categories_are_refused(
    client: Client, assigned: Any, worker: Any, categories: list[str]
) -> None:
    response = client.patch(
        f"/api/v1/cases/{assigned.pk}/legal/",
        {"non_punishment_categories": categories},
        content_type="application/json",
        **bearer(worker),
    )
    assert response.status_code == 400 and "non_punishment_categories" in response.json()
    assert (
        client.get(f"/api/v1/cases/{assigned.pk}/legal/", **bearer(worker)).json()[
            "non_punishment_categories"
        ]
        == []
    )


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.LAWYER])
def test_another_organisation_gets_404(client: Client, assigned: Any, personas: Any, role: str) -> None:
    outsider = personas.other[role] if role == Role.CASE_WORKER else personas.own[Role.LAWYER]
    response = client.get(f"/api/v1/cases/{assigned.pk}/legal/", **bearer(outsider))
    assert response.status_code == 404
    assert AuditRecord.objects.filter(action="denied", actor=outsider, object_id=str(assigned.pk)).exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_an_implausible_legal_date_is_refused_with_the_rule(
    client: Client, assigned: Any, worker: Any, day: str
) -> None:
    response = client.patch(
        f"/api/v1/cases/{assigned.pk}/legal/",
        {"non_punishment_raised_on": day},
        content_type="application/json",
        **bearer(worker),
    )
    assert response.status_code == 400 and "1900" in response.json()["non_punishment_raised_on"][0]
