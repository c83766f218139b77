"""Whether a person is treated as a child. Pure Python (no Django).

CETS 197 art. 10(3) and Directive 2011/36/EU art. 13(2): where the age is uncertain and there are reasons to
believe the person is a child, they are presumed to be a child and protected as such until an age assessment
says otherwise. A recorded date of birth or estimate does not lift the presumption until the age is assessed:
documents may be forged and estimates wrong.
"""

from __future__ import annotations

import datetime as dt

ADULT_AGE = 18


def age_on(born: dt.date, day: dt.date) -> int:
    """Completed years on `day` of someone born on `born`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def known_age(born: dt.date | None, estimated_age: int | None, day: dt.date) -> int | None:
    if born is not None:
        return age_on(born, day)
    return estimated_age


def presumed_minor(*, appears_minor: bool, age_assessed: bool) -> bool:
    """The presumption of minority: reasons to believe the person is a child, and no age assessment yet."""
    return appears_minor and not age_assessed


def treated_as_child(
    *,
    born: dt.date | None,
    estimated_age: int | None,
    appears_minor: bool,
    age_assessed: bool,
    day: dt.date,
) -> bool:
    """A known age under 18, or the presumption of minority."""
    age = known_age(born, estimated_age, day)
    if age is not None and age < ADULT_AGE:
        return True
    return presumed_minor(appears_minor=appears_minor, age_assessed=age_assessed)
