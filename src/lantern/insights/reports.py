"""What the statistics pages, exports and API show: the actor's persons counted into tables.

Reads only (through `selectors`), for the actor: the counted cases are those the gate scopes for the action,
and every count except the NRM decision-makers' has its small cells suppressed (`statistics.suppress`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lantern.accounts.roles import Role

from . import columns, selectors, statistics
from .statistics import DecisionTiming, Filters, Table


def exact_counts(actor: Any) -> bool:
    """NRM decision-makers see exact counts; statistics viewers and organisation administrators see counts
    below `statistics.SMALL_CELL` as "fewer than 5"."""
    return actor.has_role(Role.NRM_DECISION_MAKER)


@dataclass
class Report:
    persons: int | None  # None: fewer than SMALL_CELL, suppressed
    tables: list[Table] = field(default_factory=list)
    timings: list[DecisionTiming] = field(default_factory=list)
    suppressed: bool = False

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables if t.id == table_id), None)


def _small(n: int | None) -> bool:
    return n is not None and 0 < n < statistics.SMALL_CELL


def _suppressed_timing(timing: DecisionTiming) -> DecisionTiming:
    if _small(timing.decided):
        return DecisionTiming(timing.kind, timing.label, None, None, None, None)
    if _small(timing.with_target):
        return DecisionTiming(timing.kind, timing.label, timing.decided, timing.median_days, None, None)
    return timing


def _finish(actor: Any, report: Report) -> Report:
    if not exact_counts(actor):
        report.tables = [statistics.suppress(t) for t in report.tables]
        report.timings = [_suppressed_timing(t) for t in report.timings]
        report.suppressed = True
        if _small(report.persons):
            report.persons = None
    return report


def dashboard_report(actor: Any, filters: Filters, action: str = "insights.view") -> Report:
    """Persons by dimension and over time, decisions, referrals and time to decision. Three queries (fact
    rows, persons, referrals), none of them decrypting anything."""
    fact_rows = selectors.countable_facts(actor, action)
    cases = selectors.fact_columns(fact_rows, decisions=True)
    everyone = columns.persons(cases)
    persons = statistics.filter_persons(everyone, filters)
    kept: set[int] | None = None
    if len(persons) < len(everyone):
        kept = persons.kept_case_ids()
        cases = cases.only([pk in kept for pk in cases["pk"]])
    tables = [
        statistics.over_time_table(persons),
        *statistics.dimension_tables(persons),
        statistics.decision_outcome_table(cases),
        statistics.referral_outcome_table(selectors.referral_statuses(kept, fact_rows)),
    ]
    report = Report(len(persons), tables, statistics.decision_timings(cases))
    return _finish(actor, report)


def eurostat_report(actor: Any, year: int, action: str = "insights.view") -> Report:
    """The annual Eurostat tables for `year`. Two queries (fact rows, persons)."""
    persons = columns.persons(selectors.fact_columns(selectors.countable_facts(actor, action)))
    tables = statistics.eurostat_tables(persons, year)
    return _finish(actor, Report(len(statistics.registered_in(persons, year)), tables))
