"""Deadline arithmetic: working-day targets (Mon–Fri minus holidays) and calendar-day minimum periods."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from lantern.cases.procedure.deadlines import (
    DECISION_TARGET,
    DUE,
    OVERDUE,
    PERIOD_END,
    UPCOMING,
    CaseState,
    add_working_days,
    due_items,
    entries_from,
    is_working_day,
    recovery_period_ends,
    working_days_between,
)
from lantern.cases.procedure.profiles import load_profiles

dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
holiday_sets = st.frozensets(dates, max_size=30)
UK = load_profiles().get("uk-style")
COE = load_profiles().get("coe-generic")
GREECE = load_profiles().get("greece-style")


def test_five_working_days_from_a_friday_is_the_next_friday() -> None:
    assert add_working_days(dt.date(2025, 3, 7), 5) == dt.date(2025, 3, 14)


def test_holidays_push_the_target_back() -> None:
    easter_monday = dt.date(2025, 4, 21)
    assert add_working_days(dt.date(2025, 4, 17), 5, {dt.date(2025, 4, 18), easter_monday}) == dt.date(
        2025, 4, 28
    )


def test_a_weekend_start_counts_from_monday() -> None:
    assert add_working_days(dt.date(2025, 3, 8), 1) == dt.date(2025, 3, 10)


@given(dates, st.integers(min_value=0, max_value=60), holiday_sets)
def test_the_target_is_the_nth_working_day_after_the_start(
    start: dt.date, n: int, holidays: frozenset
) -> None:
    due = add_working_days(start, n, holidays)
    assert working_days_between(start, due, holidays) == n
    if n:
        assert is_working_day(due, holidays)
        assert due > start


@given(dates, st.integers(min_value=0, max_value=40), holiday_sets)
def test_more_working_days_never_end_earlier(start: dt.date, n: int, holidays: frozenset) -> None:
    assert add_working_days(start, n + 1, holidays) > add_working_days(start, n, holidays)


@given(dates, st.integers(min_value=1, max_value=40))
def test_working_days_take_at_least_as_long_as_calendar_days(start: dt.date, n: int) -> None:
    due = add_working_days(start, n)
    assert (due - start).days >= n
    assert (due - start).days <= n + 2 * (n // 5 + 1)  # at most one weekend per five working days, plus one


@given(dates)
def test_recovery_period_ends_after_its_minimum_in_calendar_days(start: dt.date) -> None:
    assert (recovery_period_ends(COE, start) - start).days == 30
    assert (recovery_period_ends(UK, start) - start).days == 30
    assert (recovery_period_ends(GREECE, start) - start).days == 90


def test_uk_reasonable_grounds_target_runs_from_referral_and_becomes_overdue() -> None:
    entries = entries_from({"identified": dt.date(2025, 3, 3), "referred": dt.date(2025, 3, 7)})
    state = CaseState(UK, "referred")
    [item] = due_items(state, entries, today=dt.date(2025, 3, 10))
    assert (item.kind, item.stage, item.due_on, item.status) == (
        DECISION_TARGET,
        "reasonable_grounds",
        dt.date(2025, 3, 14),
        UPCOMING,
    )
    taken_up = [*entries, *entries_from({"reasonable_grounds": dt.date(2025, 3, 11)})]
    [item] = due_items(CaseState(UK, "reasonable_grounds"), taken_up, today=dt.date(2025, 3, 17))
    assert item.due_on == dt.date(2025, 3, 14) and item.status == OVERDUE and item.overdue


def test_holidays_can_be_given_by_the_caller() -> None:
    entries = entries_from({"referred": dt.date(2025, 3, 7)})
    [item] = due_items(
        CaseState(UK, "referred"), entries, dt.date(2025, 3, 7), holidays={dt.date(2025, 3, 10)}
    )
    assert item.due_on == dt.date(2025, 3, 17)


def test_the_recovery_period_end_is_due_once_reached() -> None:
    entries = entries_from({"recovery_reflection": dt.date(2025, 3, 1)})
    [item] = due_items(CaseState(COE, "recovery_reflection"), entries, today=dt.date(2025, 3, 30))
    assert (item.kind, item.due_on, item.status) == (PERIOD_END, dt.date(2025, 3, 31), UPCOMING)
    [item] = due_items(CaseState(COE, "recovery_reflection"), entries, today=dt.date(2025, 4, 2))
    assert item.status == DUE and not item.overdue


def test_greece_reflection_period_is_ninety_days() -> None:
    entries = entries_from({"reflection_period": dt.date(2025, 1, 1)})
    [item] = due_items(CaseState(GREECE, "reflection_period"), entries, today=dt.date(2025, 1, 2))
    assert item.due_on == dt.date(2025, 4, 1)


def test_nothing_is_due_at_stages_without_deadlines() -> None:
    entries = entries_from({"identified": dt.date(2025, 1, 1)})
    for profile in (COE, UK, GREECE):
        assert due_items(CaseState(profile, "identified"), entries, today=dt.date(2025, 6, 1)) == []
    assert (
        due_items(
            CaseState(COE, "referred"),
            entries_from({"referred": dt.date(2025, 1, 1)}),
            today=dt.date(2025, 6, 1),
        )
        == []
    )


def test_a_case_stores_its_earliest_decision_target_and_period_end() -> None:
    from lantern.cases.procedure.deadlines import DueItem, stored_dates

    items = [
        DueItem(PERIOD_END, "recovery", dt.date(2025, 3, 1), UPCOMING),
        DueItem(DECISION_TARGET, "reasonable", dt.date(2025, 2, 10), UPCOMING),
        DueItem(DECISION_TARGET, "conclusive", dt.date(2025, 1, 20), UPCOMING),
    ]
    assert stored_dates(items) == (dt.date(2025, 1, 20), dt.date(2025, 3, 1))
    assert stored_dates([]) == (None, None)
