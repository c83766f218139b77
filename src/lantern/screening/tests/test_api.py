"""The screening API: same gate and services as the pages; clear 400s, 409 on a stale version, 404 outside."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import ApiToken
from lantern.accounts.roles import Role
from lantern.accounts.tests.factories import UserFactory
from lantern.audit.models import AuditRecord
from lantern.screening.models import Screening
from lantern.screening.stream import screen_lines
from lantern.screening.tests.factories import ScreeningFactory, interviewing
from lantern.screening.tests.test_services import PRESUMED_VICTIM

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def screener(personas: Any) -> Any:
    return personas.own[Role.SCREENER]


@pytest.fixture
def auth(screener: Any) -> dict[str, str]:
    return bearer(screener)


def patch(client: Client, screening: Screening, auth: dict[str, str], **body: Any) -> Any:
    return client.patch(f"/api/v1/screenings/{screening.pk}/", body, content_type="application/json", **auth)


def test_a_screening_is_created_with_its_setting_and_read_back(client: Client, auth: Any) -> None:
    body = {
        "person_reference": "R-1",
        "interview_language": "en",
        "screener_language": "en",
        "gender_preference": "no_preference",
        "private_space": True,
    }
    response = client.post("/api/v1/screenings/", body, content_type="application/json", **auth)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["status"] == "consent" and created["person_reference"] == "R-1"
    read = client.get(f"/api/v1/screenings/{created['id']}/", **auth)
    assert read.status_code == 200 and read.json()["version"] == created["version"]
    assert AuditRecord.objects.filter(action="view", object_id=str(created["id"])).exists()


def test_the_list_leaves_out_personal_fields(client: Client, auth: Any, screener: Any) -> None:
    ScreeningFactory(created_by=screener, person_reference="R-9")
    rows = client.get("/api/v1/screenings/", **auth).json()["results"]
    assert len(rows) == 1 and "person_reference" not in rows[0] and "answers" not in rows[0]


def test_patching_answers_needs_the_current_version(client: Client, auth: Any, screener: Any) -> None:
    screening = interviewing(screener)
    ok = patch(client, screening, auth, version=1, answers={"dr.wages": "yes", "dr.contract": "declined"})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    assert ok.json()["answers"] == {"dr.contract": "declined", "dr.wages": "yes"}
    stale = patch(client, screening, auth, version=1, answers={"dr.wages": "no"})
    assert stale.status_code == 409
    assert stale.json()["code"] == "version_conflict" and stale.json()["version"] == 2
    assert Screening.objects.get(pk=screening.pk).answers["dr.wages"] == "yes"


def test_a_patch_without_version_is_refused(client: Client, auth: Any, screener: Any) -> None:
    response = patch(client, interviewing(screener), auth, answers={"dr.wages": "yes"})
    assert response.status_code == 400 and "version" in response.json()


@pytest.mark.parametrize(
    ("body", "field", "named"),
    [
        ({"answers": {"xx.unknown": "yes"}}, "answers", "xx.unknown"),
        ({"answers": {"dr.wages": "perhaps"}}, "answers", "declined"),
        ({"first_signs": ["fs.nonsense"]}, "first_signs", "fs.nonsense"),
        ({"interview_language": "zz"}, "interview_language", "zz"),
    ],
)
def test_unknown_ids_and_values_are_a_400_naming_them(
    client: Client, auth: Any, screener: Any, body: dict[str, Any], field: str, named: str
) -> None:
    screening = interviewing(screener)
    response = patch(client, screening, auth, version=1, **body)
    assert response.status_code == 400
    assert named in response.json()[field][0]
    assert Screening.objects.get(pk=screening.pk).version == 1  # nothing half-applied


def test_answers_after_a_refusal_of_consent_are_a_conflict(client: Client, auth: Any, screener: Any) -> None:
    screening = ScreeningFactory(created_by=screener)
    refused = patch(client, screening, auth, version=1, consent="refused")
    assert refused.status_code == 200 and refused.json()["status"] == "stopped_no_consent"
    response = patch(client, screening, auth, version=2, answers={"dr.wages": "yes"})
    assert response.status_code == 409 and response.json()["code"] == "step_not_available"


def test_a_colleagues_lock_is_a_conflict_unless_taken_over(
    client: Client, personas: Any, screener: Any
) -> None:
    screening = ScreeningFactory(created_by=screener)
    from lantern.screening import services

    services.resume(actor=personas.own[Role.CASE_WORKER], screening=screening)
    locked = patch(client, screening, bearer(screener), version=1, first_signs=[])
    assert locked.status_code == 409 and locked.json()["code"] == "locked"
    taken = patch(client, screening, bearer(screener), version=1, first_signs=[], take_over=True)
    assert taken.status_code == 200 and taken.json()["locked_by"] == screener.pk


def test_scoring_a_screening_completes_it_and_returns_the_result(
    client: Client, auth: Any, screener: Any
) -> None:
    screening = interviewing(screener, answers=PRESUMED_VICTIM)
    url = f"/api/v1/screenings/{screening.pk}/score/"
    response = client.post(url, {"version": 1}, content_type="application/json", **auth)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "completed" and body["outcome"] == "presumed-victim"
    assert set(body["result"]["instruments"]) == {"ilo-adult-labour", "ilo-adult-sexual"}
    again = client.post(url, {"version": 1}, content_type="application/json", **auth)
    assert again.status_code == 200 and again.json()["result"] == body["result"]


def test_scoring_a_child_with_an_adult_instrument_is_a_400(client: Client, auth: Any, screener: Any) -> None:
    screening = interviewing(screener, age_group="under_18")
    response = client.post(
        f"/api/v1/screenings/{screening.pk}/score/",
        {"version": 1, "instruments": ["ilo-adult-labour"]},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 400
    assert "ilo-child-labour" in response.json()["instrument"][0]


def test_stateless_scoring_answers_what_lantern_screen_prints(client: Client, auth: Any) -> None:
    observed = [i for i, a in PRESUMED_VICTIM.items() if a == "yes"]
    body = {"id": "r1", "instrument": "ilo-adult-labour", "observed": observed}
    response = client.post("/api/v1/score/", body, content_type="application/json", **auth)
    assert response.status_code == 200
    printed = io.StringIO()
    screen_lines([json.dumps(body)], printed)
    assert response.json() == json.loads(printed.getvalue())
    assert response.json()["outcome"] == "presumed-victim"
    assert not Screening.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "named"),
    [
        ({"instrument": "ilo-nonsense", "observed": []}, "instrument", "ilo-adult-labour"),
        ({"instrument": "ilo-adult-labour", "observed": ["xx.unknown"]}, "observed", "xx.unknown"),
        (
            {"instrument": "ilo-adult-labour", "observed": [], "age_group": "under_18"},
            "instrument",
            "ilo-child",
        ),
    ],
)
def test_stateless_scoring_explains_bad_input(
    client: Client, auth: Any, body: dict[str, Any], field: str, named: str
) -> None:
    response = client.post("/api/v1/score/", body, content_type="application/json", **auth)
    assert response.status_code == 400
    assert named in response.json()[field][0]


def test_another_organisations_screening_is_404_and_audited(client: Client, personas: Any, auth: Any) -> None:
    theirs = interviewing(personas.other[Role.SCREENER])
    assert client.get(f"/api/v1/screenings/{theirs.pk}/", **auth).status_code == 404
    assert patch(client, theirs, auth, version=1, answers={}).status_code == 404
    assert AuditRecord.objects.filter(action="denied", object_id=str(theirs.pk)).count() == 2


@pytest.mark.parametrize("role", [Role.STATISTICS_VIEWER, Role.ORG_ADMIN, Role.LAWYER])
def test_roles_without_screening_access_are_refused(client: Client, personas: Any, role: str) -> None:
    headers = bearer(personas.own[role])
    assert client.get("/api/v1/screenings/", **headers).status_code == 403
    assert client.post("/api/v1/score/", {}, content_type="application/json", **headers).status_code == 403


def test_the_decision_maker_reads_but_cannot_patch(client: Client, personas: Any, screener: Any) -> None:
    # Decision-makers work in the competent authority: a screening of theirs.
    screening = interviewing(UserFactory(organisation=personas.own_authority, roles=[Role.SCREENER]))
    headers = bearer(personas.own[Role.NRM_DECISION_MAKER])
    assert client.get(f"/api/v1/screenings/{screening.pk}/", **headers).status_code == 200
    assert patch(client, screening, headers, version=1, answers={}).status_code == 403


def test_the_schema_documents_the_screening_endpoints(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/screenings/",
        "/api/v1/screenings/{id}/",
        "/api/v1/screenings/{id}/score/",
        "/api/v1/score/",
    } <= set(paths)
    assert "patch" in paths["/api/v1/screenings/{id}/"] and "put" not in paths["/api/v1/screenings/{id}/"]
    assert "409" in paths["/api/v1/screenings/{id}/"]["patch"]["responses"]
