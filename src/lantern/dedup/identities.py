"""The identifying fields of cases in the linkage package's record shape (`lantern.linkage.records`).

Fields are decrypted in this process only; nothing here is written anywhere. One record per case, plus one per
usable alias (an alias of two words or more is a given and a family name; a single word is another given
name with the case's family name), so that a person recorded under a former or assumed name is still found.
A date of birth is used as it is; without one, an estimated age gives an estimated year of birth.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lantern.linkage.records import PersonTable, people_from_rows

HEADER = ("id", "given_name", "family_name", "date_of_birth", "sex", "citizenship")
# What the linkage reads of a case (and nothing more is decrypted).
CASE_FIELDS = (
    "id",
    "given_names",
    "family_name",
    "aliases",
    "date_of_birth",
    "estimated_age",
    "identified_on",
    "sex",
    "citizenships",
)
SEX_CODES = {"female": "F", "male": "M", "other": "X"}  # "unknown" agrees with nothing
_ALIAS_SEPARATORS = re.compile(r"[;,/\n]+|\s+(?:aka|a\.k\.a\.)\s+", re.IGNORECASE)


@dataclass
class IdentityTable:
    """Linkage records and, per record, the case it comes from (aliases give a case several records)."""

    table: PersonTable
    case_ids: list[int]

    @property
    def cases(self) -> int:
        return len(set(self.case_ids))


def birth(case: Any) -> str:
    """``YYYY-MM-DD`` from the date of birth, else ``YYYY`` estimated from the age when identified."""
    if case.birth_date is not None:
        return case.birth_date.isoformat()
    age = case.age_estimate
    if age is not None and case.identified_on is not None and 0 <= age < 120:
        return str(case.identified_on.year - age)
    return ""


def usable_aliases(aliases: str, family_name: str) -> list[tuple[str, str]]:
    """(given, family) for each alias worth comparing."""
    names = []
    for alias in _ALIAS_SEPARATORS.split(aliases or ""):
        words = alias.split()
        if len(words) >= 2:
            names.append((" ".join(words[:-1]), words[-1]))
        elif len(words) == 1 and len(words[0]) > 1 and family_name:
            names.append((words[0], family_name))
    return names


def identity_rows(case: Any) -> list[tuple[str, str, str, str, str]]:
    """(given, family, date of birth, sex, citizenship) records for one case; none without any name."""
    given, family = (case.given_names or "").strip(), (case.family_name or "").strip()
    if not given and not family:
        return []
    born = birth(case)
    sex = SEX_CODES.get(case.sex, "")
    citizenships = [
        str(country.code if hasattr(country, "code") else country) for country in case.citizenships
    ]
    citizenship = citizenships[0] if citizenships else ""
    rows = [(given, family, born, sex, citizenship)]
    for alias_given, alias_family in usable_aliases(case.aliases, family):
        if (alias_given, alias_family) != (given, family):
            rows.append((alias_given, alias_family, born, sex, citizenship))
    return rows


def identity_table(cases: Iterable[Any]) -> IdentityTable:
    """The linkage records of the cases (record ids are ``<case id>`` or ``<case id>/<alias number>``)."""
    case_ids: list[int] = []
    lines: list[tuple[int, list[str]]] = []
    for case in cases:
        for number, row in enumerate(identity_rows(case)):
            record_id = str(case.pk) if number == 0 else f"{case.pk}/{number}"
            case_ids.append(case.pk)
            lines.append((len(lines) + 2, [record_id, *row]))
    return IdentityTable(table=people_from_rows(list(HEADER), lines), case_ids=case_ids)
