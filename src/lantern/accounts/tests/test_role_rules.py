"""Finding 1 of the security review: an organisation administrator granted themselves a national role.

Which roles an organisation may hold is data (`accounts.grantable`), enforced by the services, the database
and the forms; nobody changes their own roles; role changes are kept and shown; an organisation's type and
country are changed by a system administrator only, with a reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from lantern.accounts import grantable, services
from lantern.accounts.models import ApiToken, Organisation, RoleChange, RoleGrant, User
from lantern.accounts.roles import OrganisationType, Role
from lantern.accounts.tests.factories import OrganisationFactory, UserFactory
from lantern.audit.models import AuditRecord
from lantern.authz.gate import Denied

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def edit(client: Client, user: Any, roles: list[str]) -> Any:
    return client.post(
        reverse("accounts:user_edit", args=[user.pk]),
        {"username": user.username, "email": user.email, "roles": roles, "is_active": "on"},
    )


def fresh_roles(user: Any) -> set[str]:
    return set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))


def test_org_admin_cannot_grant_themselves_a_national_role_on_the_web(
    login_client: Any, personas: Any
) -> None:
    admin = personas.own[Role.ORG_ADMIN]
    edit(login_client(admin), admin, [Role.ORG_ADMIN, Role.NRM_DECISION_MAKER])
    assert fresh_roles(admin) == {Role.ORG_ADMIN}


def test_nobody_changes_their_own_roles_not_even_a_system_admin(login_client: Any, personas: Any) -> None:
    admin = personas.own[Role.SYSTEM_ADMIN]
    client = login_client(admin)
    assert (
        "You cannot change your own roles"
        in client.get(reverse("accounts:user_edit", args=[admin.pk])).content.decode()
    )
    edit(client, admin, [Role.SYSTEM_ADMIN, Role.CASE_WORKER])
    assert fresh_roles(admin) == {Role.SYSTEM_ADMIN}


def test_org_admin_cannot_grant_a_colleague_a_role_their_organisation_may_not_hold(
    login_client: Any, personas: Any
) -> None:
    client = login_client(personas.own[Role.ORG_ADMIN])
    colleague = personas.own[Role.CASE_WORKER]
    page = client.get(reverse("accounts:user_edit", args=[colleague.pk])).content.decode()
    assert 'value="nrm_decision_maker"' not in page and "NRM competent authority" in page
    response = edit(client, colleague, [Role.CASE_WORKER, Role.NRM_DECISION_MAKER])
    assert response.status_code == 200
    assert fresh_roles(colleague) == {Role.CASE_WORKER}


def test_org_admin_cannot_create_a_national_role_account_on_the_web(login_client: Any, personas: Any) -> None:
    client = login_client(personas.own[Role.ORG_ADMIN])
    client.post(
        reverse("accounts:user_create"),
        {
            "username": "puppet",
            "email": "puppet@example.invalid",
            "roles": [Role.NRM_DECISION_MAKER],
            "organisation": personas.own_org.pk,
            "password": "a long new password 7",
        },
    )
    assert not User.objects.filter(username="puppet").exists()


def test_org_admin_cannot_create_a_national_role_account_through_the_api(
    client: Client, personas: Any
) -> None:
    response = client.post(
        "/api/v1/users/",
        {
            "username": "puppet",
            "email": "puppet@example.invalid",
            "password": "a long new password 7",
            "roles": [Role.NRM_DECISION_MAKER],
        },
        content_type="application/json",
        **bearer(personas.own[Role.ORG_ADMIN]),
    )
    assert response.status_code == 400 and "roles" in response.json()
    assert not User.objects.filter(username="puppet").exists()


def test_the_database_refuses_a_role_the_organisation_type_may_not_hold(personas: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=personas.own[Role.CASE_WORKER], role=Role.NRM_DECISION_MAKER)
    decider = RoleGrant.objects.filter(user=personas.own[Role.NRM_DECISION_MAKER])
    with pytest.raises(IntegrityError), transaction.atomic():
        decider.update(organisation_type=OrganisationType.RECEPTION_CENTRE)


def test_the_service_refuses_a_change_of_ones_own_roles(personas: Any) -> None:
    admin = personas.own[Role.ORG_ADMIN]
    with pytest.raises(Denied):
        services.update_user(actor=admin, user=admin, changes={}, roles=[Role.ORG_ADMIN, Role.SCREENER])
    services.update_user(actor=admin, user=admin, changes={"first_name": "Maria"}, roles=[Role.ORG_ADMIN])
    assert fresh_roles(admin) == {Role.ORG_ADMIN}


def test_every_organisation_type_has_its_roles_and_national_roles_only_in_the_authority() -> None:
    assert set(grantable.ROLES_BY_ORGANISATION_TYPE) == set(OrganisationType.values)
    assert grantable.organisation_types_for(Role.NRM_DECISION_MAKER) == [OrganisationType.NRM_AUTHORITY]
    assert OrganisationType.POLICE not in grantable.organisation_types_for(Role.SERVICE_PROVIDER)


def test_a_role_change_is_kept_audited_and_shown_to_the_person_and_other_admins(
    login_client: Any, client: Client, personas: Any
) -> None:
    admin, colleague = personas.own[Role.ORG_ADMIN], personas.own[Role.SCREENER]
    second_admin = UserFactory(organisation=personas.own_org, roles=[Role.ORG_ADMIN], username="second_admin")
    response = edit(login_client(admin), colleague, [Role.SCREENER, Role.CASE_WORKER])
    assert response.status_code == 302
    change = RoleChange.objects.get(user=colleague)
    assert change.added == [Role.CASE_WORKER] and change.removed == [] and change.changed_by == admin
    audit = AuditRecord.objects.get(action="update", object_id=str(colleague.pk), fields=["roles"])
    assert audit.detail == {"roles_added": ["case_worker"], "roles_removed": []}
    client.logout()
    own_page = login_client(colleague).get(reverse("accounts:account")).content.decode()
    assert "Case worker" in own_page and "own_org_admin" in own_page
    client.logout()
    other_admin_page = login_client(second_admin).get(reverse("accounts:user_edit", args=[colleague.pk]))
    assert "own_org_admin" in other_admin_page.content.decode()


def test_org_admin_cannot_change_their_organisations_type_or_country(
    login_client: Any, personas: Any
) -> None:
    organisation = personas.own_org
    client = login_client(personas.own[Role.ORG_ADMIN])
    url = reverse("accounts:organisation_edit", args=[organisation.pk])
    data = {
        "name": organisation.name,
        "type": "nrm_authority",
        "country": "FR",
        "languages": "el",
        "active": "on",
    }
    client.post(url, data)
    organisation.refresh_from_db()
    assert organisation.type == OrganisationType.RECEPTION_CENTRE and organisation.country.code == "GR"
    assert organisation.languages == ["el"]  # the other fields are still theirs to change


def test_system_admin_changes_an_organisations_type_with_a_reason_audited(
    login_client: Any, personas: Any
) -> None:
    organisation = OrganisationFactory(name="Harbour Police Unit", type=OrganisationType.POLICE)
    member = UserFactory(organisation=organisation, roles=[Role.CASE_WORKER])
    client = login_client(personas.own[Role.SYSTEM_ADMIN])
    url = reverse("accounts:organisation_edit", args=[organisation.pk])
    data = {
        "name": organisation.name,
        "type": "nrm_authority",
        "country": "GR",
        "languages": "el",
        "active": "on",
    }
    assert client.post(url, data).status_code == 200  # no reason
    assert Organisation.objects.get(pk=organisation.pk).type == OrganisationType.POLICE
    assert client.post(url, {**data, "reason": "Designated by decree 12/2026"}).status_code == 302
    assert Organisation.objects.get(pk=organisation.pk).type == OrganisationType.NRM_AUTHORITY
    assert RoleGrant.objects.get(user=member).organisation_type == OrganisationType.NRM_AUTHORITY
    audit = AuditRecord.objects.get(action="update", object_id=str(organisation.pk), fields=["type"])
    assert audit.detail["reason"] == "Designated by decree 12/2026"
    assert audit.detail["from"] == {"type": "police"} and audit.detail["to"] == {"type": "nrm_authority"}


def test_a_type_change_that_would_leave_members_with_refused_roles_is_refused(
    login_client: Any, personas: Any
) -> None:
    client = login_client(personas.own[Role.SYSTEM_ADMIN])
    organisation = personas.own_authority
    url = reverse("accounts:organisation_edit", args=[organisation.pk])
    data = {"name": organisation.name, "type": "police", "country": "GR", "languages": "el", "reason": "x"}
    response = client.post(url, data)
    assert response.status_code == 200 and "own_nrm_decision_maker" in response.content.decode()
    assert Organisation.objects.get(pk=organisation.pk).type == OrganisationType.NRM_AUTHORITY
