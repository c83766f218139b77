"""From cases to persons: the facts statistics need about each case, and one row per distinct person.

Plain Python (no database access): `selectors.case_facts` reads the facts in a fixed number of queries, and
everything here works on them. Distinct persons come from `lantern.dedup.persons.person_ids`.

When a person has several cases (several organisations referred them), the person's row takes:
- the registration date and year of their EARLIEST registered case (the day first identified);
- the status most advanced over all their cases: "identified" once any case has a positive conclusive
  decision (formal identification / conclusive grounds, or the appeal against it), else "presumed";
- the current stage, profile and organisation of their most recently moved case for "stage", and of the
  earliest case for the organisation that registered them;
- sex, age, citizenships and countries of exploitation: the first known value, earliest case first; of
  several citizenships, the reporting country's, else an EU country's, else the first (`main_citizenship`);
- forms of exploitation: all forms recorded on any of their cases; the withheld-documents flag if any case
  has it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from lantern.cases.age import ADULT_AGE, known_age
from lantern.cases.profiles import Profile, load_profiles
from lantern.dedup import persons

PRESUMED = "presumed"
IDENTIFIED = "identified"
STATUSES = (PRESUMED, IDENTIFIED)
PRELIMINARY = "preliminary"
CONCLUSIVE = "conclusive"
CHILD, ADULT, UNKNOWN = "child", "adult", "unknown"
AGE_GROUPS = (CHILD, ADULT, UNKNOWN)
REPORTING_COUNTRY, OTHER_EU, NON_EU = "reporting_country", "other_eu", "non_eu"
CITIZENSHIP_GROUPS = (REPORTING_COUNTRY, OTHER_EU, NON_EU, UNKNOWN)
# The 27 EU member states (ISO 3166-1 alpha-2), for Eurostat's citizenship groups.
EU_COUNTRIES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE HU".split()
)
# CTDC's broad age bands at registration: (code as in the CTDC datasets, lowest age, highest age).
AGE_BANDS = (
    ("0--8", 0, 8),
    ("9--17", 9, 17),
    ("18--20", 18, 20),
    ("21--23", 21, 23),
    ("24--26", 24, 26),
    ("27--29", 27, 29),
    ("30--38", 30, 38),
    ("39--47", 39, 47),
    ("48+", 48, 200),
)


@dataclass(frozen=True)
class DecisionFact:
    stage: str
    outcome: str
    decided_on: dt.date


@dataclass(frozen=True)
class CaseFacts:
    """What statistics use of one case (decrypted birth date and age included: never shown)."""

    pk: int
    organisation_id: int
    organisation_type: str
    organisation_country: str
    profile: str
    stage: str
    stage_entered_on: dt.date
    identified_on: dt.date
    referred_on: dt.date | None = None
    sex: str = "unknown"
    born: dt.date | None = None
    estimated_age: int | None = None
    appears_minor: bool = False
    citizenships: tuple[str, ...] = ()
    exploitation_forms: tuple[str, ...] = ()
    exploitation_countries: tuple[str, ...] = ()
    documents_withheld: bool = False
    decisions: tuple[DecisionFact, ...] = ()
    stage_entries: dict[str, dt.date] = field(default_factory=dict)  # first entry into each stage

    @property
    def age(self) -> int | None:
        """Age in completed years on the day of registration, if known."""
        return known_age(self.born, self.estimated_age, self.identified_on)

    @property
    def status(self) -> str:
        kinds = decision_kinds(self.profile)
        positive = any(d.outcome == "positive" and kinds.get(d.stage) == CONCLUSIVE for d in self.decisions)
        return IDENTIFIED if positive else PRESUMED


@dataclass(frozen=True)
class PersonRow:
    """One distinct person, described as the module docstring says."""

    person_id: str
    case_ids: tuple[int, ...]
    registered_on: dt.date
    status: str
    stage: str
    profile: str
    organisation_type: str
    organisation_country: str
    sex: str
    age: int | None
    age_group: str
    age_band: str
    citizenship: str
    citizenship_group: str
    exploitation_forms: tuple[str, ...]
    exploitation_form: str
    exploitation_country: str
    documents_withheld: bool

    @property
    def year(self) -> int:
        return self.registered_on.year


@cache
def decision_kinds(profile_id: str) -> dict[str, str]:
    """Decision stage id → PRELIMINARY or CONCLUSIVE for a profile (appeals count as what they re-decide).

    The conclusive decision is the last decision of the main track (formal identification, conclusive
    grounds); the preliminary one the first, where there are two (reasonable grounds). An appeal stage is of
    the kind whose positive outcome leads to the same stage.
    """
    profile: Profile = load_profiles().get(profile_id)
    main = [s for s in profile.stages if s.is_decision and s.track == "main"]
    if not main:
        return {}
    positive = {t.source: t.target for t in profile.transitions if t.outcome == "positive"}
    conclusive = positive.get(main[-1].id)
    preliminary = positive.get(main[0].id) if len(main) > 1 else None
    kinds: dict[str, str] = {}
    for stage in profile.stages:
        if not stage.is_decision:
            continue
        if positive.get(stage.id) == conclusive:
            kinds[stage.id] = CONCLUSIVE
        elif preliminary is not None and positive.get(stage.id) == preliminary:
            kinds[stage.id] = PRELIMINARY
    return kinds


def age_group(age: int | None, presumed_child: bool) -> str:
    """Eurostat's child/adult at registration; a person presumed to be a child counts as a child."""
    if age is not None:
        return CHILD if age < ADULT_AGE else ADULT
    return CHILD if presumed_child else UNKNOWN


def age_band(age: int | None) -> str:
    """The CTDC broad age band ("0--8" … "48+"), or "" when the age is not known."""
    if age is None or age < 0:
        return ""
    return next(code for code, low, high in AGE_BANDS if low <= age <= high)


def citizenship_group(citizenships: Sequence[str], reporting_country: str) -> str:
    """Eurostat's group: the reporting country's nationals first, then other EU, then non-EU."""
    codes = [c.upper() for c in citizenships if c]
    if not codes:
        return UNKNOWN
    if reporting_country.upper() in codes:
        return REPORTING_COUNTRY
    if any(code in EU_COUNTRIES for code in codes):
        return OTHER_EU
    return NON_EU


def main_citizenship(citizenships: Sequence[str], reporting_country: str) -> str:
    """One citizenship per person, agreeing with `citizenship_group`: the reporting country's if the person
    holds it, else an EU one, else the first recorded (ISO code order); "" when none is recorded."""
    codes = [c.upper() for c in citizenships if c]
    for preferred in ([reporting_country.upper()], sorted(EU_COUNTRIES)):
        found = [code for code in codes if code in preferred]
        if found:
            return found[0]
    return codes[0] if codes else ""


def main_form(forms: Iterable[str]) -> str:
    """One form per person, so that tables add up: the first in the profiles file's order (sexual, labour,
    forced criminality, …); "unknown" when none is recorded."""
    recorded = set(forms)
    for form in load_profiles().exploitation_forms:
        if form in recorded:
            return form
    return UNKNOWN


def _first_known(values: Iterable[object], unknown: object = None) -> object:
    for value in values:
        if value not in (None, "", (), "unknown"):
            return value
    return unknown


def person_rows(facts: Iterable[CaseFacts]) -> list[PersonRow]:
    """One row per distinct person, sorted by registration date then person id."""
    facts = list(facts)
    owner = persons.person_ids([f.pk for f in facts])
    grouped: dict[str, list[CaseFacts]] = defaultdict(list)
    for fact in facts:
        grouped[owner.get(fact.pk, f"case-{fact.pk}")].append(fact)
    rows = []
    for person_id, cases in grouped.items():
        cases.sort(key=lambda f: (f.identified_on, f.pk))
        first = cases[0]
        latest = max(cases, key=lambda f: (f.stage_entered_on, f.pk))
        age = _first_known(f.age for f in cases)
        presumed_child = any(f.appears_minor for f in cases)
        citizenships = _first_known((f.citizenships for f in cases), ())
        forms = tuple(sorted({form for f in cases for form in f.exploitation_forms}))
        countries = _first_known((f.exploitation_countries for f in cases), ())
        rows.append(
            PersonRow(
                person_id=person_id,
                case_ids=tuple(f.pk for f in cases),
                registered_on=first.identified_on,
                status=IDENTIFIED if any(f.status == IDENTIFIED for f in cases) else PRESUMED,
                stage=latest.stage,
                profile=latest.profile,
                organisation_type=first.organisation_type,
                organisation_country=first.organisation_country,
                sex=str(_first_known((f.sex for f in cases), "unknown")),
                age=age,  # type: ignore[arg-type]
                age_group=age_group(age, presumed_child),  # type: ignore[arg-type]
                age_band=age_band(age),  # type: ignore[arg-type]
                citizenship=main_citizenship(citizenships, first.organisation_country),  # type: ignore[arg-type]
                citizenship_group=citizenship_group(citizenships, first.organisation_country),  # type: ignore[arg-type]
                exploitation_forms=forms,
                exploitation_form=main_form(forms),
                exploitation_country=countries[0] if countries else "",  # type: ignore[index]
                documents_withheld=any(f.documents_withheld for f in cases),
            )
        )
    rows.sort(key=lambda r: (r.registered_on, r.person_id))
    return rows
