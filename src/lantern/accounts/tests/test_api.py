"""The API goes through the same gate: tokens or verified sessions; other organisations' objects are 404s."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import ApiToken
from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_schema_is_served_and_describes_the_api(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/users/" in schema["paths"] and "/api/v1/users/{id}/" in schema["paths"]
    assert "bearerAuth" in schema["components"]["securitySchemes"]


def test_anonymous_requests_are_refused(client: Client) -> None:
    assert client.get("/api/v1/users/").status_code == 401


def test_revoked_or_unknown_tokens_are_refused(client: Client, personas: Any) -> None:
    token, raw = ApiToken.issue(personas.own[Role.ORG_ADMIN], "t")
    token.revoked = True
    token.save()
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer lt_nonsense").status_code == 401


def test_token_is_stored_as_a_digest_only(personas: Any) -> None:
    token, raw = ApiToken.issue(personas.own[Role.ORG_ADMIN], "t")
    assert raw not in {token.digest, token.prefix}
    assert not ApiToken.objects.filter(digest=raw).exists()


def test_org_admin_lists_only_own_organisation_users(client: Client, personas: Any) -> None:
    response = client.get("/api/v1/users/", **bearer(personas.own[Role.ORG_ADMIN]))
    assert response.status_code == 200
    orgs = {row["organisation"] for row in response.json()["results"]}
    assert orgs == {personas.own_org.pk}
    assert AuditRecord.objects.filter(action="view", object_type="accounts.user", object_id="list").exists()


def test_other_organisation_object_is_404_and_the_attempt_is_audited(client: Client, personas: Any) -> None:
    outsider_target = personas.other[Role.SCREENER]
    response = client.get(f"/api/v1/users/{outsider_target.pk}/", **bearer(personas.own[Role.ORG_ADMIN]))
    assert response.status_code == 404
    denied = AuditRecord.objects.filter(
        action="denied", object_type="accounts.user", object_id=str(outsider_target.pk)
    )
    assert denied.count() == 1
    # A missing id answers exactly the same way (nothing confirms which ids exist).
    missing = client.get("/api/v1/users/999999/", **bearer(personas.own[Role.ORG_ADMIN]))
    assert missing.status_code == 404 and missing.json() == response.json()


def test_roles_without_the_action_are_refused(client: Client, personas: Any) -> None:
    response = client.get("/api/v1/users/", **bearer(personas.own[Role.SCREENER]))
    assert response.status_code == 403


def test_session_without_two_factor_is_refused(client: Client, personas: Any) -> None:
    client.force_login(personas.own[Role.ORG_ADMIN])
    assert client.get("/api/v1/users/").status_code == 403


def test_org_admin_creates_a_user_in_own_organisation_and_cannot_grant_system_admin(
    client: Client, personas: Any
) -> None:
    headers = bearer(personas.own[Role.ORG_ADMIN])
    payload = {
        "username": "newscreener",
        "email": "n@example.invalid",
        "password": "long enough password 1",
        "roles": ["screener"],
    }
    response = client.post("/api/v1/users/", payload, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    assert response.json()["organisation"] == personas.own_org.pk and response.json()["roles"] == ["screener"]
    escalate = {**payload, "username": "sneaky", "roles": ["system_admin"]}
    response = client.post("/api/v1/users/", escalate, content_type="application/json", **headers)
    assert response.status_code == 403
    from lantern.accounts.models import User

    assert not User.objects.filter(username="sneaky").exists()


def test_bad_input_gets_field_errors(client: Client, personas: Any) -> None:
    response = client.post(
        "/api/v1/users/",
        {"username": "", "roles": ["emperor"]},
        content_type="application/json",
        **bearer(personas.own[Role.ORG_ADMIN]),
    )
    assert response.status_code == 400
    body = response.json()
    assert {"username", "email", "password", "roles"} <= set(body)
