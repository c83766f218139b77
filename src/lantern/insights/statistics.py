"""Counting distinct persons: tables by dimension, over time, the Eurostat tables, time to decision.

Works on persons and cases as columns (`columns.Persons`, `columns.CaseColumns`; lists of `facts.PersonRow`
and `facts.CaseStats` are turned into columns), with no database access. Every table counts each person once
per row dimension, so that rows and columns add up to the totals. Labels are translated lazily.
"""

from __future__ import annotations

import calendar
import datetime as dt
import statistics as stats
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from lantern.accounts.roles import OrganisationType
from lantern.cases.fields import EXPLOITATION_LABELS
from lantern.cases.models import Outcome, Sex
from lantern.cases.procedure.profiles import load_profiles

from . import disclosure, facts
from .columns import CaseColumns, Persons, as_cases, as_persons, case_record_keys
from .facts import CONCLUSIVE, IDENTIFIED, PRELIMINARY, PRESUMED, CaseFacts, CaseStats, PersonRow

SMALL_CELL = 5  # counts from 1 to SMALL_CELL - 1 are shown as "fewer than 5" where suppression applies
FEWER = "<5"  # a suppressed cell: a count from 1 to SMALL_CELL - 1
HIDDEN = "c"  # a cell hidden with a small one so that it cannot be worked out (Eurostat's "confidential")
Cell = int | str

STATUS_LABELS = {PRESUMED: _("Presumed victims"), IDENTIFIED: _("Identified victims")}
AGE_GROUP_LABELS = {facts.CHILD: _("Children"), facts.ADULT: _("Adults"), facts.UNKNOWN: _("Age not known")}
CITIZENSHIP_LABELS = {
    facts.REPORTING_COUNTRY: _("Citizens of the reporting country"),
    facts.OTHER_EU: _("Citizens of another EU country"),
    facts.NON_EU: _("Citizens of a non-EU country"),
    facts.UNKNOWN: _("Citizenship not known"),
}
UNKNOWN_LABEL = _("Not known")


def stage_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for profile in load_profiles().profiles.values():
        for stage in profile.stages:
            labels.setdefault(stage.id, stage.label)
    return labels


@dataclass(frozen=True)
class Filters:
    """What the dashboard narrows the persons to (all optional)."""

    registered_from: dt.date | None = None
    registered_to: dt.date | None = None
    organisation_type: str = ""
    stage: str = ""
    sex: str = ""

    def keep(self, row: PersonRow) -> bool:
        return self.keeps(row.registered_on, row.organisation_type, row.stage, row.sex)

    def keeps(self, registered_on: dt.date, organisation_type: str, stage: str, sex: str) -> bool:
        return (
            (self.registered_from is None or registered_on >= self.registered_from)
            and (self.registered_to is None or registered_on <= self.registered_to)
            and (not self.organisation_type or organisation_type == self.organisation_type)
            and (not self.stage or stage == self.stage)
            and (not self.sex or sex == self.sex)
        )

    def as_dict(self) -> dict[str, str]:
        """For the audit record of an export."""
        return {k: str(v) for k, v in self.__dict__.items() if v not in (None, "")}

    def in_whole_months(self) -> Filters:
        """The period widened to whole months (from the first of its first month to the last day of its
        last), so that no figure can be narrowed to a day (`disclosure`)."""
        start, end = self.registered_from, self.registered_to
        return replace(
            self,
            registered_from=start.replace(day=1) if start else None,
            registered_to=end.replace(day=calendar.monthrange(end.year, end.month)[1]) if end else None,
        )


def filter_persons(persons: Persons, filters: Filters) -> Persons:
    if filters == Filters():
        return persons
    return persons.where(filters.keeps, "registered_on", "organisation_type", "stage", "sex")


# Tables -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    code: str
    label: Any
    values: tuple[Cell, ...]  # counts; FEWER or HIDDEN once suppressed


CellKeys = tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class Table:
    """A count table: rows of one dimension, value columns, the last column and last row being totals."""

    id: str
    title: Any
    dimension: Any  # header of the first column
    columns: tuple[tuple[str, Any], ...]
    rows: tuple[TableRow, ...]
    note: Any = ""
    suppressed: bool = False
    keys: CellKeys = ()  # the cell key of each value, row by row (`disclosure`)

    @property
    def body(self) -> tuple[TableRow, ...]:
        return self.rows[:-1]

    @property
    def total(self) -> TableRow:
        return self.rows[-1]


def count_table(
    table_id: str,
    title: Any,
    dimension: Any,
    row_values: Iterable[str],
    row_labels: dict[str, Any],
    column_values: Iterable[str],
    column_labels: dict[str, Any],
    *,
    keep_empty_rows: bool = True,
    note: Any = "",
    record_keys: Iterable[int] | None = None,
) -> Table:
    """Count persons by (row, column) — the values of each person's row and column, in the same order; add a
    total column and a total row. Unlisted codes are added. With `record_keys` (each person's, in the same
    order), each cell's key is kept too (`disclosure`)."""
    row_values, column_values = list(row_values), list(column_values)
    counts = Counter(zip(row_values, column_values, strict=True))
    key_sums: dict[tuple[str, str], int] = defaultdict(int)
    if record_keys is not None:
        for row_code, col_code, key in zip(row_values, column_values, record_keys, strict=True):
            key_sums[row_code, col_code] += key
    row_codes = list(row_labels)
    row_codes += sorted({code for code, _c in counts} - set(row_codes))
    col_codes = list(column_labels)
    col_codes += sorted({c for _r, c in counts} - set(col_codes))
    body = []
    keys: list[tuple[int, ...]] = []
    for code in row_codes:
        values = [counts.get((code, col), 0) for col in col_codes]
        if not keep_empty_rows and not any(values):
            continue
        body.append(TableRow(code, row_labels.get(code, code or UNKNOWN_LABEL), (*values, sum(values))))
        row_keys = [key_sums.get((code, col), 0) for col in col_codes]
        keys.append((*row_keys, sum(row_keys)))
    totals = [sum(r.values[i] or 0 for r in body) for i in range(len(col_codes) + 1)]
    keys.append(tuple(sum(k[i] for k in keys) for i in range(len(col_codes) + 1)))
    columns = tuple((c, column_labels.get(c, c)) for c in col_codes) + (("total", _("Total")),)
    return Table(
        table_id,
        title,
        dimension,
        columns,
        (*body, TableRow("total", _("Total"), tuple(totals))),
        note,
        keys=_modulo(keys) if record_keys is not None else (),
    )


def _modulo(keys: list[tuple[int, ...]]) -> CellKeys:
    return tuple(tuple(key % disclosure.KEY_MODULUS for key in row) for row in keys)


def _status_columns() -> dict[str, Any]:
    return dict(STATUS_LABELS)


def dimension_tables(rows: Persons | Sequence[PersonRow]) -> list[Table]:
    """The dashboard's tables: presumed and identified victims by each dimension."""
    status = _status_columns()
    persons = as_persons(rows)

    def by(table_id: str, title: Any, dimension: Any, name: str, labels: dict, keep: bool = True) -> Table:
        return count_table(
            table_id,
            title,
            dimension,
            persons[name],
            labels,
            persons["status"],
            status,
            keep_empty_rows=keep,
            record_keys=persons.columns.get("record_key"),
        )

    forms = {f: EXPLOITATION_LABELS.get(f, f) for f in load_profiles().exploitation_forms}
    forms[facts.UNKNOWN] = UNKNOWN_LABEL
    return [
        by("stage", _("Persons by current NRM stage"), _("Stage"), "stage", stage_labels(), False),
        by(
            "exploitation",
            _("Persons by main form of exploitation"),
            _("Form of exploitation"),
            "exploitation_form",
            forms,
        ),
        by("sex", _("Persons by sex"), _("Sex"), "sex", dict(Sex.choices)),
        by(
            "age",
            _("Persons by age group at registration"),
            _("Age group"),
            "age_group",
            AGE_GROUP_LABELS,
        ),
        by(
            "citizenship",
            _("Persons by citizenship group"),
            _("Citizenship"),
            "citizenship_group",
            CITIZENSHIP_LABELS,
        ),
        by(
            "organisation_type",
            _("Persons by type of organisation that registered them"),
            _("Organisation type"),
            "organisation_type",
            dict(OrganisationType.choices),
            False,
        ),
        by(
            "country_of_exploitation",
            _("Persons by country of exploitation"),
            _("Country of exploitation"),
            "exploitation_country",
            {c: countries.name(c) or c for c in sorted(set(persons["exploitation_country"]) - {""})},
        ),
    ]


def period_of(day: dt.date, monthly: bool) -> str:
    return f"{day.year:04d}-{day.month:02d}" if monthly else f"{day.year:04d}"


def over_time_table(rows: Persons | Sequence[PersonRow]) -> Table:
    """Presumed and identified victims by month of registration (by year when the span exceeds two years)."""
    persons = as_persons(rows)
    days = persons["registered_on"]
    monthly = not days or (max(days) - min(days)).days <= 731
    period = {day: period_of(day, monthly) for day in set(days)}
    periods = sorted(set(period.values()))
    return count_table(
        "over_time",
        _("Persons by month of registration") if monthly else _("Persons by year of registration"),
        _("Month") if monthly else _("Year"),
        map(period.__getitem__, days),
        {p: p for p in periods},
        persons["status"],
        _status_columns(),
        record_keys=persons.columns.get("record_key"),
    )


# Eurostat ------------------------------------------------------------------------------------------------


def registered_in(persons: Persons, year: int) -> Persons:
    """The persons first registered in `year`."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return persons.where(lambda day: first <= day <= last, "registered_on")


def eurostat_tables(rows: Persons | Sequence[PersonRow], year: int) -> list[Table]:
    """The annual tables of registered victims (identified and presumed) for `year`, by sex.

    A person counts in the year of their first registration, once, whatever the number of their cases.
    """
    registered = registered_in(as_persons(rows), year)
    sexes = dict(Sex.choices)
    forms = {f: EXPLOITATION_LABELS.get(f, f) for f in load_profiles().exploitation_forms}
    forms[facts.UNKNOWN] = UNKNOWN_LABEL

    def by(table_id: str, title: Any, dimension: Any, name: str, labels: dict) -> Table:
        return count_table(
            table_id,
            title,
            dimension,
            registered[name],
            labels,
            registered["sex"],
            sexes,
            record_keys=registered.columns.get("record_key"),
        )

    return [
        by(
            "eurostat_status",
            _("Registered victims by status and sex"),
            _("Status"),
            "status",
            STATUS_LABELS,
        ),
        by(
            "eurostat_age",
            _("Registered victims by age group and sex"),
            _("Age group"),
            "age_group",
            AGE_GROUP_LABELS,
        ),
        by(
            "eurostat_citizenship",
            _("Registered victims by citizenship group and sex"),
            _("Citizenship"),
            "citizenship_group",
            CITIZENSHIP_LABELS,
        ),
        by(
            "eurostat_exploitation",
            _("Registered victims by form of exploitation and sex"),
            _("Form of exploitation"),
            "exploitation_form",
            forms,
        ),
    ]


# Decisions and referrals ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionTiming:
    """How long the competent authority took, for one kind of decision (first instance)."""

    kind: str
    label: Any
    decided: int | None  # None where suppressed
    median_days: float | None
    with_target: int | None
    within_target: int | None
    keys: tuple[int, int, int] = (0, 0, 0)  # the cell keys of decided, with_target, within_target

    @property
    def share_within_target(self) -> float | None:
        if not self.with_target or self.within_target is None:
            return None
        return self.within_target / self.with_target


KIND_LABELS = {PRELIMINARY: _("Preliminary decision"), CONCLUSIVE: _("Conclusive decision")}


def decision_timings(cases: CaseColumns | Iterable[CaseStats | CaseFacts]) -> list[DecisionTiming]:
    """Median calendar days from referral to the first preliminary and the first conclusive decision, and
    how many decisions that have a statutory target (the profile's `target_working_days`) met it.

    Counted per referral (case): each referral is one procedure with its own deadline
    (`facts.decision_timing` works out each case's).
    """
    columns = as_cases(cases)
    record_keys = case_record_keys(columns)
    timings = []
    for kind in (PRELIMINARY, CONCLUSIVE):
        days = [d for d in columns[f"{kind}_days"] if d is not None]
        met = Counter(columns[f"{kind}_met"])
        kind_days = columns[f"{kind}_days"]
        decided_key = sum(k for d, k in zip(kind_days, record_keys, strict=True) if d is not None)
        target_keys = Counter[object]()
        for flag, key in zip(columns[f"{kind}_met"], record_keys, strict=True):
            target_keys[flag] += key
        timings.append(
            DecisionTiming(
                kind,
                KIND_LABELS[kind],
                len(days),
                float(stats.median(days)) if days else None,
                met[True] + met[False],
                met[True],
                keys=(
                    decided_key % disclosure.KEY_MODULUS,
                    (target_keys[True] + target_keys[False]) % disclosure.KEY_MODULUS,
                    target_keys[True] % disclosure.KEY_MODULUS,
                ),
            )
        )
    return timings


def decision_outcome_table(cases: CaseColumns | Iterable[CaseStats | CaseFacts]) -> Table:
    """Decisions of the competent authority by kind (first instance, appeals) and outcome."""
    columns_of = as_cases(cases)
    counts = Counter[tuple[str, str]]()
    key_sums = Counter[tuple[str, str]]()
    for decisions, key in zip(columns_of["decisions"], case_record_keys(columns_of), strict=True):
        for decision in decisions:
            counts[decision] += 1
            key_sums[decision] += key  # each decision counts its case's record key
    labels = {**KIND_LABELS, facts.APPEAL: _("Appeal or reconsideration")}
    outcomes = dict(Outcome.choices)
    body = []
    keys = []
    for code, label in labels.items():
        values = [counts.get((code, o), 0) for o in outcomes]
        body.append(TableRow(code, label, (*values, sum(values))))
        row_keys = [key_sums.get((code, o), 0) for o in outcomes]
        keys.append((*row_keys, sum(row_keys)))
    totals = tuple(sum(r.values[i] or 0 for r in body) for i in range(len(outcomes) + 1))
    keys.append(tuple(sum(k[i] for k in keys) for i in range(len(outcomes) + 1)))
    columns = tuple(outcomes.items()) + (("total", _("Total")),)
    return Table(
        "decisions",
        _("Decisions of the competent authority by outcome"),
        _("Decision"),
        columns,
        (*body, TableRow("total", _("Total"), totals)),
        note=_("Counted per decision: a case can have a preliminary, a conclusive and appeal decisions."),
        keys=_modulo(keys),
    )


def referral_outcome_table(statuses: Iterable[str], key_sums: dict[str, int] | None = None) -> Table:
    """Referrals to services (sent, not drafts) by their current status (`statuses`: one per referral, or a
    Counter of them; `key_sums`: the sum of the referrals' record keys by status, for `disclosure`)."""
    from lantern.referrals.models import ReferralStatus

    counts = Counter(statuses)
    labels = {s.value: s.label for s in ReferralStatus if s != ReferralStatus.DRAFT}
    body = [TableRow(code, label, (counts.get(code, 0),)) for code, label in labels.items()]
    total = sum(counts.get(code, 0) for code in labels)
    keys = [(key_sums.get(code, 0),) for code in labels] if key_sums is not None else []
    keys.append((sum(k[0] for k in keys),))
    return Table(
        "referrals",
        _("Referrals to services by outcome"),
        _("Outcome"),
        (("total", _("Referrals")),),
        (*body, TableRow("total", _("Total"), (total,))),
        note=_("Counted per referral: one person can be referred to several services."),
        keys=_modulo(keys) if key_sums is not None else (),
    )


# Small cells ---------------------------------------------------------------------------------------------


def suppress(table: Table, threshold: int = SMALL_CELL) -> Table:
    """Hide counts from 1 to threshold - 1, and enough other cells that they cannot be worked out again.

    Primary suppression replaces the small counts by FEWER; then, in every row and column (each total row and
    column being a line too) where exactly one cell is hidden, the smallest other non-zero cell is replaced by
    HIDDEN, until nothing changes. Zeros are shown. On its own it is undone by differencing: the pages
    apply it on top of the cell-key perturbation (`disclosure.control_table`). Releases: the releases app.
    """
    grid = [[v if isinstance(v, int) else 0 for v in row.values] for row in table.rows]
    small = [[0 < v < threshold for v in values] for values in grid]
    hidden = [list(values) for values in small]
    n_rows, n_cols = len(grid), len(grid[0]) if grid else 0

    def lines() -> list[list[tuple[int, int]]]:
        body_rows, body_cols = range(n_rows - 1), range(n_cols - 1) if n_cols > 1 else range(n_cols)
        found = [[(r, c) for c in body_cols] for r in range(n_rows)]
        found += [[(r, c) for r in body_rows] for c in range(n_cols)]
        return found

    changed = True
    while changed:
        changed = False
        for line in lines():
            marked = [cell for cell in line if hidden[cell[0]][cell[1]]]
            if len(marked) != 1:
                continue
            others = [cell for cell in line if not hidden[cell[0]][cell[1]] and grid[cell[0]][cell[1]] > 0]
            if others:
                r, c = min(others, key=lambda cell: grid[cell[0]][cell[1]])
                hidden[r][c] = True
                changed = True
    rows = tuple(
        replace(
            row,
            values=tuple(
                (FEWER if small[i][j] else HIDDEN) if hidden[i][j] else v for j, v in enumerate(row.values)
            ),
        )
        for i, row in enumerate(table.rows)
    )
    return replace(table, rows=rows, suppressed=True)
