"""A seeded case's legal track: the lawyer, non-punishment, proceedings, rights information."""

from __future__ import annotations

import datetime as dt
import random

from lantern.cases.models import Case, CaseAccess, CaseEvent, Purpose
from lantern.legal.services import EXTRA_LAWYER_GROUPS, LAWYER_GROUP

from .consents import consent_for
from .data import OFFENCES
from .rows import Batch, access_granted, day_between
from .world import World

# What the seeded lawyer sees besides the legal track (among the choices `assign_lawyer` offers).
LAWYER_EXTRA = ("identity", "exploitation")
assert set(LAWYER_EXTRA) <= set(EXTRA_LAWYER_GROUPS)


def legal_track(
    batch: Batch, case: Case, form: str, world: World, rng: random.Random, today: dt.date
) -> None:
    """A legal track: the lawyer (on a referral consent to the lawyer's organisation), non-punishment for
    forced criminality and begging, sometimes criminal proceedings; and the rights information given."""
    from lantern.legal.models import (
        CriminalProceeding,
        InformationMethod,
        LegalTrack,
        NonPunishmentStatus,
        ProceedingRole,
        ProceedingStatus,
        RightsInformation,
    )

    start, end = case.referred_on or case.identified_on, case.closed_on or today
    actor = case.created_by
    batch.legal_rows.append(
        RightsInformation(
            case=case,
            given_on=start,
            language=case.languages[0],
            methods=[InformationMethod.values[0]],
            recorded_by=actor,
        )
    )
    track = LegalTrack(case=case)
    batch.tracks.append(track)
    assigned_on = day_between(rng, start, end, 20)
    lawyer = world.lawyer
    if lawyer is not None:
        own = lawyer.organisation_id == case.organisation_id
        consent = (
            None
            if own
            else consent_for(
                batch, case, Purpose.REFERRAL, assigned_on, rng, organisation=lawyer.organisation
            )
        )
        access = CaseAccess(
            case=case,
            user=lawyer,
            field_groups=sorted({LAWYER_GROUP, *LAWYER_EXTRA}),
            consent=consent,
            granted_by=actor,
        )
        batch.accesses.append(access)
        access_granted(batch, case, access, assigned_on)
        track.lawyer, track.lawyer_access = lawyer, access
        batch.event(
            case,
            CaseEvent.Kind.LAWYER_ASSIGNED,
            assigned_on,
            actor,
            lambda t=track, a=access: {"lawyer": t.lawyer_id, "access": a.pk, "created": True},
        )
    if form in OFFENCES:
        track.non_punishment_applies = True
        track.non_punishment_categories = list(OFFENCES[form])
        track.non_punishment_status = rng.choice(list(NonPunishmentStatus))
        if track.non_punishment_status != NonPunishmentStatus.NOT_RAISED:
            track.non_punishment_raised_on = day_between(rng, assigned_on, end, 30)
    if rng.random() < 0.5:
        batch.legal_rows.append(
            CriminalProceeding(
                case=case,
                role=rng.choice([ProceedingRole.WITNESS, ProceedingRole.INJURED_PARTY]),
                status=rng.choice(list(ProceedingStatus)),
                court="Fictional court of first instance",
                opened_on=day_between(rng, start, end, 60),
            )
        )
