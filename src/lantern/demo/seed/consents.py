"""Seeded consents, each one checked by the rule `cases.services.record_consent` applies (`check_consent`)."""

from __future__ import annotations

import datetime as dt
import random

from lantern.accounts.models import Organisation
from lantern.cases.models import Basis, Case, CaseEvent, Consent, Purpose
from lantern.cases.services import check_consent
from lantern.cases.sharing import best_interests_allowed

from .data import BEST_INTERESTS_NOTE, CONSENT_REVOKED, GUARDIAN, INTERPRETER
from .rows import Batch, at, day_between


def consent_for(
    batch: Batch,
    case: Case,
    purpose: str,
    on: dt.date,
    rng: random.Random,
    *,
    organisation: Organisation | None = None,
    end: dt.date | None = None,
) -> Consent:
    """A consent for `purpose`, valid under the rule `record_consent` checks (`check_consent`): the person's
    own, or for a child the guardian's or (where the profile allows) a best-interests determination; some
    revoked later."""
    actor = case.created_by
    basis = Basis.PERSON
    if case.treated_as_child:
        may_decide = best_interests_allowed(case, purpose)
        basis = rng.choice([Basis.BEST_INTERESTS, Basis.GUARDIAN]) if may_decide else Basis.GUARDIAN
    interpreted = case.interpreter_needed and purpose != Purpose.STATISTICS
    fields = {
        "purpose": purpose,
        "basis": basis,
        "language": "" if basis == Basis.BEST_INTERESTS else case.languages[0],
        "organisation": organisation,
        "recipient_country": "",
        "interpreter_used": interpreted,
        "interpreter": INTERPRETER if interpreted else "",
        "representative": GUARDIAN if basis == Basis.GUARDIAN else "",
        "best_interests_note": BEST_INTERESTS_NOTE if basis != Basis.PERSON else "",
        "notes": "",
    }
    check_consent(case, fields)
    consent = Consent(case=case, given_on=on, recorded_by=actor, **fields)
    batch.consents.append(consent)
    batch.event(
        case,
        CaseEvent.Kind.CONSENT_GIVEN,
        on,
        actor,
        lambda c=consent: {
            "consent": c.pk,
            "purpose": str(c.purpose),
            "basis": str(c.basis),
            "organisation": c.organisation_id,
        },
    )
    if end is not None and end > on and rng.random() < CONSENT_REVOKED:
        revoked_on = day_between(rng, on + dt.timedelta(days=1), end, 60)
        consent.revoked_at, consent.revoked_by = at(revoked_on, 400), actor
        batch.event(
            case,
            CaseEvent.Kind.CONSENT_REVOKED,
            revoked_on,
            actor,
            lambda c=consent: {"consent": c.pk, "purpose": str(c.purpose)},
        )
    return consent


def revoked_on(consent: Consent | None) -> dt.date | None:
    return consent.revoked_at.date() if consent is not None and consent.revoked_at else None
