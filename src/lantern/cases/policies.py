"""Who may see and change NRM cases. Least privilege; everything else is denied (and other organisations 404).

- Case workers: every case of their own organisation — view, change, consents, referral to the NRM, stage
  steps of the case worker, access grants.
- Screeners (frontline): open cases for their organisation, and view, change and record consents on the cases
  THEY opened only; they do not refer, move stages or grant access (the case worker takes the case over).
- NRM decision-makers: the cases referred to THEIR organisation while sharing with the competent authority is
  allowed (`consent_allows`: adult consent, or for a child the guardian's consent / a best-interests
  determination). They see the case without the contact details, take the authority's stage steps and alone
  record stage decisions.
- Lawyers, service providers (and case workers of another organisation): only cases with an active
  `CaseAccess` for them or their organisation, and only the field groups granted.
- Organisation and system administrators, statistics viewers: no case content.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lantern.accounts.models import Organisation
from lantern.accounts.roles import Role
from lantern.authz.gate import rule, scope

from .models import ALL_FIELD_GROUPS, Case, CaseAccess, Handover, Purpose
from .sharing import sharing_allowed_q

GRANTEE_ROLES = (Role.LAWYER, Role.SERVICE_PROVIDER, Role.CASE_WORKER)
VIEWER_ROLES = (Role.SCREENER, Role.CASE_WORKER, Role.NRM_DECISION_MAKER, Role.LAWYER, Role.SERVICE_PROVIDER)
# The competent authority does not need contact details, and the legal track is for lawyers and case workers.
DECISION_MAKER_GROUPS = ALL_FIELD_GROUPS - {"contact", "legal"}


def _organisation_of(obj: Any) -> Any:
    return obj.pk if isinstance(obj, Organisation) else getattr(obj, "organisation_id", None)


# SQL conditions on Case, one per way of seeing a case --------------------------------------------------


def owner_q(actor: Any) -> Q:
    """Cases the actor holds as its organisation's case worker, or opened as a screener."""
    conditions = Q(pk__in=[])
    if actor.has_role(Role.CASE_WORKER):
        conditions |= Q(organisation_id=actor.organisation_id)
    if actor.has_role(Role.SCREENER):
        conditions |= Q(organisation_id=actor.organisation_id, created_by_id=actor.pk)
    return conditions


def case_worker_q(actor: Any) -> Q:
    if actor.has_role(Role.CASE_WORKER):
        return Q(organisation_id=actor.organisation_id)
    return Q(pk__in=[])


def authority_q(actor: Any) -> Q:
    """Cases referred to the actor's organisation, while sharing with the competent authority is allowed."""
    if not actor.has_role(Role.NRM_DECISION_MAKER):
        return Q(pk__in=[])
    return Q(referred_to_id=actor.organisation_id) & sharing_allowed_q(
        Purpose.COMPETENT_AUTHORITY, actor.organisation_id
    )


# Roles that see cases other than through grants (their organisation's, or those referred to it).
OWNER_ROLES = (Role.CASE_WORKER, Role.SCREENER, Role.NRM_DECISION_MAKER)
GRANT_IDS_INLINE = 1000


def grants_for(actor: Any) -> QuerySet:
    return CaseAccess.objects.active().filter(Q(user_id=actor.pk) | Q(organisation_id=actor.organisation_id))


def granted_q(actor: Any) -> Q:
    """Cases granted to the actor or its organisation. Most actors hold no grant: then the condition is
    dropped, so that lists stay plain index scans on the organisation (no per-row sub-query)."""
    if not actor.has_role(*GRANTEE_ROLES):
        return Q(pk__in=[])
    if "_lantern_has_grants" not in actor.__dict__:
        actor.__dict__["_lantern_has_grants"] = grants_for(actor).exists()
    if not actor.__dict__["_lantern_has_grants"]:
        return Q(pk__in=[])
    if not actor.has_role(*OWNER_ROLES):
        # Grants are all this actor sees (a service provider, a lawyer): the ids as a list, read now (never
        # cached: a revoked grant ends at once). The planner then knows there are a few hundred and fetches
        # those cases by key, where with a sub-query it misjudged their number and walked a list's whole
        # index probing each case for a grant (67 ms at 100k cases). Past GRANT_IDS_INLINE, the sub-query.
        ids = list(grants_for(actor).values_list("case_id", flat=True)[: GRANT_IDS_INLINE + 1])
        if len(ids) <= GRANT_IDS_INLINE:
            return Q(pk__in=ids)
    # Alongside the organisation's own cases: a non-correlated IN (hashed once) rather than EXISTS per row.
    return Q(pk__in=grants_for(actor).values("case_id"))


def _matches(obj: Any, condition: Q) -> bool:
    return (
        obj is not None and obj.pk is not None and Case.objects.filter(pk=obj.pk).filter(condition).exists()
    )


def _owns(actor: Any, case: Any) -> bool:
    if case is None or case.organisation_id != actor.organisation_id:
        return False
    return actor.has_role(Role.CASE_WORKER) or (
        actor.has_role(Role.SCREENER) and case.created_by_id == actor.pk
    )


def _is_case_worker_of(actor: Any, case: Any) -> bool:
    return actor.has_role(Role.CASE_WORKER) and case.organisation_id == actor.organisation_id


def decides(actor: Any, case: Any) -> bool:
    """The actor is an NRM decision-maker of the authority the case was referred to (sharing allowed)."""
    if not actor.has_role(Role.NRM_DECISION_MAKER) or case is None or case.referred_to_id is None:
        return False
    return case.referred_to_id == actor.organisation_id and _matches(case, authority_q(actor))


def visible_field_groups(actor: Any, case: Case) -> frozenset[str]:
    """The field groups of `case` the actor may see (union over their roles and grants)."""
    if _owns(actor, case):
        return ALL_FIELD_GROUPS
    groups: set[str] = set()
    if decides(actor, case):
        groups |= DECISION_MAKER_GROUPS
    if actor.has_role(*GRANTEE_ROLES):
        for granted in grants_for(actor).filter(case_id=case.pk).values_list("field_groups", flat=True):
            groups |= set(granted) & ALL_FIELD_GROUPS
    return frozenset(groups)


# Rules ----------------------------------------------------------------------------------------------------


@rule("case.create")
def may_open_case(actor: Any, obj: Any) -> bool:
    """obj: the organisation (or a new case of it) the case would belong to."""
    if not actor.has_role(Role.SCREENER, Role.CASE_WORKER):
        return False
    return obj is None or _organisation_of(obj) == actor.organisation_id


@rule("case.view")
def may_view_case(actor: Any, obj: Any) -> bool:
    if obj is None:
        return actor.has_role(*VIEWER_ROLES)
    if _owns(actor, obj) or decides(actor, obj):
        return True
    return actor.has_role(*GRANTEE_ROLES) and grants_for(actor).filter(case_id=obj.pk).exists()


@rule("case.change")
def may_change_case(actor: Any, obj: Any) -> bool:
    return actor.has_role(Role.SCREENER, Role.CASE_WORKER) if obj is None else _owns(actor, obj)


@rule("case.consent")
def may_record_consent(actor: Any, obj: Any) -> bool:
    return actor.has_role(Role.SCREENER, Role.CASE_WORKER) if obj is None else _owns(actor, obj)


@rule("case.refer")
def may_refer_to_nrm(actor: Any, obj: Any) -> bool:
    return actor.has_role(Role.CASE_WORKER) and (obj is None or _is_case_worker_of(actor, obj))


@rule("case.grant_access")
def may_grant_case_access(actor: Any, obj: Any) -> bool:
    return actor.has_role(Role.CASE_WORKER) and (obj is None or _is_case_worker_of(actor, obj))


@rule("case.advance")
def may_change_stage(actor: Any, obj: Any) -> bool:
    """Which steps: the case worker's for the owning case worker, the authority's for the decision-maker."""
    if obj is None:
        return actor.has_role(Role.CASE_WORKER, Role.NRM_DECISION_MAKER)
    return _is_case_worker_of(actor, obj) or decides(actor, obj)


@rule("case.decide")
def may_record_decision(actor: Any, obj: Any) -> bool:
    if obj is None:
        return actor.has_role(Role.NRM_DECISION_MAKER)
    return decides(actor, obj)


# Scopes (the same conditions, in SQL) --------------------------------------------------------------------


@scope(Case, "case.view")
def cases_visible(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(owner_q(actor) | authority_q(actor) | granted_q(actor))


def _owned(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(owner_q(actor))


def _case_worker(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(case_worker_q(actor))


scope(Case, "case.change")(_owned)
scope(Case, "case.consent")(_owned)
scope(Case, "case.refer")(_case_worker)
scope(Case, "case.grant_access")(_case_worker)


@scope(Case, "case.advance")
def cases_stage_changeable(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(case_worker_q(actor) | authority_q(actor))


@scope(Case, "case.decide")
def cases_to_decide(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(authority_q(actor))


# Ownership and handover (`ownership.py`, `handovers.py`) -----------------------------------------------

# Who assigns a case's owner within the organisation that holds it.
ASSIGNER_ROLES = (Role.ORG_ADMIN, Role.CASE_WORKER)
# Who answers a handover for the receiving organisation.
RECEIVER_ROLES = (Role.CASE_WORKER, Role.NRM_DECISION_MAKER)


@rule("case.assign")
def may_assign_case(actor: Any, obj: Any) -> bool:
    return actor.has_role(*ASSIGNER_ROLES) and (obj is None or obj.organisation_id == actor.organisation_id)


@rule("handover.propose")
def may_propose_handover(actor: Any, obj: Any) -> bool:
    """obj: the case. Its case workers, or the screener who opened it (without being a case worker)."""
    return actor.has_role(Role.SCREENER, Role.CASE_WORKER) if obj is None else _owns(actor, obj)


def _receives(actor: Any, handover: Any) -> bool:
    return actor.has_role(*RECEIVER_ROLES) and handover.to_organisation_id == actor.organisation_id


@rule("handover.answer")
def may_answer_handover(actor: Any, obj: Any) -> bool:
    return actor.has_role(*RECEIVER_ROLES) if obj is None else _receives(actor, obj)


def handover_view_q(actor: Any) -> Q:
    """Handovers the actor sees: received by its organisation (as one who answers), sent by it (as its case
    worker), or proposed by the actor."""
    condition = Q(proposed_by_id=actor.pk)
    if actor.has_role(*RECEIVER_ROLES):
        condition |= Q(to_organisation_id=actor.organisation_id)
    if actor.has_role(Role.CASE_WORKER):
        condition |= Q(from_organisation_id=actor.organisation_id)
    return condition


@rule("handover.view")
def may_view_handover(actor: Any, obj: Any) -> bool:
    if obj is None:
        return actor.has_role(Role.SCREENER, *RECEIVER_ROLES)
    return (
        obj.proposed_by_id == actor.pk
        or _receives(actor, obj)
        or (actor.has_role(Role.CASE_WORKER) and obj.from_organisation_id == actor.organisation_id)
    )


def _handovers_visible(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(handover_view_q(actor))


def _handovers_to_answer(actor: Any, qs: QuerySet) -> QuerySet:
    if not actor.has_role(*RECEIVER_ROLES):
        return qs.none()
    return qs.filter(to_organisation_id=actor.organisation_id)


scope(Handover, "handover.view")(_handovers_visible)
scope(Handover, "handover.answer")(_handovers_to_answer)


@scope(Case, "case.assign")
def cases_assignable(actor: Any, qs: QuerySet) -> QuerySet:
    if not actor.has_role(*ASSIGNER_ROLES):
        return qs.none()
    return qs.filter(organisation_id=actor.organisation_id)


scope(Case, "handover.propose")(_owned)
