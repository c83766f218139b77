"""Giving others access to a case (the hook referrals and lawyers use) and attaching screenings.

Each function takes `actor=`, checks the gate, runs in one transaction and writes the case's timeline.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.authz import gate

from .models import ALL_FIELD_GROUPS, Case, CaseAccess, CaseEvent, Consent
from .services import log_event


@transaction.atomic
def grant_case_access(
    *,
    actor: Any,
    case: Case,
    field_groups: list[str],
    user: Any = None,
    organisation: Any = None,
    consent: Consent | None = None,
    reason: str = "",
    expires_on: dt.date | None = None,
) -> CaseAccess:
    """Let one user or one organisation see `field_groups` of the case (until revoked, expiry or the consent
    it rests on is revoked). Whether the sharing is allowed is the caller's check: `consent_allows`."""
    gate.require(actor, "case.grant_access", case)
    errors: dict[str, list[str]] = {}
    if (user is None) == (organisation is None):
        errors["user"] = [_("Grant access to one person or to one organisation.")]
    groups = sorted(set(field_groups))
    if not groups or not set(groups) <= ALL_FIELD_GROUPS:
        errors["field_groups"] = [
            _("Choose what may be seen, from: %(groups)s") % {"groups": ", ".join(sorted(ALL_FIELD_GROUPS))}
        ]
    if consent is not None and (consent.case_id != case.pk or not consent.active):
        errors["consent"] = [_("The consent must be an active consent of this case.")]
    if expires_on is not None and expires_on < timezone.localdate():
        errors["expires_on"] = [_("The end date cannot be in the past.")]
    if errors:
        raise ValidationError(errors)
    access = CaseAccess.objects.create(
        case=case,
        user=user,
        organisation=organisation,
        field_groups=groups,
        consent=consent,
        reason=reason,
        granted_by=actor,
        expires_on=expires_on,
    )
    log_event(
        case,
        CaseEvent.Kind.ACCESS_GRANTED,
        actor=actor,
        detail={
            "access": access.pk,
            "user": getattr(user, "pk", None),
            "organisation": getattr(organisation, "pk", None),
            "field_groups": groups,
        },
    )
    return access


@transaction.atomic
def revoke_case_access(*, actor: Any, access: CaseAccess) -> CaseAccess:
    gate.require(actor, "case.grant_access", access.case)
    if access.revoked_at is None:
        access.revoked_at = timezone.now()
        access.save()
        log_event(access.case, CaseEvent.Kind.ACCESS_REVOKED, actor=actor, detail={"access": access.pk})
    return access


def screening_model() -> Any:
    """The screening app's Screening model, or None while that app is not installed."""
    if not apps.is_installed("lantern.screening"):
        return None
    try:
        return apps.get_model("screening", "Screening")
    except LookupError:
        return None


@transaction.atomic
def attach_screening(*, actor: Any, case: Case, screening_id: Any) -> bool:
    """Link a screening of the same organisation to the case. False when the screening app is not installed.

    The screening must be one the actor may change (other organisations' screenings raise NotVisible, a 404).
    """
    gate.require(actor, "case.change", case)
    model = screening_model()
    if model is None:
        return False
    screening = gate.access(actor, "screening.change", model, screening_id)
    if screening.organisation_id != case.organisation_id:
        raise ValidationError({"screening": [_("The screening belongs to another organisation.")]})
    if screening.case_id not in (None, case.pk):
        raise ValidationError({"screening": [_("The screening is already attached to another case.")]})
    if screening.case_id != case.pk:
        screening.case_id = case.pk
        screening.save(update_fields=["case_id"])
        log_event(case, CaseEvent.Kind.SCREENING_ATTACHED, actor=actor, detail={"screening": screening.pk})
    return True
