"""Who may see and change a case's legal track. Everyone else gets nothing (other organisations: 404).

- Case workers of the organisation that holds the case: see and change the legal track, and assign or
  replace the legal-aid lawyer (which grants the lawyer access through `cases.sharing.grant_case_access`).
- The lawyer assigned to the case (a user with the lawyer role, of any organisation), while the access grant
  made for the assignment is active (revoking the consent it rests on ends it): sees and changes the legal
  track. A lawyer who merely holds some other grant on the case does not.
- Screeners, NRM decision-makers, service providers, administrators, statistics viewers: no legal track.

The rules take a case, or any object with a `case` (a legal-track record).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from lantern.accounts.roles import Role
from lantern.authz.gate import rule, scope
from lantern.cases.models import Case, CaseAccess
from lantern.cases.policies import case_worker_q

from .models import LegalTrack

LEGAL_ROLES = (Role.CASE_WORKER, Role.LAWYER)


def case_of(obj: Any) -> Any:
    """The case an object of the legal track belongs to (the object itself for a case)."""
    if obj is None or isinstance(obj, Case):
        return obj
    if hasattr(obj, "proceeding"):  # a hearing
        return obj.proceeding.case
    return obj.case


def assigned_lawyer_q(actor: Any) -> Q:
    """Cases whose legal track names the actor as lawyer, through an access grant still active."""
    if not actor.has_role(Role.LAWYER):
        return Q(pk__in=[])
    active = CaseAccess.objects.active().filter(user_id=actor.pk)
    tracks = LegalTrack.objects.filter(case=OuterRef("pk"), lawyer_id=actor.pk, lawyer_access__in=active)
    return Q(Exists(tracks))


def legal_track_q(actor: Any) -> Q:
    return case_worker_q(actor) | assigned_lawyer_q(actor)


def _case_worker_of(actor: Any, case: Any) -> bool:
    return actor.has_role(Role.CASE_WORKER) and case.organisation_id == actor.organisation_id


def is_assigned_lawyer(actor: Any, case: Any) -> bool:
    if case is None or case.pk is None or not actor.has_role(Role.LAWYER):
        return False
    return Case.objects.filter(pk=case.pk).filter(assigned_lawyer_q(actor)).exists()


@rule("legal.view")
def may_view_legal_track(actor: Any, obj: Any) -> bool:
    if obj is None:
        return actor.has_role(*LEGAL_ROLES)
    case = case_of(obj)
    return _case_worker_of(actor, case) or is_assigned_lawyer(actor, case)


@rule("legal.change")
def may_change_legal_track(actor: Any, obj: Any) -> bool:
    return may_view_legal_track(actor, obj)


@rule("legal.assign_lawyer")
def may_assign_lawyer(actor: Any, obj: Any) -> bool:
    if obj is None:
        return actor.has_role(Role.CASE_WORKER)
    return _case_worker_of(actor, case_of(obj))


def _with_legal_track(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(legal_track_q(actor))


def _case_worker(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(case_worker_q(actor))


scope(Case, "legal.view")(_with_legal_track)
scope(Case, "legal.change")(_with_legal_track)
scope(Case, "legal.assign_lawyer")(_case_worker)
