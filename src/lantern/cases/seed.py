"""Synthetic, fictional cases for demos, tests and benchmarks (`lantern seed --cases N`).

Names come from Faker in several locales and scripts (Latin, Arabic, Cyrillic, Greek). Rows are written
with bulk inserts in batches (values still pass through the encrypted fields); the audit trail gets one
record for the whole run instead of one per row.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from faker import Faker

from lantern.accounts.models import Organisation, User
from lantern.accounts.roles import OrganisationType, Role
from lantern.audit.models import AuditRecord
from lantern.audit.services import record

from . import deadlines
from .models import Basis, Case, CaseEvent, Consent, Decision, Outcome, Purpose, RiskLevel, Sex, new_reference
from .profiles import load_profiles

LOCALES = ["en_GB", "fr_FR", "el_GR", "ar_AA", "ru_RU", "uk_UA", "es_ES", "ro_RO", "it_IT"]
CITIZENSHIPS = [
    "NG",
    "ER",
    "SY",
    "AF",
    "UA",
    "RO",
    "BG",
    "AL",
    "MA",
    "PK",
    "VN",
    "GR",
    "FR",
    "BD",
    "IQ",
    "SO",
]
LANGUAGES = {
    "NG": "en",
    "ER": "ti",
    "SY": "ar",
    "AF": "fa",
    "UA": "uk",
    "RO": "ro",
    "BG": "bg",
    "AL": "sq",
    "MA": "ar",
    "PK": "ur",
    "VN": "vi",
    "GR": "el",
    "FR": "fr",
    "BD": "bn",
    "IQ": "ar",
    "SO": "so",
}
FORMS = [
    ("sexual", 40),
    ("labour", 35),
    ("domestic_servitude", 8),
    ("forced_criminality", 6),
    ("forced_begging", 5),
    ("forced_marriage", 3),
    ("other", 3),
]


@dataclass
class SeedReport:
    cases: int
    events: int
    consents: int
    decisions: int


def _case_organisations() -> tuple[list[Organisation], dict[int, User], Organisation | None, User | None]:
    owners = list(
        Organisation.objects.filter(
            type__in=[OrganisationType.RECEPTION_CENTRE, OrganisationType.NGO], active=True
        )
    )
    if not owners:
        from lantern.accounts.demo import load_demo

        load_demo()
        return _case_organisations()
    workers = {}
    for org in owners:
        user = (
            User.objects.filter(
                organisation=org, role_grants__role__in=[Role.CASE_WORKER, Role.SCREENER]
            ).first()
            or User.objects.filter(organisation=org).first()
        )
        if user is not None:
            workers[org.pk] = user
    authority = Organisation.objects.filter(type=OrganisationType.NRM_AUTHORITY, active=True).first()
    decider = (
        User.objects.filter(organisation=authority, role_grants__role=Role.NRM_DECISION_MAKER).first()
        if authority
        else None
    )
    return [o for o in owners if o.pk in workers], workers, authority, decider


def _main_track(profile) -> list:  # type: ignore[no-untyped-def]
    return [s for s in profile.stages if s.track == "main"]


def seed_cases(
    count: int, *, seed: int = 20261129, batch: int = 2000, today: dt.date | None = None
) -> SeedReport:
    """Create `count` fictional cases with consistent timelines, consents, decisions and deadlines."""
    rng = random.Random(seed)
    fakers = {loc: Faker(loc) for loc in LOCALES}
    for i, f in enumerate(fakers.values()):
        f.seed_instance(seed + i)
    today = today or timezone.localdate()
    owners, workers, authority, decider = _case_organisations()
    profiles = load_profiles()
    report = SeedReport(0, 0, 0, 0)
    forms, weights = zip(*FORMS, strict=True)
    remaining = count
    while remaining > 0:
        size = min(batch, remaining)
        remaining -= size
        cases, plans = [], []
        for _ in range(size):
            org = rng.choice(owners)
            profile = profiles.for_country(org.country.code)
            locale = rng.choice(LOCALES)
            fake = fakers[locale]
            sex = rng.choices([Sex.FEMALE, Sex.MALE, Sex.UNKNOWN], [62, 36, 2])[0]
            child = rng.random() < 0.18
            age_years = rng.randint(12, 17) if child else rng.randint(18, 55)
            identified = today - dt.timedelta(days=rng.randint(0, 3 * 365))
            born = identified - dt.timedelta(days=age_years * 365 + rng.randint(0, 364))
            citizenship = rng.choice(CITIZENSHIPS)
            stages = _main_track(profile)
            reached = rng.choices(range(len(stages)), [30, 18, 12, 14, 10, 10, 3, 3][: len(stages)])[0]
            path, day = [], identified
            for stage in stages[: reached + 1]:
                path.append((stage, day))
                day = min(today, day + dt.timedelta(days=(stage.min_days or rng.randint(1, 20))))
            current, entered = path[-1]
            known_dob = rng.random() < 0.7
            given = fake.first_name_female() if sex == Sex.FEMALE else fake.first_name_male()
            case = Case(
                organisation=org,
                reference=new_reference(),
                profile=profile.id,
                stage=current.id,
                stage_entered_on=entered,
                created_by=workers[org.pk],
                case_worker=workers[org.pk],
                given_names=given,
                family_name=fake.last_name(),
                date_of_birth=born.isoformat() if known_dob else "",
                estimated_age="" if known_dob else str(age_years),
                appears_minor=child and not known_dob,
                sex=sex,
                citizenships=[citizenship],
                languages=[LANGUAGES[citizenship]],
                interpreter_needed=LANGUAGES[citizenship] not in ("en", "el", "fr"),
                exploitation_forms=[rng.choices(forms, weights)[0]],
                recruitment_countries=[citizenship],
                exploitation_countries=[org.country.code],
                identified_on=identified,
                identified_by=org.type,
                immediate_danger=rng.random() < 0.03,
                risk_level=rng.choice(list(RiskLevel)),
                closed_on=entered if current.id == "closed" else None,
                referred_to=authority if reached >= 1 else None,
                referred_on=path[1][1] if reached >= 1 else None,
            )
            case.treated_as_child = case.child_on(today)
            state = deadlines.CaseState(profile, current.id)
            entries = [deadlines.StageEntry(s.id, on) for s, on in path]
            items = deadlines.due_items(state, entries, today)
            case.target_due_on = min(
                (i.due_on for i in items if i.kind == deadlines.DECISION_TARGET), default=None
            )
            case.period_ends_on = min(
                (i.due_on for i in items if i.kind == deadlines.PERIOD_END), default=None
            )
            cases.append(case)
            plans.append(path)
        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=500)
            events, consents, decisions = [], [], []
            for case, path in zip(cases, plans, strict=True):
                actor = case.created_by
                previous = ""
                for stage, on in path:
                    kind = CaseEvent.Kind.CREATED if not previous else CaseEvent.Kind.STAGE_CHANGED
                    events.append(
                        CaseEvent(
                            case=case, kind=kind, on=on, actor=actor, from_stage=previous, to_stage=stage.id
                        )
                    )
                    previous = stage.id
                    if stage.is_decision and decider is not None and stage.id != case.stage:
                        decisions.append(
                            Decision(
                                case=case,
                                stage=stage.id,
                                outcome=Outcome.POSITIVE,
                                decided_on=on,
                                reasons="Fictional reasons for a synthetic case.",
                                decided_by=decider,
                            )
                        )
                if case.referred_to_id:
                    basis = Basis.BEST_INTERESTS if case.treated_as_child else Basis.PERSON
                    consents.append(
                        Consent(
                            case=case,
                            purpose=Purpose.COMPETENT_AUTHORITY,
                            basis=basis,
                            given_on=case.identified_on,
                            recorded_by=actor,
                            language=case.languages[0],
                        )
                    )
                if rng.random() < 0.85:
                    consents.append(
                        Consent(
                            case=case,
                            purpose=Purpose.STATISTICS,
                            basis=Basis.PERSON,
                            given_on=case.identified_on,
                            recorded_by=actor,
                        )
                    )
            CaseEvent.objects.bulk_create(events, batch_size=1000)
            Consent.objects.bulk_create(consents, batch_size=1000)
            Decision.objects.bulk_create(decisions, batch_size=1000)
        report.cases += len(cases)
        report.events += len(events)
        report.consents += len(consents)
        report.decisions += len(decisions)
    record(
        AuditRecord.Action.SYSTEM,
        object_type="cases.case",
        object_id="seed",
        detail={"operation": "seed", "cases": report.cases, "events": report.events},
    )
    return report
