"""Fixtures for the dedup tests.

Besides the `personas` (organisation "own", a reception centre in Greece; "other", an NGO in France) and the
cases fixtures (`nrm` = the competent authority, `decider` = its decision-maker):
- `people`: a fixed set of cases with known answers, all referred to `nrm` with consent, so that `decider`
  sees every one of them. The same person is recorded by both organisations in Arabic, Cyrillic and Latin
  letters, with given and family names swapped, with only an estimated age, and under an alias.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lantern.cases.tests import conftest as cases_fixtures

from .factories import person_case

nrm, decider = cases_fixtures.nrm, cases_fixtures.decider

IDENTIFIED = dt.date(2026, 6, 1)
# key: (organisation, given names, family name, date of birth, estimated age, sex, citizenship, aliases)
PEOPLE = {
    "mohammed": ("own", "Mohammed", "Al-Hassan", "1990-03-12", "", "male", "SY", ""),
    "mohammed_ar": ("other", "محمد", "الحسن", "1990-03-12", "", "male", "SY", ""),
    "muhammad_age": ("own", "Muhammad", "Alhasan", "", "36", "male", "SY", ""),
    "natalia": ("own", "Natalia", "Ivanova", "1995-07-01", "", "female", "UA", ""),
    "natalia_cyr": ("other", "Наталья", "Иванова", "1995-07-01", "", "female", "UA", ""),
    "natalia_swapped": ("other", "Ivanova", "Natalia", "1995-07-01", "", "female", "UA", ""),
    "fatima": ("own", "Fatima", "Yusuf", "2001-11-20", "", "female", "NG", ""),
    "fatma": ("other", "Fatma", "Yousef", "2001-11-20", "", "female", "NG", ""),
    "ahmed": ("own", "Ahmed", "Karimi", "1985-06-06", "", "male", "AF", ""),
    "ahmad": ("other", "Ahmad", "Karimi", "1985-06-06", "", "male", "AF", ""),
    "svetlana": ("own", "Svetlana", "Koval", "1993-04-17", "", "female", "MD", "Lana Morozova"),
    "lana": ("other", "Lana", "Morozova", "1993-04-17", "", "female", "MD", ""),
    "amina": ("own", "Amina", "Okafor", "1988-05-05", "", "female", "NG", ""),
    "blessing": ("other", "Blessing", "Okafor", "1992-09-14", "", "female", "NG", ""),
    "amina_other": ("other", "Amina", "Okafor", "1991-08-05", "", "female", "NG", ""),
    "john": ("own", "John", "Smith", "1980-01-01", "", "male", "GB", ""),
    "olga": ("other", "Olga", "Petrova", "1999-02-02", "", "female", "RU", ""),
}
# The persons of two or more cases the linkage must find (everyone else is a person of their own).
EXPECTED_PERSONS = [
    {"mohammed", "mohammed_ar", "muhammad_age"},
    {"natalia", "natalia_cyr", "natalia_swapped"},
    {"fatima", "fatma"},
    {"ahmed", "ahmad"},
    {"svetlana", "lana"},
]


@pytest.fixture
def people(personas: Any, nrm: Any) -> dict[str, Any]:
    organisations = {"own": personas.own_org, "other": personas.other_org}
    made = {}
    for key, (org, given, family, born, age, sex, country, aliases) in PEOPLE.items():
        made[key] = person_case(
            organisations[org],
            nrm,
            given_names=given,
            family_name=family,
            date_of_birth=born,
            estimated_age=age,
            sex=sex,
            citizenships=[country],
            aliases=aliases,
            identified_on=IDENTIFIED,
        )
    return made
