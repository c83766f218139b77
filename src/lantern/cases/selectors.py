"""Reading cases: every query starts from what the gate shows the actor (`gate.visible` / `gate.access`).

Reads of personal fields are audited by `record_case_read` (views and the API call it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from lantern.accounts.models import Organisation
from lantern.accounts.roles import OrganisationType, Role
from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.authz import gate
from lantern.crypto.fields import blind_index_for

from .models import FIELD_GROUPS, Case, CaseEvent, Consent, Decision, Handover, HandoverStatus
from .procedure.profiles import load_profiles


def access_case(actor: Any, pk: Any, action: str = "case.view") -> Case:
    """One case the actor may `action`, or NotVisible (404) — for a missing and a forbidden id alike."""
    return gate.access(actor, action, Case, pk)


def visible_cases(actor: Any, action: str = "case.view") -> QuerySet[Case]:
    return gate.visible(actor, action, Case)


# What a row of the case list (and its tags and name rule, `shows_names`) reads.
LIST_COLUMNS = (
    "reference",
    "profile",
    "stage",
    "organisation_id",
    "created_by_id",
    "case_worker_id",
    "referred_to_id",
    "given_names",
    "family_name",
    "target_due_on",
    "period_ends_on",
    "immediate_danger",
    "treated_as_child",
    "created_at",
)


def case_list(
    actor: Any,
    *,
    today: dt.date,
    stage: str = "",
    overdue: bool = False,
    family_name: str = "",
    include_closed: bool = False,
    owner: str = "",
) -> QuerySet[Case]:
    """The cases the actor sees, filtered; deadlines first, then the newest. Only the columns a list row
    shows are fetched: the other encrypted fields would travel and be read for nothing."""
    cases = visible_cases(actor).only(*LIST_COLUMNS)
    if stage:
        cases = cases.filter(stage=stage)
    elif not include_closed:
        cases = cases.exclude(stage="closed")
    if overdue:
        cases = cases.filter(target_due_on__lt=today)
    if owner == "mine":
        cases = cases.filter(case_worker_id=actor.pk)
    elif owner == "unassigned":  # the team's queue
        cases = cases.filter(case_worker__isnull=True)
    if family_name.strip():
        cases = cases.filter(
            family_name_index=blind_index_for(Case, "family_name_index", family_name.strip())
        )
    return cases.order_by("target_due_on", "period_ends_on", "-created_at", "-pk")


def stage_filter_choices() -> list[tuple[str, str]]:
    """(stage id, label) for every stage of every profile, each id once."""
    seen: dict[str, str] = {}
    for profile in load_profiles().profiles.values():
        for stage in profile.stages:
            seen.setdefault(stage.id, stage.label)
    return list(seen.items())


def shows_names(actor: Any, case: Case) -> bool:
    """Whether a list row may show the person's name: owners and the competent authority, never grantees
    (their grants are per field group, and a list does not look them up)."""
    if case.organisation_id == actor.organisation_id:
        if actor.has_role(Role.CASE_WORKER) or (
            actor.has_role(Role.SCREENER) and case.created_by_id == actor.pk
        ):
            return True
    return actor.has_role(Role.NRM_DECISION_MAKER) and case.referred_to_id == actor.organisation_id


def timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("at", "pk")


def decisions_of(case: Case) -> QuerySet[Decision]:
    return case.decisions.select_related("decided_by").order_by("decided_on", "pk")


def consents_of(case: Case) -> QuerySet[Consent]:
    return case.consents.select_related("organisation", "recorded_by", "revoked_by")


def consent_of(case: Case, pk: Any) -> Consent:
    try:
        return case.consents.get(pk=pk)
    except (Consent.DoesNotExist, ValueError, TypeError):
        raise gate.NotVisible from None


def competent_authorities(actor: Any) -> QuerySet[Organisation]:
    return gate.visible(actor, "organisation.view", Organisation).filter(
        type=OrganisationType.NRM_AUTHORITY, active=True
    )


def recipient_organisations(actor: Any) -> QuerySet[Organisation]:
    return gate.visible(actor, "organisation.view", Organisation).filter(active=True)


def record_case_read(actor: Any, case: Case, groups: frozenset[str] | set[str]) -> None:
    """Audit that the actor was shown these field groups of the case."""
    fields = [name for group in sorted(groups) for name in FIELD_GROUPS.get(group, ())]
    if "consents" in groups:
        fields.append("consents")
    if "timeline" in groups:
        fields.append("timeline")
    record(AuditRecord.Action.VIEW, case, actor=actor, fields=fields)


def record_list_read(actor: Any, cases: list[Case], fields: list[str]) -> None:
    """One audit record for a page of a list that showed personal fields."""
    record(
        AuditRecord.Action.VIEW,
        actor=actor,
        object_type="cases.case",
        object_id="list",
        fields=fields,
        detail={"ids": [case.pk for case in cases]},
    )


# Dashboard -------------------------------------------------------------------------------------------------


def awaiting_authority_q() -> Q:
    """Cases at a stage where the competent authority has the next step (take up a referral, decide)."""
    condition = Q(pk__in=[])
    for profile in load_profiles().profiles.values():
        stages = sorted({t.source for t in profile.transitions if t.by in ("authority", "decision")})
        condition |= Q(profile=profile.id, stage__in=stages)
    return condition


def open_cases(actor: Any) -> QuerySet[Case]:
    return visible_cases(actor).exclude(stage="closed")


def my_cases(actor: Any) -> QuerySet[Case]:
    """Cases the actor is responsible for, opened, must decide on, or was given access to."""
    mine = Q(case_worker_id=actor.pk) | Q(created_by_id=actor.pk)
    if actor.has_role(Role.NRM_DECISION_MAKER):
        mine |= Q(referred_to_id=actor.organisation_id)
    if actor.has_role(Role.LAWYER, Role.SERVICE_PROVIDER):
        mine |= ~Q(organisation_id=actor.organisation_id)
    return open_cases(actor).filter(mine).order_by("-updated_at", "-pk")


def due_between(actor: Any, start: dt.date, end: dt.date) -> QuerySet[Case]:
    return (
        open_cases(actor)
        .filter(Q(target_due_on__range=(start, end)) | Q(period_ends_on__range=(start, end)))
        .order_by("target_due_on", "period_ends_on", "pk")
    )


def overdue(actor: Any, today: dt.date) -> QuerySet[Case]:
    return open_cases(actor).filter(target_due_on__lt=today).order_by("target_due_on", "pk")


def waiting_for_authority(actor: Any) -> QuerySet[Case]:
    """Referrals to the actor's competent authority waiting for its next step (oldest first)."""
    if not actor.has_role(Role.NRM_DECISION_MAKER):
        return Case.objects.none()
    return (
        gate.visible(actor, "case.decide", Case)
        .filter(awaiting_authority_q())
        .order_by("stage_entered_on", "pk")
    )


def team_queue(actor: Any) -> QuerySet[Case]:
    """Open cases of the actor's organisation with no owner, oldest first (for those who assign them)."""
    return (
        gate.visible(actor, "case.assign", Case)
        .filter(case_worker__isnull=True)
        .exclude(stage="closed")
        .order_by("created_at", "pk")
    )


# Handovers -----------------------------------------------------------------------------------------------


def handovers(actor: Any) -> QuerySet[Handover]:
    """Handovers the actor sees (sent or received), newest first."""
    return (
        gate.visible(actor, "handover.view", Handover)
        .select_related("case", "from_organisation", "to_organisation")
        .order_by("-proposed_at", "-pk")
    )


def handover_inbox(actor: Any) -> QuerySet[Handover]:
    """Handovers waiting for the actor's organisation to answer, oldest first."""
    return (
        gate.visible(actor, "handover.answer", Handover)
        .filter(status=HandoverStatus.PROPOSED)
        .select_related("case", "from_organisation")
        .order_by("proposed_at", "pk")
    )


def access_handover(actor: Any, pk: Any, action: str = "handover.view") -> Handover:
    return gate.access(actor, action, Handover, pk)


def handover_receivers(actor: Any, case: Case) -> QuerySet[Organisation]:
    """Organisations the case may be handed over to: active, managing cases, not the one holding it."""
    from lantern.accounts.grantable import ORGANISATION_TYPES_MANAGING_CASES

    return (
        recipient_organisations(actor)
        .filter(type__in=ORGANISATION_TYPES_MANAGING_CASES)
        .exclude(pk=case.organisation_id)
    )


def record_handover_read(actor: Any, handover: Handover) -> None:
    """Audit that the actor was shown a handover's message and reason (they may name the person)."""
    fields = [name for name in ("message", "reason") if getattr(handover, name)]
    if fields:
        record(AuditRecord.Action.VIEW, handover, actor=actor, fields=fields)
