"""Who may see statistics (gate rules, default deny). Statistics are counts, never a case.

- Statistics viewers and NRM decision-makers (the national coordinators) count the cases of every organisation
  in their own organisation's country (national figures). Organisation administrators count their own
  organisation's cases only. Everyone else (and system administrators, who run the system but see no case
  figures) is refused.
- Only cases whose consent allows "inclusion in statistics" are counted (`consents.sharing_allowed_q`).
- The CTDC microdata export (one row per person) is for NRM decision-makers only: they are signed in with two
  factors and already see the cases referred to them. Statistics viewers get the anonymised releases instead.
- `obj` for these actions is the organisation whose cases would be counted. The same scopes apply to the
  cases' statistics fact rows (`models.CaseFact`), which the pages read.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lantern.accounts.models import Organisation
from lantern.accounts.roles import Role
from lantern.authz.gate import rule, scope
from lantern.cases.models import Case, Purpose
from lantern.cases.sharing import sharing_allowed_q

from .models import CaseFact

NATIONAL_ROLES = (Role.STATISTICS_VIEWER, Role.NRM_DECISION_MAKER)
VIEWER_ROLES = (*NATIONAL_ROLES, Role.ORG_ADMIN)
MICRODATA_ROLES = (Role.NRM_DECISION_MAKER,)


def _country_of(actor: Any) -> str:
    return actor.organisation.country.code


def counts_for(actor: Any, organisation: Any, roles: tuple[str, ...]) -> bool:
    """Whether the actor, through one of `roles`, counts the cases of `organisation`."""
    if actor.has_role(*(r for r in roles if r in NATIONAL_ROLES)):
        if organisation.country.code == _country_of(actor):
            return True
    return (
        Role.ORG_ADMIN in roles
        and actor.has_role(Role.ORG_ADMIN)
        and organisation.pk == actor.organisation_id
    )


def countable_q(actor: Any, roles: tuple[str, ...] = VIEWER_ROLES) -> Q:
    """A condition on Case: the cases the actor counts (by organisation), consent not yet applied."""
    condition = Q(pk__in=[])
    if actor.has_role(*(r for r in roles if r in NATIONAL_ROLES)):
        condition |= Q(organisation__country=_country_of(actor))
    if Role.ORG_ADMIN in roles and actor.has_role(Role.ORG_ADMIN):
        condition |= Q(organisation_id=actor.organisation_id)
    return condition


def _organisation(obj: Any) -> Any:
    return obj if isinstance(obj, Organisation) else getattr(obj, "organisation", None)


@rule("insights.view")
def may_view_statistics(actor: Any, obj: Any) -> bool:
    if obj is None:
        return actor.has_role(*VIEWER_ROLES)
    return counts_for(actor, _organisation(obj), VIEWER_ROLES)


@rule("insights.export")
def may_export_statistics(actor: Any, obj: Any) -> bool:
    if obj is None:
        return actor.has_role(*VIEWER_ROLES)
    return counts_for(actor, _organisation(obj), VIEWER_ROLES)


@rule("insights.microdata")
def may_export_microdata(actor: Any, obj: Any) -> bool:
    if obj is None:
        return actor.has_role(*MICRODATA_ROLES)
    return counts_for(actor, _organisation(obj), MICRODATA_ROLES)


def _counted(roles: tuple[str, ...]) -> Any:
    def narrow(actor: Any, qs: QuerySet) -> QuerySet:
        return qs.filter(countable_q(actor, roles) & sharing_allowed_q(Purpose.STATISTICS))

    return narrow


def _counted_facts(roles: tuple[str, ...]) -> Any:
    # The same organisations; the fact row carries the consent check's result (kept current by `signals`).
    def narrow(actor: Any, qs: QuerySet) -> QuerySet:
        return qs.filter(countable_q(actor, roles), counted=True)

    return narrow


scope(Case, "insights.view")(_counted(VIEWER_ROLES))
scope(Case, "insights.export")(_counted(VIEWER_ROLES))
scope(Case, "insights.microdata")(_counted(MICRODATA_ROLES))
scope(CaseFact, "insights.view")(_counted_facts(VIEWER_ROLES))
scope(CaseFact, "insights.export")(_counted_facts(VIEWER_ROLES))
scope(CaseFact, "insights.microdata")(_counted_facts(MICRODATA_ROLES))
