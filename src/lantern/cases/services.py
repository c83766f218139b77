"""Every change to a case: each function takes `actor=`, checks the gate, runs in one transaction, writes
the case's timeline (`CaseEvent`), then does the follow-on effects other apps listed in `reactions` (the
statistics fact row, the retention schedule, access resting on a revoked consent). Bad input raises
`ValidationError` (per field where there is one) and saves nothing.

May we share, on which consent, granting and ending access: `sharing.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.accounts.roles import OrganisationType, Role
from lantern.authz import gate
from lantern.web.dates import check_dates

from . import reactions
from .models import Basis, Case, CaseEvent, Consent, Decision, Purpose
from .policies import decides
from .procedure import deadlines, workflow
from .procedure.profiles import load_profiles
from .sharing import best_interests_allowed, consent_allows, end_access_resting_on
from .timeline import log_event
from .validation import check_date, clean_case_data

MODEL_CHECK_EXCLUDE = ["reference", "created_by", "organisation", "referred_to", "case_worker"]


def stage_entries(case: Case) -> list[deadlines.StageEntry]:
    """The stages the case entered, oldest first, from its timeline."""
    rows = case.events.exclude(to_stage="").order_by("at", "pk").values_list("to_stage", "on")
    return [deadlines.StageEntry(stage, on) for stage, on in rows]


def due_items(case: Case, today: dt.date | None = None) -> list[deadlines.DueItem]:
    """What is due for the case today (decision targets, ends of minimum periods)."""
    state = deadlines.CaseState(case.nrm_profile, case.stage)
    return deadlines.due_items(state, stage_entries(case), today or timezone.localdate())


def update_deadlines(case: Case, today: dt.date | None = None) -> list[deadlines.DueItem]:
    """Recompute the case's stored deadlines (used by lists and dashboards) from its profile and timeline."""
    items = due_items(case, today)
    target, period = deadlines.stored_dates(items)
    if (case.target_due_on, case.period_ends_on) != (target, period):
        case.target_due_on, case.period_ends_on = target, period
        case.save(update_fields=["target_due_on", "period_ends_on", "treated_as_child", "updated_at"])
    return items


def _transition_error(exc: workflow.TransitionError, field: str | None = None) -> ValidationError:
    message = str(exc)
    return ValidationError({field: [message]} if field else message, code=exc.code)


def _effective_date(on: dt.date | None, case: Case, field: str) -> dt.date:
    today = timezone.localdate()
    on = on or today
    errors: dict[str, list[str]] = {}
    check_date(on, field, today=today, born=case.birth_date, errors=errors)
    if errors:
        raise ValidationError(errors)
    return on


def _move(case: Case, step: Any, *, actor: Any, on: dt.date, kind: str, detail: dict, note: str = "") -> None:
    source = case.stage
    case.stage, case.stage_entered_on = step.target, on
    case.closed_on = on if step.target == "closed" else None
    case.save()
    if case.closed_on is not None:
        reactions.case_closed(case)
    log_event(
        case, kind, actor=actor, on=on, from_stage=source, to_stage=step.target, detail=detail, note=note
    )
    update_deadlines(case)


# The record ---------------------------------------------------------------------------------------------


@transaction.atomic
def create_case(
    *, actor: Any, data: dict[str, Any], organisation: Any = None, profile: str | None = None
) -> Case:
    """Open a case for `organisation` (default: the actor's) at the profile's first stage."""
    organisation = organisation or actor.organisation
    gate.require(actor, "case.create", organisation)
    profiles = load_profiles()
    if profile is not None and profile not in profiles.profiles:
        raise ValidationError({"profile": [_("Choose one of the NRM profiles offered.")]})
    nrm = profiles.get(profile) if profile else profiles.for_country(organisation.country.code)
    cleaned = clean_case_data({"identified_on": None, **data}, today=timezone.localdate())
    case = Case(organisation=organisation, profile=nrm.id, created_by=actor, **cleaned)
    case.stage, case.stage_entered_on = nrm.first_stage.id, case.identified_on
    if case.case_worker is None and actor.has_role(Role.CASE_WORKER, Role.SCREENER):
        case.case_worker = actor  # the named owner, until reassigned (`ownership.assign_case`)
    case.full_clean(exclude=MODEL_CHECK_EXCLUDE)
    case.save()
    log_event(case, CaseEvent.Kind.CREATED, actor=actor, on=case.identified_on, to_stage=case.stage)
    if case.immediate_danger:
        log_event(case, CaseEvent.Kind.DANGER_FLAGGED, actor=actor)
    update_deadlines(case)
    reactions.case_counted(case.pk)
    return case


@transaction.atomic
def update_case(*, actor: Any, case: Case, changes: dict[str, Any], section: str | None = None) -> Case:
    """Change fields of the record; `section` marks a task-list section as completed."""
    gate.require(actor, "case.change", case)
    was_in_danger = case.immediate_danger
    cleaned = clean_case_data(changes, today=timezone.localdate(), existing=case)
    for name, value in cleaned.items():
        setattr(case, name, value)
    if section and section not in case.sections_completed:
        case.sections_completed = [*case.sections_completed, section]
    case.full_clean(exclude=MODEL_CHECK_EXCLUDE)
    changed = case.audit_changed_fields()
    case.save()
    log_event(
        case,
        CaseEvent.Kind.UPDATED,
        actor=actor,
        detail={
            "fields": [f for f in changed if f not in ("sections_completed", "treated_as_child")],
            "section": section or "",
        },
    )
    if case.immediate_danger and not was_in_danger:
        log_event(case, CaseEvent.Kind.DANGER_FLAGGED, actor=actor)
    reactions.case_counted(case.pk)
    return case


# Consent ------------------------------------------------------------------------------------------------


def check_consent(case: Case, fields: dict[str, Any]) -> None:
    """Raise ValidationError (per field) unless `fields` make a valid consent for this person: who may give
    it (the person, or for a child the guardian or a best-interests determination where the profile allows),
    whom it names, and in which language. `record_consent` and the demo seed both check with it."""
    purpose, basis = fields["purpose"], fields["basis"]
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if purpose == Purpose.REFERRAL and fields.get("organisation") is None:
        error("organisation", _("Name the organisation the person agrees to be referred to."))
    if purpose == Purpose.TRANSNATIONAL and not fields.get("recipient_country"):
        error("recipient_country", _("Name the country the data would go to."))
    if basis == Basis.PERSON and case.treated_as_child:
        error(
            "basis",
            _(
                "This person is treated as a child: record the consent of their guardian or "
                "representative (write the child's own views in the notes)."
            ),
        )
    if basis in (Basis.GUARDIAN, Basis.BEST_INTERESTS) and not case.treated_as_child:
        error("basis", _("This person is treated as an adult: only their own consent counts."))
    if basis == Basis.GUARDIAN and not fields.get("representative"):
        error("representative", _("Name the guardian or representative who gave consent."))
    if basis in (Basis.GUARDIAN, Basis.BEST_INTERESTS) and not fields.get("best_interests_note"):
        error("best_interests_note", _("Explain why this is in the child's best interests."))
    if basis == Basis.BEST_INTERESTS and case.treated_as_child and not best_interests_allowed(case, purpose):
        error("basis", _("The NRM profile of this case needs consent for this purpose, even for a child."))
    if basis != Basis.BEST_INTERESTS and not fields.get("language"):
        error("language", _("Enter the language in which consent was explained, for example 'ar'."))
    if fields.get("interpreter_used") and not fields.get("interpreter"):
        error("interpreter", _("Name the interpreter (or their reference) who interpreted."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_consent(
    *,
    actor: Any,
    case: Case,
    purpose: str,
    basis: str,
    language: str = "",
    given_on: dt.date | None = None,
    organisation: Any = None,
    recipient_country: str = "",
    interpreter_used: bool = False,
    interpreter: str = "",
    representative: str = "",
    best_interests_note: str = "",
    notes: str = "",
) -> Consent:
    """Record consent for one purpose (or a child's best-interests determination) in the person's language."""
    fields = _consent_fields(
        purpose=purpose,
        basis=basis,
        language=language,
        organisation=organisation,
        recipient_country=recipient_country,
        interpreter_used=interpreter_used,
        interpreter=interpreter,
        representative=representative,
        best_interests_note=best_interests_note,
        notes=notes,
    )
    consent = _save_consent(actor, case, fields, given_on)
    reactions.case_counted(case.pk)
    return consent


def _consent_fields(
    *,
    purpose: str,
    basis: str,
    language: str = "",
    organisation: Any = None,
    recipient_country: str = "",
    interpreter_used: bool = False,
    interpreter: str = "",
    representative: str = "",
    best_interests_note: str = "",
    notes: str = "",
) -> dict[str, Any]:
    return {
        "purpose": purpose,
        "basis": basis,
        "language": (language or "").strip().lower(),
        "organisation": organisation,
        "recipient_country": recipient_country or "",
        "interpreter_used": interpreter_used,
        "interpreter": interpreter,
        "representative": representative,
        "best_interests_note": best_interests_note,
        "notes": notes,
    }


def _save_consent(actor: Any, case: Case, fields: dict[str, Any], given_on: dt.date | None) -> Consent:
    """Check, save and log a consent (`record_consent` without the follow-on effects, for services that
    record one as part of their own change)."""
    gate.require(actor, "case.consent", case)
    check_consent(case, fields)
    given_on = _effective_date(given_on, case, "given_on")
    consent = Consent(case=case, given_on=given_on, recorded_by=actor, **fields)
    consent.full_clean(exclude=["case", "recorded_by", "organisation"])
    check_dates(consent)  # expires_on: a plausible date
    consent.save()
    log_event(
        case,
        CaseEvent.Kind.CONSENT_GIVEN,
        actor=actor,
        on=given_on,
        detail={
            "consent": consent.pk,
            "purpose": fields["purpose"],
            "basis": fields["basis"],
            "organisation": consent.organisation_id,
        },
    )
    return consent


@transaction.atomic
def revoke_consent(*, actor: Any, consent: Consent, note: str = "") -> Consent:
    """Revoke a consent now: sharing it allowed stops at once, and access granted on it ends."""
    case = consent.case
    gate.require(actor, "case.consent", case)
    if consent.revoked_at is not None:
        raise ValidationError(_("This consent was already revoked."))
    now = timezone.now()
    consent.revoked_at, consent.revoked_by, consent.revocation_note = now, actor, note
    consent.save()
    end_access_resting_on(consent)
    log_event(
        case,
        CaseEvent.Kind.CONSENT_REVOKED,
        actor=actor,
        detail={"consent": consent.pk, "purpose": consent.purpose},
        note=note,
    )
    reactions.case_counted(case.pk)
    return consent


# The NRM --------------------------------------------------------------------------------------------------


def _referral_refused(case: Case) -> ValidationError:
    if case.treated_as_child:
        message = _(
            "This person is treated as a child: record the guardian's consent to sharing with the competent "
            "authority, or explain below why the referral is in the child's best interests."
        )
        return ValidationError({"best_interests_note": [message]})
    message = _(
        "The person has not consented to sharing their data with the competent authority. "
        "Record their consent first."
    )
    if case.nrm_profile.adult_declines_referral == "anonymous_notification":
        message += " " + _("If they decline, this NRM profile asks for an anonymous notification instead.")
    return ValidationError(message, code="no_consent")


@transaction.atomic
def refer_to_nrm(
    *, actor: Any, case: Case, authority: Any, on: dt.date | None = None, best_interests_note: str = ""
) -> Case:
    """Refer the case to the NRM competent authority, if the person consents (children: see `consents`)."""
    gate.require(actor, "case.refer", case)
    if authority is None or authority.type != OrganisationType.NRM_AUTHORITY or not authority.active:
        raise ValidationError({"authority": [_("Choose an NRM competent authority.")]})
    steps = [t for t in workflow.allowed_transitions(case.nrm_profile, case.stage) if t.by == "referral"]
    if not steps:
        raise ValidationError(
            _("A case at “%(stage)s” cannot be referred to the NRM.") % {"stage": case.stage_label},
            code="not_allowed",
        )
    on = _effective_date(on, case, "on")
    try:
        step = workflow.check_transition(
            case.nrm_profile,
            case.stage,
            steps[0].target,
            by="referral",
            on=on,
            entered={case.stage: case.stage_entered_on},
        )
    except workflow.TransitionError as exc:
        raise _transition_error(exc) from exc
    if not consent_allows(case, Purpose.COMPETENT_AUTHORITY, authority):
        if not (best_interests_note.strip() and best_interests_allowed(case, Purpose.COMPETENT_AUTHORITY)):
            raise _referral_refused(case)
        determination = _consent_fields(
            purpose=Purpose.COMPETENT_AUTHORITY,
            basis=Basis.BEST_INTERESTS,
            organisation=authority,
            best_interests_note=best_interests_note,
        )
        _save_consent(actor, case, determination, on)
    case.referred_to, case.referred_on = authority, on
    _move(case, step, actor=actor, on=on, kind=CaseEvent.Kind.REFERRED, detail={"authority": authority.pk})
    reactions.case_counted(case.pk)
    return case


def capacities(actor: Any, case: Case) -> list[str]:
    """The ways the actor takes stage steps on this case: as its case worker, as the competent authority."""
    found = []
    if actor.has_role(Role.CASE_WORKER) and case.organisation_id == actor.organisation_id:
        found.append("case_worker")
    if decides(actor, case):
        found.append("authority")
    return found


def stage_choices(actor: Any, case: Case, today: dt.date | None = None) -> list[str]:
    """Stages the actor may move the case to today by changing its stage (not by referral or decision)."""
    return stage_options(actor, case, today)[0]


def stage_options(
    actor: Any, case: Case, today: dt.date | None = None
) -> tuple[list[str], list[tuple[str, dt.date]]]:
    """The stages the actor may move the case to today, and those a running period still holds back, each
    with the first day it opens (the profile's time rules, as `advance_stage` applies them)."""
    today = today or timezone.localdate()
    mine = set(capacities(actor, case))
    profile = case.nrm_profile
    entered = deadlines.last_entries(stage_entries(case))
    now: dict[str, None] = {}
    later: dict[str, dt.date] = {}
    for step in workflow.allowed_transitions(profile, case.stage):
        if step.by not in mine:
            continue
        opens = workflow.opens_on(profile, step, entered)
        if opens is None or opens <= today:
            now[step.target] = None
        else:
            later[step.target] = min(opens, later.get(step.target, opens))
    return list(now), [(stage, on) for stage, on in later.items() if stage not in now]


def decision_opens_on(case: Case) -> dt.date | None:
    """The first day the decision on the case's current stage may be made (for a conclusive-grounds decision:
    the end of the recovery period), or None when no period holds it back."""
    profile = case.nrm_profile
    entered = deadlines.last_entries(stage_entries(case))
    dates = [
        workflow.opens_on(profile, step, entered)
        for step in workflow.allowed_transitions(profile, case.stage)
        if step.by == "decision"
    ]
    return max((d for d in dates if d is not None), default=None)


@transaction.atomic
def advance_stage(
    *, actor: Any, case: Case, to_stage: str, on: dt.date | None = None, note: str = ""
) -> Case:
    """Move the case to `to_stage` by a step the actor takes (case worker's or authority's)."""
    gate.require(actor, "case.advance", case)
    on = _effective_date(on, case, "on")
    entered = deadlines.last_entries(stage_entries(case))
    last_error: workflow.TransitionError | None = None
    for by in capacities(actor, case) or ["case_worker"]:
        try:
            step = workflow.check_transition(
                case.nrm_profile, case.stage, to_stage, by=by, on=on, entered=entered
            )
        except workflow.TransitionError as exc:
            last_error = exc
            if exc.code != "wrong_way":
                break
            continue
        _move(case, step, actor=actor, on=on, kind=CaseEvent.Kind.STAGE_CHANGED, detail={"by": by}, note=note)
        reactions.case_counted(case.pk)
        return case
    assert last_error is not None
    raise _transition_error(last_error, "to_stage")


@transaction.atomic
def record_decision(
    *, actor: Any, case: Case, outcome: str, decided_on: dt.date | None, reasons: str
) -> Decision:
    """Record the competent authority's decision on the case's current (decision) stage, and move on."""
    gate.require(actor, "case.decide", case)
    profile = case.nrm_profile
    stage = profile.stage(case.stage)
    if not stage.is_decision:
        raise ValidationError(
            _("There is no decision to record at “%(stage)s”.") % {"stage": case.stage_label},
            code="no_decision",
        )
    errors: dict[str, list[str]] = {}
    if not (reasons or "").strip():
        errors["reasons"] = [_("Give the reasons for the decision.")]
    if decided_on is None:
        errors["decided_on"] = [_("Enter the date of the decision.")]
    if errors:
        raise ValidationError(errors)
    decided_on = _effective_date(decided_on, case, "decided_on")
    targets = [t for t in profile.transitions if t.source == stage.id and t.outcome == outcome]
    if not targets:
        raise ValidationError({"outcome": [_("Choose positive or negative.")]})
    try:
        step = workflow.check_transition(
            profile,
            stage.id,
            targets[0].target,
            by="decision",
            outcome=outcome,
            on=decided_on,
            entered=deadlines.last_entries(stage_entries(case)),
        )
    except workflow.TransitionError as exc:
        raise _transition_error(exc, "decided_on") from exc
    decision = Decision.objects.create(
        case=case,
        stage=stage.id,
        outcome=outcome,
        decided_on=decided_on,
        reasons=reasons,
        is_appeal=stage.track == "appeal",
        decided_by=actor,
    )
    _move(
        case,
        step,
        actor=actor,
        on=decided_on,
        kind=CaseEvent.Kind.DECISION,
        detail={"decision": decision.pk, "stage": stage.id, "outcome": outcome},
    )
    reactions.case_counted(case.pk)
    return decision
