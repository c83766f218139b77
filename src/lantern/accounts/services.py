"""Changes to organisations and users. Each takes the acting user and checks the gate first."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from lantern.authz.gate import Denied, require

from .models import Organisation, RoleGrant, User
from .roles import Role


def _check_roles_grantable(actor: User, roles: Iterable[str]) -> None:
    # Only a system admin can make another system admin: organisation admins cannot escalate.
    if Role.SYSTEM_ADMIN in set(roles) and not actor.has_role(Role.SYSTEM_ADMIN):
        raise Denied("user.grant_system_admin")


def set_roles(user: User, roles: Iterable[str]) -> None:
    wanted = set(roles)
    current = set(user.role_grants.values_list("role", flat=True))
    for role in current - wanted:
        user.role_grants.get(role=role).delete()
    for role in sorted(wanted - current):
        RoleGrant.objects.create(user=user, role=role)
    user.__dict__.pop("roles", None)


@transaction.atomic
def create_user(
    *,
    actor: User,
    organisation: Organisation,
    username: str,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    roles: Iterable[str] = (),
) -> User:
    """Create a user in `organisation` with `roles`; the password must pass the validators."""
    require(actor, "user.create", organisation)
    roles = list(roles)
    _check_roles_grantable(actor, roles)
    user = User(
        username=username, email=email, first_name=first_name, last_name=last_name, organisation=organisation
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    set_roles(user, roles)
    return user


@transaction.atomic
def update_user(
    *, actor: User, user: User, changes: dict[str, Any], roles: Iterable[str] | None = None
) -> User:
    require(actor, "user.change", user)
    if roles is not None:
        roles = list(roles)
        _check_roles_grantable(actor, roles)
        if user.has_role(Role.SYSTEM_ADMIN) and not actor.has_role(Role.SYSTEM_ADMIN):
            raise Denied("user.change", user)
    for name in ("first_name", "last_name", "email", "is_active"):
        if name in changes:
            setattr(user, name, changes[name])
    user.save()
    if roles is not None:
        set_roles(user, roles)
    return user


@transaction.atomic
def create_organisation(*, actor: User, **fields: Any) -> Organisation:
    require(actor, "organisation.create")
    org = Organisation(**fields)
    org.full_clean()
    org.save()
    return org


@transaction.atomic
def update_organisation(*, actor: User, organisation: Organisation, changes: dict[str, Any]) -> Organisation:
    require(actor, "organisation.change", organisation)
    for name, value in changes.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    return organisation
