"""What the statistics pages, exports and API show: the actor's persons counted into tables.

Reads only (through `selectors`), for the actor: the counted cases are those the gate scopes for the action,
and every count except the NRM decision-makers' has its small cells suppressed (`statistics.suppress`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lantern.accounts.roles import Role

from . import facts, selectors, statistics
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
    """Persons by dimension and over time, decisions, referrals and time to decision. Five queries."""
    cases = selectors.countable_cases(actor, action)
    case_facts = selectors.case_facts(cases)
    persons = statistics.filter_rows(facts.person_rows(case_facts), filters)
    kept = {case_id for person in persons for case_id in person.case_ids}
    kept_facts = [f for f in case_facts if f.pk in kept]
    tables = [
        statistics.over_time_table(persons),
        *statistics.dimension_tables(persons),
        statistics.decision_outcome_table(kept_facts),
        statistics.referral_outcome_table(selectors.referral_statuses(sorted(kept), cases)),
    ]
    report = Report(len(persons), tables, statistics.decision_timings(kept_facts))
    return _finish(actor, report)


def eurostat_report(actor: Any, year: int, action: str = "insights.view") -> Report:
    """The annual Eurostat tables for `year`. Three queries."""
    persons = facts.person_rows(selectors.case_facts(selectors.countable_cases(actor, action)))
    tables = statistics.eurostat_tables(persons, year)
    return _finish(actor, Report(sum(1 for p in persons if p.year == year), tables))
