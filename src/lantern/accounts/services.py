"""Changes to organisations and users. Each takes the acting user and checks the gate first.

Role rules: a role must be one that the person's organisation type may hold (`grantable`, also a database
constraint); only a system administrator grants the system administrator role; nobody changes their own roles.
Every change of roles is kept as a `RoleChange` (shown to the person and their organisation's administrators)
and audited. An organisation's type and country decide who may hold national roles and where its cases are
counted: only a system administrator changes them, giving a reason, audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.authz.gate import Denied, require

from .grantable import roles_allowed
from .models import EncryptedTOTPDevice, Organisation, RoleChange, RoleGrant, User
from .roles import OrganisationType, Role

# The organisation fields that only a system administrator may change, with a reason.
PROTECTED_ORGANISATION_FIELDS = ("type", "country")


def check_roles_grantable(actor: User, organisation: Organisation, roles: Iterable[str]) -> None:
    """Refuse roles that `actor` may not grant to a member of `organisation`.

    Raises `Denied` for the system administrator role granted by anyone else, `ValidationError` (on "roles")
    for a role that organisations of this type may not hold."""
    wanted = set(roles)
    if Role.SYSTEM_ADMIN in wanted and not actor.has_role(Role.SYSTEM_ADMIN):
        raise Denied("user.grant_system_admin")
    refused = sorted(wanted - set(roles_allowed(organisation.type)))
    if refused:
        raise ValidationError(
            {
                "roles": _("An organisation of the type “%(type)s” cannot hold these roles: %(roles)s.")
                % {
                    "type": OrganisationType(organisation.type).label,
                    "roles": ", ".join(str(Role(r).label) for r in refused if r in Role.values),
                }
            }
        )


def set_roles(user: User, roles: Iterable[str], *, actor: User | None) -> RoleChange | None:
    """Give `user` exactly `roles`; keep and audit the change. The caller has checked the rules."""
    wanted = set(roles)
    current = set(user.role_grants.values_list("role", flat=True))
    added, removed = sorted(wanted - current), sorted(current - wanted)
    if not added and not removed:
        return None
    user.role_grants.filter(role__in=removed).delete()
    for role in added:
        RoleGrant.objects.create(user=user, role=role, organisation_type=user.organisation.type)
    user.__dict__.pop("roles", None)
    change = RoleChange.objects.create(user=user, changed_by=actor, added=added, removed=removed)
    record(
        AuditRecord.Action.UPDATE,
        user,
        actor=actor,
        fields=["roles"],
        detail={"roles_added": added, "roles_removed": removed},
    )
    return change


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
    check_roles_grantable(actor, organisation, roles)
    user = User(
        username=username, email=email, first_name=first_name, last_name=last_name, organisation=organisation
    )
    try:
        User._meta.get_field("username").run_validators(username)
    except ValidationError as exc:
        raise ValidationError({"username": exc.messages}) from exc
    validate_password(password, user)
    user.set_password(password)
    user.save()
    set_roles(user, roles, actor=actor)
    return user


@transaction.atomic
def update_user(
    *, actor: User, user: User, changes: dict[str, Any], roles: Iterable[str] | None = None
) -> User:
    """Change a person's details and (if `roles` is given) roles. Nobody changes their own roles."""
    require(actor, "user.change", user)
    if roles is not None:
        roles = set(roles)
        if roles != set(user.role_grants.values_list("role", flat=True)):
            if user.pk == actor.pk:
                raise Denied("user.change_own_roles", user)
            if user.has_role(Role.SYSTEM_ADMIN) and not actor.has_role(Role.SYSTEM_ADMIN):
                raise Denied("user.change", user)
            check_roles_grantable(actor, user.organisation, roles)
        else:
            roles = None
    for name in ("first_name", "last_name", "email", "is_active"):
        if name in changes:
            setattr(user, name, changes[name])
    user.save()
    if roles is not None:
        set_roles(user, roles, actor=actor)
    return user


@transaction.atomic
def create_organisation(*, actor: User, **fields: Any) -> Organisation:
    require(actor, "organisation.create")
    org = Organisation(**fields)
    org.full_clean()
    org.save()
    return org


@transaction.atomic
def update_organisation(
    *, actor: User, organisation: Organisation, changes: dict[str, Any], reason: str = ""
) -> Organisation:
    """Change an organisation. Its type and country only by a system administrator, with a reason (audited);
    a new type must allow every role its members hold."""
    require(actor, "organisation.change", organisation)
    before = {name: str(getattr(organisation, name)) for name in PROTECTED_ORGANISATION_FIELDS}
    protected = {
        name: str(changes[name])
        for name in PROTECTED_ORGANISATION_FIELDS
        if name in changes and str(changes[name]) != before[name]
    }
    if protected:
        if not actor.has_role(Role.SYSTEM_ADMIN):
            raise Denied("organisation.change_type", organisation)
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the organisation's type or country changes.")})
    for name, value in changes.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    if "type" in protected:
        _retype_role_grants(organisation)
    if protected:
        record(
            AuditRecord.Action.UPDATE,
            organisation,
            actor=actor,
            fields=sorted(protected),
            detail={
                "from": {name: before[name] for name in protected},
                "to": protected,
                "reason": reason.strip(),
            },
        )
    return organisation


def _retype_role_grants(organisation: Organisation) -> None:
    allowed = roles_allowed(organisation.type)
    grants = RoleGrant.objects.filter(user__organisation=organisation)
    refused = grants.exclude(role__in=allowed).select_related("user").order_by("user__username", "role")
    if refused.exists():
        raise ValidationError(
            {
                "type": _(
                    "Members hold roles that an organisation of this type cannot hold: %(grants)s. "
                    "Remove those roles first."
                )
                % {"grants": ", ".join(f"{g.user.username} ({Role(g.role).label})" for g in refused)}
            }
        )
    grants.update(organisation_type=organisation.type)


@transaction.atomic
def reset_second_factor(*, actor: User, user: User, reason: str) -> int:
    """Remove a person's authenticators (a lost phone): they enrol a new one at their next sign-in, and a
    session verified with the old one must verify again. Not one's own; audited with the reason. Returns how
    many authenticators were removed."""
    require(actor, "user.change", user)
    if user.pk == actor.pk or (user.has_role(Role.SYSTEM_ADMIN) and not actor.has_role(Role.SYSTEM_ADMIN)):
        raise Denied("user.reset_second_factor", user)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the authenticator is reset.")})
    removed, _details = EncryptedTOTPDevice.objects.filter(user=user).delete()
    record(
        AuditRecord.Action.UPDATE,
        user,
        actor=actor,
        fields=["second_factor"],
        detail={"second_factor_reset": removed, "reason": reason.strip()},
    )
    return removed
