"""Cases and distinct persons as columns: what the dashboard and the Eurostat tables count, fast at scale.

A national register holds 100,000 cases and more. Making an object per case and per person on every request
costs more than the counting, so `selectors.fact_columns` reads the fact rows as columns (one list per
category, one query) and `persons` turns them into distinct persons without an object per person: a case
that is the only counted case of its person (most are) is that person as it stands; the few persons of
several cases are combined by `facts.merged_person`, exactly as `facts.person_rows` does. Tables then count
``zip(column, column)`` (`statistics.count_table`). Plain Python, no database access.

Each case and person also carries its record key (`disclosure`): a case's is read from its fact row (or
computed from its id), a person's is the sum of their cases' keys.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Any

from lantern.dedup import persons as dedup_persons

from . import disclosure
from .facts import CaseFacts, CaseStats, PersonRow, citizenship_of, forms_of, merged_person

CASE_FIELDS = CaseStats._fields
# What tables count of a person (`facts.PersonRow` names).
PERSON_FIELDS = (
    "registered_on",
    "status",
    "stage",
    "organisation_type",
    "sex",
    "age_group",
    "citizenship_group",
    "exploitation_form",
    "exploitation_country",
)

# What the person of a single case is made of (`persons`).
SINGLE_FIELDS = (
    "pk",
    "registered_on",
    "status",
    "stage",
    "organisation_type",
    "organisation_country",
    "sex",
    "age_group",
    "citizenships",
    "exploitation_forms",
    "exploitation_country",
    "record_key",
)


def case_record_keys(cases: CaseColumns) -> list[int]:
    """Each case's record key: as stored on its fact row, else computed from its id."""
    if "record_key" in cases.columns:
        return cases.columns["record_key"]
    return [disclosure.record_key("case", pk) for pk in cases.columns["pk"]]


def person_record_key(case_ids: int | tuple[int, ...], keys: dict[int, int] | None = None) -> int:
    """A person's record key: the sum of their cases' keys (computed from the ids unless given)."""
    ids = (case_ids,) if isinstance(case_ids, int) else case_ids
    found = keys or {}
    return disclosure.cell_key(found[pk] if pk in found else disclosure.record_key("case", pk) for pk in ids)


@dataclass(frozen=True)
class CaseColumns:
    """Cases as columns: ``columns[name][i]`` is the `facts.CaseStats` field `name` of the i-th case (the
    decision fields may be absent)."""

    columns: dict[str, list[Any]]

    def __len__(self) -> int:
        return len(self.columns["pk"])

    def __getitem__(self, name: str) -> list[Any]:
        return self.columns[name]

    @classmethod
    def of(cls, cases: Iterable[CaseStats | CaseFacts]) -> CaseColumns:
        stats = [case.stats() if isinstance(case, CaseFacts) else case for case in cases]
        values = list(zip(*stats, strict=True)) if stats else [() for _name in CASE_FIELDS]
        return cls({name: list(column) for name, column in zip(CASE_FIELDS, values, strict=True)})

    def case(self, i: int) -> CaseStats:
        return CaseStats(*(self.columns[name][i] for name in CASE_FIELDS if name in self.columns))

    def only(self, keep: Sequence[bool], names: Iterable[str] | None = None) -> CaseColumns:
        """The cases marked in `keep`, with the columns `names` (all by default)."""
        return CaseColumns(
            {
                name: list(compress(self.columns[name], keep))
                for name in (self.columns if names is None else names)
                if name in self.columns
            }
        )


@dataclass(frozen=True)
class Persons:
    """Distinct persons as columns (`PERSON_FIELDS` and "record_key"), and the case ids of each (an id, or a
    tuple of ids)."""

    columns: dict[str, list[Any]]
    case_ids: list[int | tuple[int, ...]]

    def __len__(self) -> int:
        return len(self.case_ids)

    def __getitem__(self, name: str) -> list[Any]:
        return self.columns[name]

    @classmethod
    def of(cls, rows: Sequence[PersonRow]) -> Persons:
        """Person rows as columns (record keys computed from the case ids)."""
        columns = {name: [getattr(r, name) for r in rows] for name in PERSON_FIELDS}
        columns["record_key"] = [person_record_key(r.case_ids) for r in rows]
        return cls(columns, [r.case_ids for r in rows])

    def only(self, keep: Sequence[bool]) -> Persons:
        return Persons(
            {name: list(compress(column, keep)) for name, column in self.columns.items()},
            list(compress(self.case_ids, keep)),
        )

    def without_keys(self) -> Persons:
        """The same persons without their record keys: for exact counts, which need no cell keys (summing them
        costs as much as the counting)."""
        return Persons({k: v for k, v in self.columns.items() if k != "record_key"}, self.case_ids)

    def where(self, test: Callable[..., bool], *names: str) -> Persons:
        """The persons for whom ``test(*values of names)`` holds."""
        return self.only([test(*values) for values in zip(*(self.columns[n] for n in names), strict=True)])

    def kept_case_ids(self) -> set[int]:
        found: set[int] = set()
        for ids in self.case_ids:
            if isinstance(ids, int):
                found.add(ids)
            else:
                found.update(ids)
        return found


def as_persons(rows: Persons | Sequence[PersonRow]) -> Persons:
    return rows if isinstance(rows, Persons) else Persons.of(rows)


def as_cases(cases: CaseColumns | Iterable[CaseStats | CaseFacts]) -> CaseColumns:
    return cases if isinstance(cases, CaseColumns) else CaseColumns.of(cases)


def persons(cases: CaseColumns) -> Persons:
    """The distinct persons of these cases (`lantern.dedup.persons.person_ids`), as columns."""
    pks = cases["pk"]
    owner = dedup_persons.person_ids(pks)
    keys = [key or f"case-{pk}" for pk, key in zip(pks, map(owner.get, pks), strict=True)]
    shared = {key for key, n in Counter(keys).items() if n > 1}
    alone = cases.only([key not in shared for key in keys], SINGLE_FIELDS) if shared else cases
    citizenships = list(map(citizenship_of, alone["citizenships"], alone["organisation_country"]))
    forms = list(map(forms_of, alone["exploitation_forms"]))
    sexes = alone["sex"]
    columns: dict[str, list[Any]] = {
        "registered_on": list(alone["registered_on"]),
        "status": list(alone["status"]),
        "stage": list(alone["stage"]),
        "organisation_type": list(alone["organisation_type"]),
        "sex": [sex or "unknown" for sex in sexes] if "" in sexes else list(sexes),
        "age_group": list(alone["age_group"]),
        "citizenship_group": [group for _main, group in citizenships],
        "exploitation_form": [form for _forms, form in forms],
        "exploitation_country": list(alone["exploitation_country"]),
        "record_key": list(case_record_keys(alone)),
    }
    case_ids: list[int | tuple[int, ...]] = list(alone["pk"])
    if shared:
        grouped: dict[str, list[CaseStats]] = defaultdict(list)
        stored = dict(zip(pks, case_record_keys(cases), strict=True))
        for i, key in enumerate(keys):
            if key in shared:
                grouped[key].append(cases.case(i))
        for key, cases_of in grouped.items():
            row = merged_person(key, cases_of)
            for name in PERSON_FIELDS:
                columns[name].append(getattr(row, name))
            columns["record_key"].append(person_record_key(row.case_ids, stored))
            case_ids.append(row.case_ids)
    return Persons(columns, case_ids)
