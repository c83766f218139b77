"""Who may start, see, change and read the result of screenings.

Screenings hold what a person told about possible exploitation: only the people who interview (frontline
screeners, case workers) and the NRM decision-makers of the SAME organisation see them. Statistics viewers,
lawyers, service providers and administrators (organisation and system) see no screening content: least
privilege, the administrators' job is accounts, not cases. Other organisations' screenings answer 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lantern.accounts.models import Organisation
from lantern.accounts.roles import Role
from lantern.authz.gate import rule, scope

from .models import Screening

INTERVIEWERS = (Role.SCREENER, Role.CASE_WORKER)
READERS = (*INTERVIEWERS, Role.NRM_DECISION_MAKER)


def _same_organisation(actor: Any, obj: Any) -> bool:
    if obj is None:
        return True
    organisation_id = obj.pk if isinstance(obj, Organisation) else getattr(obj, "organisation_id", None)
    return organisation_id == actor.organisation_id


@rule("screening.create")
def may_start_screening(actor: Any, obj: Any) -> bool:
    """obj: the organisation (or a new screening of it) the screening would belong to."""
    return actor.has_role(*INTERVIEWERS) and _same_organisation(actor, obj)


@rule("screening.change")
def may_change_screening(actor: Any, obj: Any) -> bool:
    return actor.has_role(*INTERVIEWERS) and _same_organisation(actor, obj)


@rule("screening.view")
def may_view_screening(actor: Any, obj: Any) -> bool:
    return actor.has_role(*READERS) and _same_organisation(actor, obj)


@rule("screening.view_result")
def may_view_screening_result(actor: Any, obj: Any) -> bool:
    return actor.has_role(*READERS) and _same_organisation(actor, obj)


@rule("screening.score")
def may_use_the_scoring_tool(actor: Any, obj: Any) -> bool:
    """The stateless scoring endpoint: indicator ids in, result out; no personal data is stored."""
    return actor.has_role(*READERS)


def _own_organisation(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(organisation_id=actor.organisation_id)


for _action in ("screening.view", "screening.change", "screening.view_result"):
    scope(Screening, _action)(_own_organisation)
