"""Reading the legal track: cases come from the gate (`legal.view`), records from their case.

`record_legal_read` audits that the identifying fields of a case's legal track were shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet

from lantern.accounts.models import User
from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.authz import gate
from lantern.cases.models import Case, Consent, Purpose
from lantern.crypto.fields import EncryptedTextField

from .models import (
    CompensationClaim,
    CriminalProceeding,
    Hearing,
    LegalTrack,
    PermitOutcome,
    ResidencePermit,
    RightsInformation,
)

LEGAL_MODELS: tuple[type[Model], ...] = (
    LegalTrack,
    RightsInformation,
    CriminalProceeding,
    Hearing,
    ResidencePermit,
    CompensationClaim,
)


def access_legal_case(actor: Any, pk: Any, action: str = "legal.view") -> Case:
    """A case whose legal track the actor may `action`, or NotVisible (404)."""
    return gate.access(actor, action, Case, pk)


def legal_cases(actor: Any) -> QuerySet[Case]:
    return gate.visible(actor, "legal.view", Case).exclude(stage="closed").order_by("-updated_at", "-pk")


def track_of(case: Case) -> LegalTrack:
    """The case's legal track (unsaved and empty when nothing was recorded yet)."""
    try:
        return LegalTrack.objects.select_related("lawyer__organisation").get(case=case)
    except LegalTrack.DoesNotExist:
        return LegalTrack(case=case)


@dataclass(frozen=True)
class LegalOverview:
    track: LegalTrack
    rights: list[RightsInformation]
    proceedings: list[CriminalProceeding]
    permits: list[ResidencePermit]
    claims: list[CompensationClaim]


def overview(case: Case) -> LegalOverview:
    """Everything recorded on the case's legal track (a fixed number of queries)."""
    return LegalOverview(
        track=track_of(case),
        rights=list(case.rights_information.all()),
        proceedings=list(case.criminal_proceedings.prefetch_related("hearings")),
        permits=list(case.residence_permits.all()),
        claims=list(case.compensation_claims.all()),
    )


PARTS: dict[str, type[Model]] = {
    "rights": RightsInformation,
    "proceedings": CriminalProceeding,
    "hearings": Hearing,
    "permits": ResidencePermit,
    "claims": CompensationClaim,
}


def item_of(case: Case, part: str, pk: Any) -> Any:
    """One record of the case's legal track, or NotVisible (other cases' records are 404s too)."""
    model = PARTS.get(part)
    if model is None:
        raise gate.NotVisible
    lookup = {"proceeding__case": case} if model is Hearing else {"case": case}
    try:
        return model._default_manager.get(pk=pk, **lookup)
    except (model.DoesNotExist, ValueError, TypeError):
        raise gate.NotVisible from None


def identifying_fields() -> list[str]:
    """The encrypted fields of the legal track, as `model.field` (what an audit record names)."""
    return [
        f"{model._meta.model_name}.{field.name}"
        for model in LEGAL_MODELS
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]


def record_legal_read(actor: Any, case: Case, *, export: bool = False) -> None:
    action = AuditRecord.Action.EXPORT if export else AuditRecord.Action.VIEW
    record(action, case, actor=actor, fields=identifying_fields(), detail={"legal_track": True})


def lawyer_choices(case: Case) -> QuerySet[User]:
    """Lawyers who may be assigned: of the case's organisation, or of an organisation the person (or, for a
    child, their guardian or a best-interests determination) agreed to be referred to. The service checks
    `consent_allows` again."""
    consented = Consent.objects.active().filter(case=case, purpose=Purpose.REFERRAL).values("organisation_id")
    return (
        User.objects.filter(is_active=True, role_grants__role=Role.LAWYER)
        .filter(Q(organisation_id=case.organisation_id) | Q(organisation_id__in=consented))
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name", "pk")
    )


def upcoming_hearings(actor: Any, start: dt.date, end: dt.date, limit: int) -> list[dict[str, Any]]:
    cases = gate.visible(actor, "legal.view", Case).exclude(stage="closed")
    return list(
        Hearing.objects.filter(proceeding__case__in=cases, on__range=(start, end))
        .order_by("on", "pk")
        .values("on", "proceeding__case_id", "proceeding__case__reference")[:limit]
    )


def expiring_permits(actor: Any, start: dt.date, end: dt.date, limit: int) -> list[dict[str, Any]]:
    cases = gate.visible(actor, "legal.view", Case).exclude(stage="closed")
    return list(
        ResidencePermit.objects.filter(
            case__in=cases, outcome=PermitOutcome.GRANTED, expires_on__range=(start, end)
        )
        .order_by("expires_on", "pk")
        .values("expires_on", "type", "case_id", "case__reference")[:limit]
    )
