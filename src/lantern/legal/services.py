"""Changing the legal track. Each function takes `actor=`, checks the gate, runs in one transaction, and
writes the case's timeline (`CaseEvent`, no personal data in its detail). Bad input raises `ValidationError`
per field and saves nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from lantern.accounts.roles import Role
from lantern.authz import gate
from lantern.cases.models import Case, CaseEvent, Purpose
from lantern.cases.sharing import (
    consent_allows,
    grant_case_access,
    referral_consent_for,
    revoke_case_access,
)
from lantern.cases.timeline import log_event
from lantern.web.dates import check_dates

from .models import CriminalProceeding, Hearing, LegalTrack
from .selectors import track_of

LAWYER_GROUP = "legal"
# What else a case worker may let the lawyer see (never contact details or safety notes by default).
EXTRA_LAWYER_GROUPS = ("identity", "background", "exploitation", "documents", "timeline")
TRACK_FIELDS = (
    "non_punishment_applies",
    "non_punishment_categories",
    "non_punishment_offences",
    "non_punishment_status",
    "non_punishment_raised_on",
)


def _part_name(obj: Model) -> str:
    return obj._meta.model_name or ""


def _log(case: Case, actor: Any, obj: Model, fields: list[str], created: bool) -> None:
    log_event(
        case,
        CaseEvent.Kind.LEGAL_UPDATED,
        actor=actor,
        detail={"part": _part_name(obj), "id": obj.pk, "created": created, "fields": fields},
    )


@transaction.atomic
def update_track(*, actor: Any, case: Case, changes: dict[str, Any]) -> LegalTrack:
    """Change the non-punishment part of the legal track (created on first use)."""
    gate.require(actor, "legal.change", case)
    unknown = set(changes) - set(TRACK_FIELDS)
    if unknown:
        raise ValidationError(_("These cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    track = track_of(case)
    for name, value in changes.items():
        setattr(track, name, value)
    track.full_clean(exclude=["case", "lawyer", "lawyer_access"])
    check_dates(track)
    created = track.pk is None
    changed = track.audit_changed_fields()
    track.save()
    _log(case, actor, track, [f for f in changed if f in TRACK_FIELDS], created)
    return track


@transaction.atomic
def save_legal_record(*, actor: Any, case: Case, record: Model) -> Model:
    """Create or change one record of the legal track (rights information, a proceeding, a hearing, a
    residence permit, a compensation claim) after the model's own checks."""
    gate.require(actor, "legal.change", case)
    if isinstance(record, Hearing):
        proceeding: CriminalProceeding = record.proceeding
        if proceeding.case_id != case.pk:
            raise gate.NotVisible
        exclude = ["proceeding"]
    else:
        if getattr(record, "case_id", None) not in (None, case.pk):
            raise gate.NotVisible
        record.case = case
        exclude = ["case", "recorded_by"]
    if hasattr(record, "recorded_by_id") and record.recorded_by_id is None:
        record.recorded_by = actor
    record.full_clean(exclude=exclude)
    check_dates(record)
    created = record.pk is None
    changed = [f for f in record.audit_changed_fields() if f not in ("id", "case_id", "recorded_by_id")]
    record.save()
    _log(case, actor, record, changed, created)
    return record


@transaction.atomic
def assign_lawyer(
    *, actor: Any, case: Case, lawyer: Any, extra_groups: list[str] | tuple[str, ...] = ()
) -> LegalTrack:
    """Assign a legal-aid lawyer: they are granted the legal track (and the extra field groups chosen).

    A lawyer of another organisation needs the person's consent to a referral to that organisation (for a
    child: the guardian's consent, or a best-interests determination where the profile allows). The grant
    rests on that consent: revoking it ends the lawyer's access. A previous lawyer's access ends.
    """
    gate.require(actor, "legal.assign_lawyer", case)
    if lawyer is None or not lawyer.is_active or not lawyer.has_role(Role.LAWYER):
        raise ValidationError({"lawyer": [_("Choose a lawyer: a user with the lawyer role.")]})
    unknown = set(extra_groups) - set(EXTRA_LAWYER_GROUPS)
    if unknown:
        raise ValidationError({"extra_groups": [_("Choose from the parts of the case offered.")]})
    consent = None
    if lawyer.organisation_id != case.organisation_id:
        if not consent_allows(case, Purpose.REFERRAL, lawyer.organisation):
            raise ValidationError(
                {
                    "lawyer": [
                        _(
                            "The person has not agreed to be referred to %(org)s. Record their consent to a "
                            "referral to this organisation first."
                        )
                        % {"org": lawyer.organisation.name}
                    ]
                }
            )
        consent = referral_consent_for(case, lawyer.organisation)
    track = track_of(case)
    if track.lawyer_access is not None:
        revoke_case_access(actor=actor, access=track.lawyer_access)
    access = grant_case_access(
        actor=actor,
        case=case,
        user=lawyer,
        field_groups=[LAWYER_GROUP, *extra_groups],
        consent=consent,
        reason=_("Legal-aid lawyer"),
    )
    created = track.pk is None
    track.lawyer, track.lawyer_access = lawyer, access
    track.save()
    log_event(
        case,
        CaseEvent.Kind.LAWYER_ASSIGNED,
        actor=actor,
        detail={"lawyer": lawyer.pk, "access": access.pk, "created": created},
    )
    return track


@transaction.atomic
def end_lawyer_assignment(*, actor: Any, case: Case) -> LegalTrack:
    """The lawyer no longer acts for the person: their access ends."""
    gate.require(actor, "legal.assign_lawyer", case)
    track = track_of(case)
    if track.pk is None or track.lawyer_id is None:
        raise ValidationError(_("No lawyer is assigned to this case."))
    if track.lawyer_access is not None:
        revoke_case_access(actor=actor, access=track.lawyer_access)
    lawyer_id = track.lawyer_id
    track.lawyer, track.lawyer_access = None, None
    track.save()
    log_event(case, CaseEvent.Kind.LAWYER_ASSIGNED, actor=actor, detail={"lawyer": None, "ended": lawyer_id})
    return track
