"""From cases to persons: the facts statistics need about each case, and one row per distinct person.

Plain Python (no database access). `CaseFacts` is a case as read from the cases (`selectors.case_facts`,
birth date decrypted in memory); `CaseFacts.stats()` puts it in categories (`CaseStats`: the age as a group
and a band, the statistics status, the time to each first decision) — what a `models.CaseFact` row stores,
so that requests never decrypt anything. Distinct persons come from `lantern.dedup.persons.person_ids`;
`person_rows` makes one `PersonRow` each (`columns.persons` does the same as columns, for counting).

When a person has several cases (several organisations referred them), the person's row takes:
- the registration date and year of their EARLIEST registered case (the day first identified);
- the status most advanced over all their cases: "identified" once any case has a positive conclusive
  decision (formal identification / conclusive grounds, or the appeal against it), else "presumed";
- the current stage, profile and organisation of their most recently moved case for "stage", and of the
  earliest case for the organisation that registered them;
- sex, age (group and band), citizenships and countries of exploitation: the first known value, earliest
  case first (an age group from the presumption of minority only when no case has a known age); of
  several citizenships, the reporting country's, else an EU country's, else the first (`main_citizenship`);
- forms of exploitation: all forms recorded on any of their cases; the withheld-documents flag if any case
  has it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from operator import attrgetter
from typing import NamedTuple

from lantern.cases.procedure.age import ADULT_AGE, known_age
from lantern.cases.procedure.deadlines import add_working_days
from lantern.cases.procedure.profiles import Profile, load_profiles
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

    def stats(self) -> CaseStats:
        """This case in categories (the age as a group and band), as a `models.CaseFact` row stores it."""
        age = self.age
        timings = decision_timing(self)
        preliminary = timings.get(PRELIMINARY, (None, None))
        conclusive = timings.get(CONCLUSIVE, (None, None))
        return CaseStats(
            pk=self.pk,
            organisation_type=self.organisation_type,
            organisation_country=self.organisation_country,
            profile=self.profile,
            stage=self.stage,
            stage_entered_on=self.stage_entered_on,
            registered_on=self.identified_on,
            status=self.status,
            sex=self.sex,
            age_known=age is not None,
            age_group=age_group(age, self.appears_minor),
            age_band=age_band(age),
            citizenships=tuple(c.upper() for c in self.citizenships if c),
            exploitation_forms=tuple(self.exploitation_forms),
            exploitation_country=self.exploitation_countries[0] if self.exploitation_countries else "",
            documents_withheld=self.documents_withheld,
            preliminary_days=preliminary[0],
            preliminary_met=preliminary[1],
            conclusive_days=conclusive[0],
            conclusive_met=conclusive[1],
            decisions=decision_outcomes(self),
        )


class CaseStats(NamedTuple):
    """What counting needs of one case, in categories: a `models.CaseFact` row, or `CaseFacts.stats()`.

    No exact age and no birth date: the age at registration is kept as `age_group` and `age_band` only.
    """

    pk: int
    organisation_type: str
    organisation_country: str
    profile: str
    stage: str
    stage_entered_on: dt.date
    registered_on: dt.date
    status: str
    sex: str
    age_known: bool
    age_group: str  # by the age when known, else by the presumption of minority
    age_band: str
    citizenships: tuple[str, ...]
    exploitation_forms: tuple[str, ...]
    exploitation_country: str
    documents_withheld: bool
    preliminary_days: int | None = None
    preliminary_met: bool | None = None
    conclusive_days: int | None = None
    conclusive_met: bool | None = None
    decisions: tuple[tuple[str, str], ...] = ()  # (preliminary / conclusive / appeal, outcome) per decision


class PersonRow(NamedTuple):
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


def decision_timing(case: CaseFacts) -> dict[str, tuple[int, bool | None]]:
    """For the first preliminary and the first conclusive decision of the main track: calendar days from the
    referral, and whether it met the statutory target (the profile's `target_working_days`; None where the
    stage has no target or its clock never started). Nothing when the case was never referred."""
    if case.referred_on is None:
        return {}
    profile = load_profiles().get(case.profile)
    kinds = decision_kinds(case.profile)
    found: dict[str, tuple[int, bool | None]] = {}
    for decision in sorted(case.decisions, key=lambda d: d.decided_on):
        kind = kinds.get(decision.stage)
        stage = profile.stage(decision.stage) if profile.has_stage(decision.stage) else None
        if kind is None or kind in found or stage is None or stage.track != "main":
            continue
        met: bool | None = None
        if stage.target_working_days:
            clock = stage.clock_starts or stage.id
            started = case.referred_on if clock == "referred" else case.stage_entries.get(clock)
            if started is not None:
                met = decision.decided_on <= add_working_days(
                    started, stage.target_working_days, profile.holidays
                )
        found[kind] = ((decision.decided_on - case.referred_on).days, met)
    return found


APPEAL = "appeal"


def decision_outcomes(case: CaseFacts) -> tuple[tuple[str, str], ...]:
    """(PRELIMINARY / CONCLUSIVE / APPEAL, outcome) of each decision of a stage the profile knows."""
    profile = load_profiles().get(case.profile)
    kinds = decision_kinds(case.profile)
    return tuple(
        (APPEAL if profile.stage(d.stage).track == "appeal" else kinds[d.stage], d.outcome)
        for d in case.decisions
        if profile.has_stage(d.stage) and d.stage in kinds
    )


def _first_known(values: Iterable[object], unknown: object = None) -> object:
    for value in values:
        if value not in (None, "", (), "unknown"):
            return value
    return unknown


def merged_person(person_id: str, cases: list[CaseStats]) -> PersonRow:
    """The row of a person of several cases, combined as the module docstring says."""
    cases = sorted(cases, key=lambda s: (s.registered_on, s.pk))
    first = cases[0]
    latest = max(cases, key=lambda s: (s.stage_entered_on, s.pk))
    aged = next((s for s in cases if s.age_known), None)
    if aged is not None:
        group, band = aged.age_group, aged.age_band
    else:
        group, band = (CHILD if any(s.age_group == CHILD for s in cases) else UNKNOWN), ""
    citizenships: tuple[str, ...] = _first_known((s.citizenships for s in cases), ())  # type: ignore[assignment]
    forms = tuple(sorted({f for s in cases for f in s.exploitation_forms}))
    return PersonRow(
        person_id=person_id,
        case_ids=tuple(s.pk for s in cases),
        registered_on=first.registered_on,
        status=IDENTIFIED if any(s.status == IDENTIFIED for s in cases) else PRESUMED,
        stage=latest.stage,
        profile=latest.profile,
        organisation_type=first.organisation_type,
        organisation_country=first.organisation_country,
        sex=str(_first_known((s.sex for s in cases), "unknown")),
        age_group=group,
        age_band=band,
        citizenship=main_citizenship(citizenships, first.organisation_country),
        citizenship_group=citizenship_group(citizenships, first.organisation_country),
        exploitation_forms=forms,
        exploitation_form=main_form(forms),
        exploitation_country=str(_first_known((s.exploitation_country for s in cases), "")),
        documents_withheld=any(s.documents_withheld for s in cases),
    )


@lru_cache(maxsize=4096)
def citizenship_of(citizenships: tuple[str, ...], reporting_country: str) -> tuple[str, str]:
    """(`main_citizenship`, `citizenship_group`): a few distinct inputs among many cases, worked out once."""
    return main_citizenship(citizenships, reporting_country), citizenship_group(
        citizenships, reporting_country
    )


@lru_cache(maxsize=4096)
def forms_of(forms: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """(the forms sorted, `main_form`), worked out once per distinct set of forms."""
    return tuple(sorted(set(forms))), main_form(forms)


def single_person(person_id: str, case: CaseStats) -> PersonRow:
    """The row of a person of one case (most persons): its categories, as `merged_person` makes them."""
    forms, form = forms_of(case.exploitation_forms)
    return PersonRow(
        person_id,
        (case.pk,),
        case.registered_on,
        case.status,
        case.stage,
        case.profile,
        case.organisation_type,
        case.organisation_country,
        case.sex or "unknown",
        case.age_group,
        case.age_band,
        *citizenship_of(case.citizenships, case.organisation_country),
        forms,
        form,
        case.exploitation_country,
        case.documents_withheld,
    )


def person_rows(cases: Iterable[CaseStats | CaseFacts]) -> list[PersonRow]:
    """One row per distinct person, sorted by registration date then person id (`persons.person_ids`)."""
    stats = [case.stats() if isinstance(case, CaseFacts) else case for case in cases]
    owner = persons.person_ids([s.pk for s in stats])
    grouped: dict[str, list[CaseStats]] = defaultdict(list)
    for s in stats:
        grouped[owner.get(s.pk, f"case-{s.pk}")].append(s)
    rows = [
        single_person(person_id, cases_of[0]) if len(cases_of) == 1 else merged_person(person_id, cases_of)
        for person_id, cases_of in grouped.items()
    ]
    rows.sort(key=attrgetter("registered_on", "person_id"))
    return rows
