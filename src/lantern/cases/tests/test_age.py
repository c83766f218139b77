"""Presumption of minority: age unknown + appearance of a minor ⇒ treated as a child until assessed."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from lantern.cases.procedure.age import age_on, treated_as_child

TODAY = dt.date(2025, 6, 1)


def test_age_unknown_and_appears_minor_is_treated_as_a_child() -> None:
    assert treated_as_child(born=None, estimated_age=None, appears_minor=True, age_assessed=False, day=TODAY)


def test_the_presumption_holds_until_the_age_is_assessed_even_with_an_adult_date_of_birth() -> None:
    born = dt.date(2000, 1, 1)
    assert treated_as_child(born=born, estimated_age=None, appears_minor=True, age_assessed=False, day=TODAY)
    assert not treated_as_child(
        born=born, estimated_age=None, appears_minor=True, age_assessed=True, day=TODAY
    )


def test_a_known_age_under_18_is_a_child_whatever_the_appearance() -> None:
    assert treated_as_child(
        born=dt.date(2010, 1, 1), estimated_age=None, appears_minor=False, age_assessed=True, day=TODAY
    )
    assert treated_as_child(born=None, estimated_age=16, appears_minor=False, age_assessed=False, day=TODAY)


def test_age_unknown_without_signs_of_minority_is_an_adult() -> None:
    assert not treated_as_child(
        born=None, estimated_age=None, appears_minor=False, age_assessed=False, day=TODAY
    )


@given(st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2025, 6, 1)))
def test_age_on_matches_birthdays(born: dt.date) -> None:
    age = age_on(born, TODAY)
    assert 0 <= age <= 106
    assert (age >= 18) == (born <= TODAY.replace(year=TODAY.year - 18))
