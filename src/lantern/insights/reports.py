"""What the statistics pages, exports and API show: the actor's persons counted into tables.

Reads only (through `selectors`), for the actor: the counted cases are those the gate scopes for the action,
and every count shown to anyone but an NRM decision-maker — cells, totals, the persons headline, decision
counts — goes through the disclosure control in `_finish` (`disclosure`: cell-key perturbation, then small
cells suppressed), with the period filters widened to whole months.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from lantern.accounts.roles import Role

from . import columns, disclosure, selectors, statistics
from .statistics import DecisionTiming, Filters, Table


def exact_counts(actor: Any) -> bool:
    """NRM decision-makers see exact counts; statistics viewers and organisation administrators see counts
    under disclosure control (`disclosure`: perturbed, and "fewer than 5" from 1 to 4)."""
    return actor.has_role(Role.NRM_DECISION_MAKER)


@dataclass
class Report:
    persons: int | None  # None: fewer than SMALL_CELL, suppressed
    tables: list[Table] = field(default_factory=list)
    timings: list[DecisionTiming] = field(default_factory=list)
    suppressed: bool = False  # True: every count is under disclosure control (`disclosure`)
    persons_key: int = 0  # the cell key of the persons counted

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables if t.id == table_id), None)


def _controlled_timing(timing: DecisionTiming) -> DecisionTiming:
    decided_key, target_key, within_key = timing.keys
    decided = disclosure.control_count(timing.decided, decided_key)
    if decided is None:
        return DecisionTiming(timing.kind, timing.label, None, None, None, None, timing.keys)
    with_target = disclosure.control_count(timing.with_target, target_key)
    within = disclosure.control_count(timing.within_target, within_key) if with_target is not None else None
    if within is not None and with_target is not None:
        within = min(within, with_target)  # perturbed separately: never more than 100 %
    median = timing.median_days
    return DecisionTiming(timing.kind, timing.label, decided, median, with_target, within, timing.keys)


def _finish(actor: Any, report: Report) -> Report:
    """The one disclosure control of what a report shows: nothing for NRM decision-makers (exact figures);
    for everyone else every count — each table cell and total, the persons headline, the decision counts —
    perturbed with its cell key and then suppressed from 1 to 4 (`disclosure`)."""
    if exact_counts(actor):
        return report
    report.tables = [disclosure.control_table(t) for t in report.tables]
    report.timings = [_controlled_timing(t) for t in report.timings]
    report.persons = disclosure.control_count(report.persons, report.persons_key)
    report.suppressed = True
    return report


def dashboard_report(actor: Any, filters: Filters, action: str = "insights.view") -> Report:
    """Persons by dimension and over time, decisions, referrals and time to decision. Three queries (fact
    rows, persons, referrals), none of them decrypting anything."""
    exact = exact_counts(actor)
    if not exact:
        filters = filters.in_whole_months()
    fact_rows = selectors.countable_facts(actor, action)
    cases = selectors.fact_columns(fact_rows, decisions=True)
    case_keys = {} if exact else dict(zip(cases["pk"], columns.case_record_keys(cases), strict=True))
    everyone = columns.persons(cases)
    if exact:
        everyone = everyone.without_keys()
    persons = statistics.filter_persons(everyone, filters)
    kept: set[int] | None = None
    if len(persons) < len(everyone):
        kept = persons.kept_case_ids()
        cases = cases.only([pk in kept for pk in cases["pk"]])
    referrals = selectors.referral_statuses(kept, fact_rows)
    statuses = Counter[str]()
    status_keys = Counter[str]()
    for (case_id, status), n in referrals.items():
        statuses[status] += n
        status_keys[status] += n * case_keys.get(case_id, 0)  # a referral counts its case's record key
    tables = [
        statistics.over_time_table(persons),
        *statistics.dimension_tables(persons),
        statistics.decision_outcome_table(cases),
        statistics.referral_outcome_table(statuses, status_keys),
    ]
    report = Report(len(persons), tables, statistics.decision_timings(cases))
    if not exact:
        report.persons_key = disclosure.cell_key(persons["record_key"])
    return _finish(actor, report)


def eurostat_report(actor: Any, year: int, action: str = "insights.view") -> Report:
    """The annual Eurostat tables for `year`. Two queries (fact rows, persons)."""
    persons = columns.persons(selectors.fact_columns(selectors.countable_facts(actor, action)))
    if exact_counts(actor):
        persons = persons.without_keys()
    tables = statistics.eurostat_tables(persons, year)
    registered = statistics.registered_in(persons, year)
    report = Report(len(registered), tables)
    if not exact_counts(actor):
        report.persons_key = disclosure.cell_key(registered["record_key"])
    return _finish(actor, report)
