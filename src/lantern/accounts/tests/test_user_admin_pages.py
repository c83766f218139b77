"""Organisation admins manage their own organisation's people only; other organisations are 404s."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lantern.accounts.models import User
from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord

pytestmark = pytest.mark.django_db


def test_user_list_shows_own_organisation_only_and_is_audited(login_client: Any, personas: Any) -> None:
    client = login_client(personas.own[Role.ORG_ADMIN])
    body = client.get(reverse("accounts:user_list")).content.decode()
    assert "own_screener" in body and "other_screener" not in body
    assert AuditRecord.objects.filter(action="view", object_id="list", actor_label="own_org_admin").exists()


def test_user_list_query_count_does_not_grow_with_users(
    login_client: Any, personas: Any, django_assert_max_num_queries: Any
) -> None:
    from lantern.accounts.tests.factories import UserFactory

    client = login_client(personas.own[Role.ORG_ADMIN])
    UserFactory.create_batch(30, organisation=personas.own_org, roles=[Role.CASE_WORKER])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("accounts:user_list")).status_code == 200


def test_editing_another_organisations_user_is_404_and_audited(login_client: Any, personas: Any) -> None:
    target = personas.other[Role.CASE_WORKER]
    client = login_client(personas.own[Role.ORG_ADMIN])
    response = client.post(reverse("accounts:user_edit", args=[target.pk]), {"email": "x@example.invalid"})
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.email != "x@example.invalid"
    assert AuditRecord.objects.filter(action="denied", object_id=str(target.pk)).exists()


def test_org_admin_creates_a_person_with_roles(login_client: Any, personas: Any) -> None:
    client = login_client(personas.own[Role.ORG_ADMIN])
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "newcomer",
            "email": "new@example.invalid",
            "roles": ["screener"],
            "organisation": personas.own_org.pk,
            "password": "a long new password 7",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    assert user.organisation == personas.own_org and user.roles == {"screener"}


def test_invalid_form_shows_the_error_summary_and_keeps_the_input(login_client: Any, personas: Any) -> None:
    client = login_client(personas.own[Role.ORG_ADMIN])
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "keepme",
            "email": "not-an-email",
            "organisation": personas.own_org.pk,
            "password": "short",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and 'href="#id_email"' in body
    assert 'value="keepme"' in body and 'value="not-an-email"' in body
    assert "<title>Error:" in body
    assert not User.objects.filter(username="keepme").exists()


def test_org_admin_cannot_choose_another_organisation(login_client: Any, personas: Any) -> None:
    client = login_client(personas.own[Role.ORG_ADMIN])
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "planted",
            "email": "p@example.invalid",
            "organisation": personas.other_org.pk,
            "password": "a long new password 7",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="planted").exists()


@pytest.mark.parametrize("role", [r.value for r in Role if r not in (Role.ORG_ADMIN, Role.SYSTEM_ADMIN)])
def test_roles_other_than_admins_cannot_open_people_pages(
    login_client: Any, personas: Any, role: str
) -> None:
    client = login_client(personas.own[role])
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.get(reverse("audit:search")).status_code == 403


def test_org_admin_sees_only_own_organisation_audit_records(login_client: Any, personas: Any) -> None:
    personas.other[Role.SCREENER].save()  # an update in the other organisation
    client = login_client(personas.own[Role.ORG_ADMIN])
    page = client.get(reverse("audit:search"))
    assert page.status_code == 200
    orgs = {r.organisation_id for r in page.context["page"]}
    assert orgs <= {personas.own_org.pk}
    csv = b"".join(client.get(reverse("audit:export_csv")).streaming_content).decode()
    assert csv.startswith("seq,at,actor")
    assert AuditRecord.objects.filter(action="export", object_type="audit.auditrecord").exists()
