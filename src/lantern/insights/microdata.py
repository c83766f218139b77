"""Microdata in the field names of the Counter Trafficking Data Collaborative (CTDC) global dataset.

`ctdc_rows(cases)` is the one entry point (the releases app builds its k-anonymous and differentially private
releases on it): ONE ROW PER DISTINCT PERSON, keys exactly `CTDC_FIELDS`, in that order. Values follow the
published CTDC datasets: flags are 1 / 0, `ageBroad` uses the CTDC codes ("0--8" … "48+"), countries are ISO
3166-1 alpha-2 codes, and None means "not recorded" (Lantern does not collect that field, or it was left
empty).

What Lantern fills, and from what (the person's row, see `facts.py`):
- yearOfRegistration: year of the first registration; Datasource: "Case Management";
- gender: "Female" / "Male" (another sex, or not known: None); ageBroad and majorityStatus ("Adult" / "Minor")
  at registration, a presumed child counting as "Minor";
- citizenship: the person's main citizenship (`facts.main_citizenship`, as for Eurostat's groups);
  CountryOfExploitation: the first country of exploitation recorded;
- isForcedLabour, isSexualExploit, isOtherExploit, isSexAndLabour, isForcedMarriage, isOrganRemoval (and 0 for
  isForcedMilitary, isSlaveryAndPractices, which Lantern has no form for) from the forms of exploitation;
  typeOfLabourDomesticWork, typeOfLabourBegging, typeOfLabourIllicitActivities from domestic servitude, forced
  begging and forced criminality; typeOfLabourNotSpecified for "labour" without a sector; the *Concatenated
  fields list what is set;
- meansOfControlWithholdsDocuments from "documents withheld by someone else"; meansOfControlNotSpecified is 1
  when that is the only means Lantern could know and it is not recorded.
Not recorded by Lantern, always None: majorityStatusAtExploit, majorityEntry, the other means of control, the
other labour sectors, the types of sexual exploitation, isAbduction, RecruiterRelationship and
recruiterRelation*.

Only cases whose consent allows inclusion in statistics are ever included, whatever queryset is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet

from lantern.cases.models import Case

from . import facts, selectors
from .facts import PersonRow
from .models import CaseFact

MEANS_OF_CONTROL = (
    "DebtBondage",
    "TakesEarnings",
    "RestrictsFinancialAccess",
    "Threats",
    "PsychologicalAbuse",
    "PhysicalAbuse",
    "SexualAbuse",
    "FalsePromises",
    "PsychoactiveSubstances",
    "RestrictsMovement",
    "RestrictsMedicalCare",
    "ExcessiveWorkingHours",
    "UsesChildren",
    "ThreatOfLawEnforcement",
    "WithholdsNecessities",
    "WithholdsDocuments",
    "Other",
    "NotSpecified",
)
EXPLOIT_FLAGS = (
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "isSexAndLabour",
    "isForcedMarriage",
    "isForcedMilitary",
    "isOrganRemoval",
    "isSlaveryAndPractices",
)
LABOUR_TYPES = (
    "Agriculture",
    "Aquafarming",
    "Begging",
    "Construction",
    "DomesticWork",
    "Hospitality",
    "IllicitActivities",
    "Manufacturing",
    "MiningOrDrilling",
    "Peddling",
    "Transportation",
    "Other",
    "NotSpecified",
)
SEX_TYPES = ("Prostitution", "Pornography", "RemoteInteractiveServices", "PrivateSexualServices")
RECRUITER_RELATIONS = ("IntimatePartner", "Friend", "Family", "Other", "Unknown")

CTDC_FIELDS: tuple[str, ...] = (
    "yearOfRegistration",
    "Datasource",
    "gender",
    "ageBroad",
    "majorityStatus",
    "majorityStatusAtExploit",
    "majorityEntry",
    "citizenship",
    *(f"meansOfControl{m}" for m in MEANS_OF_CONTROL),
    "meansOfControlConcatenated",
    *EXPLOIT_FLAGS,
    "typeOfExploitConcatenated",
    *(f"typeOfLabour{t}" for t in LABOUR_TYPES),
    "typeOfLabourConcatenated",
    *(f"typeOfSex{t}" for t in SEX_TYPES),
    "typeOfSexConcatenated",
    "isAbduction",
    "RecruiterRelationship",
    "CountryOfExploitation",
    *(f"recruiterRelation{r}" for r in RECRUITER_RELATIONS),
)

LABOUR_FORMS = {
    "labour": None,
    "domestic_servitude": "DomesticWork",
    "forced_begging": "Begging",
    "forced_criminality": "IllicitActivities",
}
OTHER_FORMS = frozenset({"illegal_adoption", "surrogacy", "other"})
GENDER = {"female": "Female", "male": "Male"}
EXPLOIT_NAMES = {
    "isForcedLabour": "Forced labour",
    "isSexualExploit": "Sexual exploitation",
    "isForcedMarriage": "Forced marriage",
    "isOrganRemoval": "Organ removal",
    "isOtherExploit": "Other",
}
LABOUR_NAMES = {
    "DomesticWork": "Domestic work",
    "Begging": "Begging",
    "IllicitActivities": "Illicit activities",
}


def _exploitation(forms: tuple[str, ...]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    if not forms:
        return row  # nothing recorded: every exploitation field stays None
    labour = [f for f in forms if f in LABOUR_FORMS]
    sectors = sorted({LABOUR_FORMS[f] for f in labour if LABOUR_FORMS[f]})
    row.update(
        isForcedLabour=int(bool(labour)),
        isSexualExploit=int("sexual" in forms),
        isOtherExploit=int(any(f in OTHER_FORMS for f in forms)),
        isForcedMarriage=int("forced_marriage" in forms),
        isForcedMilitary=0,
        isOrganRemoval=int("organ_removal" in forms),
        isSlaveryAndPractices=0,
    )
    row["isSexAndLabour"] = int(bool(row["isForcedLabour"] and row["isSexualExploit"]))
    row["typeOfExploitConcatenated"] = "; ".join(name for key, name in EXPLOIT_NAMES.items() if row[key])
    if labour:
        for sector in sectors:
            row[f"typeOfLabour{sector}"] = 1
        if not sectors:
            row["typeOfLabourNotSpecified"] = 1
        row["typeOfLabourConcatenated"] = "; ".join(LABOUR_NAMES[s] for s in sectors) or None
    return row


@lru_cache(maxsize=8192)
def _ctdc_row(
    year: int,
    sex: str,
    age_band: str,
    age_group: str,
    citizenship: str,
    country: str,
    withheld: bool,
    forms: tuple[str, ...],
) -> dict[str, Any]:
    # Persons share their categories: each combination is worked out once (the last 8192 are kept).
    row: dict[str, Any] = dict.fromkeys(CTDC_FIELDS)
    row.update(
        yearOfRegistration=year,
        Datasource="Case Management",
        gender=GENDER.get(sex),
        ageBroad=age_band or None,
        majorityStatus={facts.CHILD: "Minor", facts.ADULT: "Adult"}.get(age_group),
        citizenship=citizenship or None,
        CountryOfExploitation=country or None,
        meansOfControlWithholdsDocuments=int(withheld),
        meansOfControlNotSpecified=int(not withheld),
        meansOfControlConcatenated="Withholds documents" if withheld else None,
    )
    row.update(_exploitation(forms))
    return row


def ctdc_key(person: PersonRow) -> tuple[Any, ...]:
    """What a person's CTDC record is made of: persons with the same key have the same record."""
    return (
        person.year,
        person.sex,
        person.age_band,
        person.age_group,
        person.citizenship,
        person.exploitation_country,
        person.documents_withheld,
        person.exploitation_forms,
    )


def ctdc_row(person: PersonRow) -> dict[str, Any]:
    """One person as a CTDC microdata record (keys: `CTDC_FIELDS`, in order)."""
    return dict(_ctdc_row(*ctdc_key(person)))


def ctdc_persons(cases: QuerySet[Case] | QuerySet[CaseFact] | Iterable[Case]) -> list[PersonRow]:
    """The distinct persons among `cases` (fact rows, or cases) whose consent allows statistics."""
    if isinstance(cases, QuerySet) and cases.model is CaseFact:
        fact_rows = cases.filter(counted=True)
    else:
        if not isinstance(cases, QuerySet):
            cases = Case.objects.filter(pk__in=[case.pk for case in cases])
        fact_rows = CaseFact.objects.filter(case__in=cases.order_by().values("pk"), counted=True)
    return facts.person_rows(selectors.case_stats(fact_rows))


def ctdc_rows(cases: QuerySet[Case] | QuerySet[CaseFact] | Iterable[Case]) -> list[dict[str, Any]]:
    """CTDC microdata: one dict per distinct person among `cases`, keys `CTDC_FIELDS` in that order.

    `cases` is a queryset of Case or of their fact rows (already scoped by the caller, e.g.
    `selectors.countable_facts(actor, "insights.microdata")`), or an iterable of cases. Cases whose consent
    does not allow inclusion in statistics are dropped here. Persons come from
    `lantern.dedup.persons.person_ids`; rows are in order of first registration. Two queries, read from the
    statistics fact rows (`models.CaseFact`).
    """
    return [ctdc_row(person) for person in ctdc_persons(cases)]
