"""Handing a case over to another organisation that manages cases (an NGO, the competent authority).

The holder (its case worker, or the screener who opened the case) proposes with a message; a case worker or
decision-maker of the receiver accepts or declines with a reason. On acceptance the receiver becomes the
responsible organisation (`Case.organisation`: it then sees and works the case with its own roles) and the
sender keeps read access to what it recorded through an organisation grant resting on the consent the
handover needed (`sharing.record_grant`): its case workers and service staff read it, nobody there changes
it. The handover needs the person's consent to a referral to the receiver (`sharing.referral_consent_for`:
for a child the guardian's, or a best-interests determination where the profile allows one).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.accounts.grantable import manages_cases
from lantern.accounts.roles import Role
from lantern.authz import gate

from .models import ALL_FIELD_GROUPS, Case, CaseEvent, Handover, HandoverStatus
from .sharing import record_grant, referral_consent_for
from .timeline import log_event

# What the sender keeps reading once the receiver is responsible: what it recorded, not the legal track.
SENDER_KEEPS = sorted(ALL_FIELD_GROUPS - {"legal"})


def _check_receiver(case: Case, to_organisation: Any, errors: dict[str, list[str]]) -> None:
    if to_organisation is None or not to_organisation.active or not manages_cases(to_organisation.type):
        errors["to_organisation"] = [
            _("Choose an organisation that manages cases (an NGO, the competent authority).")
        ]
    elif to_organisation.pk == case.organisation_id:
        errors["to_organisation"] = [_("The case is already with this organisation: choose another one.")]


@transaction.atomic
def propose_handover(*, actor: Any, case: Case, to_organisation: Any, message: str = "") -> Handover:
    """Propose to hand `case` over to `to_organisation`. Bad input raises ValidationError, saving nothing."""
    gate.require(actor, "handover.propose", case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    errors: dict[str, list[str]] = {}
    if case.is_closed:
        errors["case"] = [_("A closed case cannot be handed over.")]
    _check_receiver(case, to_organisation, errors)
    consent = None
    if "to_organisation" not in errors:
        consent = referral_consent_for(case, to_organisation)
        if consent is None:
            errors["to_organisation"] = [
                _(
                    "The person has not consented to their case going to this organisation (for a child: "
                    "the guardian, or a best-interests determination). Record that consent first."
                )
            ]
    if case.handovers.filter(status=HandoverStatus.PROPOSED).exists():
        errors.setdefault("case", []).append(_("A handover of this case is already waiting for an answer."))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            handover = Handover.objects.create(
                case=case,
                from_organisation_id=case.organisation_id,
                to_organisation=to_organisation,
                message=message,
                consent=consent,
                proposed_by=actor,
            )
    except IntegrityError:  # another proposal won a race
        raise ValidationError(
            {"case": [_("A handover of this case is already waiting for an answer.")]}
        ) from None
    log_event(
        case,
        CaseEvent.Kind.HANDOVER_PROPOSED,
        actor=actor,
        detail={"handover": handover.pk, "to_organisation": to_organisation.pk},
    )
    return handover


def _open_for_answer(actor: Any, handover: Handover, action: str) -> Handover:
    gate.require(actor, action, handover)
    locked = Handover.objects.select_for_update().select_related("case").get(pk=handover.pk)
    if locked.status != HandoverStatus.PROPOSED:
        raise ValidationError(
            _("This handover was already answered or withdrawn (%(status)s).")
            % {"status": locked.get_status_display()},
            code="answered",
        )
    return locked


def _close(handover: Handover, status: str, actor: Any, reason: str) -> None:
    handover.status, handover.reason = status, reason
    handover.answered_by, handover.answered_at = actor, timezone.now()
    handover.save()


@transaction.atomic
def accept_handover(*, actor: Any, handover: Handover) -> Handover:
    """The receiver accepts: it becomes responsible for the case, the accepting case worker its owner (a
    decision-maker leaves it in the team's queue), and the sender keeps read access resting on the consent."""
    handover = _open_for_answer(actor, handover, "handover.answer")
    case = Case.objects.select_for_update().get(pk=handover.case_id)
    consent = referral_consent_for(case, handover.to_organisation)
    if case.is_closed or consent is None:
        raise ValidationError(
            _("The case was closed or the person's consent revoked since the handover was proposed."),
            code="no_consent",
        )
    _close(handover, HandoverStatus.ACCEPTED, actor, "")
    case.organisation = handover.to_organisation
    case.case_worker = actor if actor.has_role(Role.CASE_WORKER) else None
    case.save(update_fields=["organisation", "case_worker", "treated_as_child", "updated_at"])
    record_grant(
        actor=actor,
        case=case,
        organisation=handover.from_organisation,
        field_groups=SENDER_KEEPS,
        consent=consent,
        reason=_("Handed over to another organisation: read access to what it recorded."),
    )
    log_event(
        case,
        CaseEvent.Kind.HANDOVER_ACCEPTED,
        actor=actor,
        detail={"handover": handover.pk, "from_organisation": handover.from_organisation_id},
    )
    return handover


@transaction.atomic
def decline_handover(*, actor: Any, handover: Handover, reason: str) -> Handover:
    """The receiver declines, giving a reason; the case stays with the sender."""
    if not (reason or "").strip():
        gate.require(actor, "handover.answer", handover)
        raise ValidationError({"reason": [_("Say why the handover is declined.")]})
    handover = _open_for_answer(actor, handover, "handover.answer")
    _close(handover, HandoverStatus.DECLINED, actor, reason.strip())
    log_event(handover.case, CaseEvent.Kind.HANDOVER_DECLINED, actor=actor, detail={"handover": handover.pk})
    return handover


@transaction.atomic
def withdraw_handover(*, actor: Any, handover: Handover) -> Handover:
    """The sender withdraws a proposal not yet answered."""
    gate.require(actor, "handover.propose", handover.case)
    handover = _open_for_answer(actor, handover, "handover.view")
    _close(handover, HandoverStatus.WITHDRAWN, actor, "")
    log_event(handover.case, CaseEvent.Kind.HANDOVER_WITHDRAWN, actor=actor, detail={"handover": handover.pk})
    return handover
