"""Which roles an organisation of each type may hold: data, read by the services, the forms and the database.

A role missing from an organisation type's list cannot be granted to its members by anyone (the check
constraint `role_allowed_for_organisation_type` on `RoleGrant` enforces the same table). National roles
belong to the competent authority; service provider staff to organisations that offer services. System
administrators belong to the operator's organisation, whatever its type; only a system administrator grants
that role (`services.check_roles_grantable`). Changing this table needs a migration (`lantern makemigrations
accounts`): the database constraint is generated from it."""

from __future__ import annotations

from django.db.models import Q

from .roles import OrganisationType, Role

_EVERY_ORGANISATION = (
    Role.SCREENER,
    Role.CASE_WORKER,
    Role.LAWYER,
    Role.ORG_ADMIN,
    Role.STATISTICS_VIEWER,
    Role.SYSTEM_ADMIN,
)
_OFFERS_SERVICES = (*_EVERY_ORGANISATION, Role.SERVICE_PROVIDER)

ROLES_BY_ORGANISATION_TYPE: dict[str, tuple[str, ...]] = {
    OrganisationType.RECEPTION_CENTRE: _OFFERS_SERVICES,  # accommodation, medical and psychosocial care
    OrganisationType.NGO: _OFFERS_SERVICES,
    OrganisationType.SHELTER: _OFFERS_SERVICES,
    OrganisationType.HEALTH_PROVIDER: _OFFERS_SERVICES,
    OrganisationType.LEGAL_AID: _OFFERS_SERVICES,
    OrganisationType.INTERNATIONAL: _OFFERS_SERVICES,
    OrganisationType.POLICE: _EVERY_ORGANISATION,
    OrganisationType.LABOUR_INSPECTORATE: _EVERY_ORGANISATION,
    OrganisationType.PROSECUTION: _EVERY_ORGANISATION,
    OrganisationType.NRM_AUTHORITY: (*_EVERY_ORGANISATION, Role.NRM_DECISION_MAKER),
}


def roles_allowed(organisation_type: str) -> tuple[str, ...]:
    """The roles that members of an organisation of this type may hold, in the order of `Role`."""
    allowed = set(ROLES_BY_ORGANISATION_TYPE.get(organisation_type, ()))
    return tuple(role for role in Role.values if role in allowed)


def organisation_types_for(role: str) -> list[str]:
    """The organisation types whose members may hold `role`, in the order of `OrganisationType`."""
    return [kind for kind in OrganisationType.values if role in ROLES_BY_ORGANISATION_TYPE.get(kind, ())]


def allowed_pairs_q() -> Q:
    """The table as a condition on `RoleGrant` rows (role, organisation_type), for the check constraint."""
    condition = Q()
    for role in Role.values:
        kinds = organisation_types_for(role)
        if kinds:
            condition |= Q(role=role, organisation_type__in=kinds)
    return condition


# Organisations that take responsibility for a case (own it, assign it, receive it in a handover): those
# with case workers who manage the NRM file. Reception centres, shelters and other services receive
# referrals for a service, but a case is handed over only to one of these.
ORGANISATION_TYPES_MANAGING_CASES = frozenset(
    {OrganisationType.NGO, OrganisationType.NRM_AUTHORITY, OrganisationType.INTERNATIONAL}
)


def manages_cases(organisation_type: str) -> bool:
    """Whether an organisation of this type may be made responsible for a case (`cases.handovers`)."""
    return organisation_type in ORGANISATION_TYPES_MANAGING_CASES
