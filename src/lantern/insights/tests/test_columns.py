"""Counting by columns (`columns.persons`) gives the same persons as the row by row rules
(`facts.person_rows`), for persons of one case and of several, with and without the dashboard's filters."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from lantern.insights import columns, facts, statistics
from lantern.insights.facts import CaseFacts, DecisionFact
from lantern.insights.statistics import Filters

D = dt.date


def case(pk: int, **fields: Any) -> CaseFacts:
    defaults: dict[str, Any] = {
        "organisation_id": 1,
        "organisation_type": "ngo",
        "organisation_country": "GR",
        "profile": "uk-style",
        "stage": "referred",
        "stage_entered_on": D(2025, 1, 10),
        "identified_on": D(2025, 1, 6),
    }
    return CaseFacts(pk=pk, **{**defaults, **fields})


CASES = [
    case(1, identified_on=D(2024, 12, 1), sex="unknown", organisation_type="police", appears_minor=True),
    case(2, identified_on=D(2025, 2, 1), sex="male", citizenships=("RO",), exploitation_forms=("labour",)),
    case(3, sex="female", born=D(2001, 4, 5), citizenships=("NG", "GR"), exploitation_countries=("IT",)),
    case(
        4,
        sex="female",
        estimated_age=15,
        stage="conclusive_grounds",
        stage_entered_on=D(2025, 3, 1),
        decisions=(DecisionFact("conclusive_grounds", "positive", D(2025, 5, 1)),),
    ),
    case(5, identified_on=D(2025, 6, 1), exploitation_forms=("sexual", "forced_begging")),
    case(6, identified_on=D(2023, 6, 1), sex="male", documents_withheld=True),
]


@pytest.fixture(autouse=True)
def two_persons_of_several_cases(monkeypatch: Any) -> None:
    from lantern.dedup import persons

    shared = {1: "person-a", 2: "person-a", 4: "person-b", 6: "person-b"}
    monkeypatch.setattr(persons, "person_ids", lambda ids: {pk: shared.get(pk, f"case-{pk}") for pk in ids})


def as_set(persons: columns.Persons) -> Counter[tuple[Any, ...]]:
    return Counter(zip(*(persons[name] for name in columns.PERSON_FIELDS), strict=True))


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(sex="male"),
        Filters(registered_from=D(2025, 1, 1)),
        Filters(stage="conclusive_grounds"),
    ],
)
def test_columns_count_the_same_persons_as_rows(filters: Filters) -> None:
    rows = facts.person_rows(CASES)
    by_rows = columns.Persons.of([row for row in rows if filters.keep(row)])
    by_columns = statistics.filter_persons(columns.persons(columns.CaseColumns.of(CASES)), filters)
    assert len(columns.persons(columns.CaseColumns.of(CASES))) == 4
    assert as_set(by_columns) == as_set(by_rows)
    assert by_columns.kept_case_ids() == {pk for row in rows if filters.keep(row) for pk in row.case_ids}


def test_tables_from_columns_and_from_rows_agree() -> None:
    rows = facts.person_rows(CASES)
    persons = columns.persons(columns.CaseColumns.of(CASES))
    assert statistics.dimension_tables(persons) == statistics.dimension_tables(rows)
    assert statistics.over_time_table(persons) == statistics.over_time_table(rows)
    assert statistics.eurostat_tables(persons, 2025) == statistics.eurostat_tables(rows, 2025)
    person_b = next(row for row in rows if row.person_id == "person-b")
    assert (
        person_b.status == facts.IDENTIFIED and person_b.age_group == facts.CHILD
    )  # case 4's decision and age
