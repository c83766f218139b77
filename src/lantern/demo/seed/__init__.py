"""Synthetic, fictional cases for demos, tests and benchmarks (`lantern seed --cases N`).

Names come from Faker in several locales and scripts (Latin, Arabic, Cyrillic, Greek). Besides the case and
its timeline, a realistic share of cases gets:

- the completed screening that led to it: answers drawn from the instrument for the case's population (adult
  or child) and form of exploitation, scored by the real engine (`screening.services.score_answers`), so its
  stored result and outcome are what the screening app would have stored;
- a support plan (needs) and referrals to the service directory (one offer per organisation and service it
  lists, created when the directory is empty): a referral is sent only when a consent to a referral to that
  organisation exists (for a child: the guardian's, or a best-interests determination where the profile allows
  it); sent referrals grant access to their field groups, accepted ones take a free place where places are
  counted (none left: declined, saying so); some consents are revoked later, which ends the access;
- the NRM competent authority's decisions at the decision stages passed, by its decision-maker, with reasons;
- consents per purpose (competent authority, statistics, referral), a few revoked;
- for some, a legal track: the lawyer assigned (resting on a referral consent to the lawyer's organisation),
  the non-punishment principle for forced criminality and begging, criminal proceedings, rights information.

Rows are written with bulk inserts in batches, as the services would leave them (the services check the
gate, lock rows and audit each change: far too slow for 100,000 cases); values still pass through the
encrypted fields. The audit trail gets one record for the whole run instead of one per row. Deterministic for
a `seed` and the same database content (case references stay random: they must be unique).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from faker import Faker

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.cases.models import Case, CaseEvent, Purpose
from lantern.cases.procedure.profiles import load_profiles

from .consents import consent_for
from .data import LEGAL_TRACK, LOCALES, SCREENED, WITH_NEEDS
from .legal import legal_track
from .rows import Batch, insert_batch
from .screenings import screening_of
from .support import support_plan
from .timeline import new_case, timeline_along
from .world import case_organisations, world_for


@dataclass
class SeedReport:
    cases: int
    events: int
    consents: int
    decisions: int
    screenings: int = 0
    needs: int = 0
    referrals: int = 0
    legal_tracks: int = 0


def seed_cases(
    count: int, *, seed: int = 20261129, batch: int = 2000, today: dt.date | None = None
) -> SeedReport:
    """Create `count` fictional cases with consistent timelines, screenings, consents, support plans,
    referrals, decisions, legal tracks and deadlines (see the module docstring)."""
    rng = random.Random(seed)
    fakers = {loc: Faker(loc) for loc in LOCALES}
    for i, f in enumerate(fakers.values()):
        f.seed_instance(seed + i)
    today = today or timezone.localdate()
    owners, workers, authority, decider = case_organisations()
    world = world_for(workers, decider)
    profiles = load_profiles()
    report = SeedReport(0, 0, 0, 0)
    remaining = count
    while remaining > 0:
        size = min(batch, remaining)
        remaining -= size
        planned = [
            new_case(rng, fakers, owners, workers, authority, decider, profiles, today) for _ in range(size)
        ]
        with transaction.atomic():
            Case.objects.bulk_create([case for case, _path in planned], batch_size=500)
            rows = Batch()
            for case, path in planned:
                form = case.exploitation_forms[0]
                timeline_along(rows, case, path, world, rng)
                if rng.random() < SCREENED:
                    screening = screening_of(case, form, world, rng)
                    rows.screenings.append(screening)
                    rows.event(
                        case,
                        CaseEvent.Kind.SCREENING_ATTACHED,
                        case.identified_on,
                        case.created_by,
                        lambda s=screening: {"screening": s.pk},
                    )
                if case.referred_to_id:
                    consent_for(rows, case, Purpose.COMPETENT_AUTHORITY, case.identified_on, rng)
                if rng.random() < 0.85:
                    consent_for(
                        rows, case, Purpose.STATISTICS, case.identified_on, rng, end=case.closed_on or today
                    )
                if case.referred_to_id and rng.random() < WITH_NEEDS:
                    report.referrals += support_plan(rows, case, world, rng, today)
                if case.referred_to_id and rng.random() < LEGAL_TRACK:
                    legal_track(rows, case, form, world, rng, today)
            report.events += insert_batch(rows, world.offers)
        report.cases += len(planned)
        report.consents += len(rows.consents)
        report.decisions += len(rows.decisions)
        report.screenings += len(rows.screenings)
        report.needs += len(rows.needs)
        report.legal_tracks += len(rows.tracks)
    record(
        AuditRecord.Action.SYSTEM,
        object_type="cases.case",
        object_id="seed",
        detail={
            "operation": "seed",
            "cases": report.cases,
            "events": report.events,
            "screenings": report.screenings,
            "referrals": report.referrals,
        },
    )
    return report
