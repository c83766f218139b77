"""Deadlines of a case from its NRM profile: working-day targets and calendar-day minimum periods.

Pure Python (no Django). Working days are Monday to Friday minus the given public holidays; a target of
n working days from a date is the n-th working day after it (the start day itself never counts). Minimum
periods count calendar days: a 30-day period that starts on 1 March ends on 31 March, the first day the case
may move on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .profiles import Profile

Holidays = frozenset[dt.date] | set[dt.date] | Iterable[dt.date]

DECISION_TARGET = "decision_target"
PERIOD_END = "period_end"
OVERDUE = "overdue"
DUE = "due"
UPCOMING = "upcoming"


def is_working_day(day: dt.date, holidays: Holidays = frozenset()) -> bool:
    return day.weekday() < 5 and day not in set(holidays)


def add_working_days(start: dt.date, days: int, holidays: Holidays = frozenset()) -> dt.date:
    """The `days`-th working day after `start` (`start` itself does not count). `days` must be ≥ 0."""
    if days < 0:
        raise ValueError("days must be zero or more")
    skip = frozenset(holidays)
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in skip:
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, holidays: Holidays = frozenset()) -> int:
    """How many working days fall after `start` up to and including `end` (0 when end ≤ start)."""
    skip = frozenset(holidays)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in skip:
            count += 1
    return count


def stage_period_ends(start: dt.date, min_days: int) -> dt.date:
    """The first day after a minimum period of `min_days` calendar days that began on `start`."""
    return start + dt.timedelta(days=min_days)


def recovery_period_ends(profile: Profile, started: dt.date) -> dt.date:
    """The first day after the profile's recovery and reflection period that began on `started`."""
    stage = profile.recovery_stage
    assert stage.min_days is not None  # checked when the profile is loaded
    return stage_period_ends(started, stage.min_days)


@dataclass(frozen=True)
class CaseState:
    """What the deadline calculator needs to know about a case."""

    profile: Profile
    stage: str


@dataclass(frozen=True)
class StageEntry:
    """The case entered `stage` on `on` (one row of its timeline)."""

    stage: str
    on: dt.date


@dataclass(frozen=True)
class DueItem:
    kind: str  # DECISION_TARGET (can be overdue) or PERIOD_END (the earliest day to move on)
    stage: str
    due_on: dt.date
    status: str  # OVERDUE, DUE or UPCOMING

    @property
    def overdue(self) -> bool:
        return self.status == OVERDUE


def last_entries(events: Iterable[StageEntry]) -> dict[str, dt.date]:
    """The date each stage was last entered, from a chronological list of entries."""
    entered: dict[str, dt.date] = {}
    for event in events:
        entered[event.stage] = event.on
    return entered


def due_items(
    case_state: CaseState,
    events: Iterable[StageEntry],
    today: dt.date,
    holidays: Holidays | None = None,
) -> list[DueItem]:
    """What is due for a case today: decision targets (overdue once passed) and minimum periods' ends.

    `events` are the case's stage entries in chronological order; `holidays` default to the profile's.
    """
    profile = case_state.profile
    skip = frozenset(profile.holidays if holidays is None else holidays)
    entered = last_entries(events)
    current = profile.stage(case_state.stage)
    items: list[DueItem] = []
    for stage in profile.stages:
        if not stage.target_working_days:
            continue
        clock = stage.clock_starts or stage.id
        if current.id not in (stage.id, clock):
            continue
        started = entered.get(clock) or entered.get(current.id)
        if started is None:
            continue
        due_on = add_working_days(started, stage.target_working_days, skip)
        status = OVERDUE if due_on < today else DUE if due_on == today else UPCOMING
        items.append(DueItem(DECISION_TARGET, stage.id, due_on, status))
    if current.min_days and current.id in entered:
        ends = stage_period_ends(entered[current.id], current.min_days)
        items.append(DueItem(PERIOD_END, current.id, ends, DUE if ends <= today else UPCOMING))
    return sorted(items, key=lambda item: item.due_on)


def stored_dates(items: Iterable[DueItem]) -> tuple[dt.date | None, dt.date | None]:
    """The two dates a case stores for lists and dashboards: its earliest decision target and the earliest
    end of a minimum period (None when there is none)."""
    items = list(items)
    target = min((i.due_on for i in items if i.kind == DECISION_TARGET), default=None)
    period = min((i.due_on for i in items if i.kind == PERIOD_END), default=None)
    return target, period


def entries_from(mapping: Mapping[str, dt.date]) -> list[StageEntry]:
    """Stage entries from a {stage: date} mapping, oldest first (for tests and simple callers)."""
    return [StageEntry(stage, on) for stage, on in sorted(mapping.items(), key=lambda kv: kv[1])]
